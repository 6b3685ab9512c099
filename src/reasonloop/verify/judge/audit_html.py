"""The audit as a self-contained HTML page: one bar chart per configuration, then the tables.

Horizontal bars (one row per hack pattern) keep twelve long pattern names readable; each bar
carries a tooltip with the count behind the rate. Every piece of text is escaped.
"""

from __future__ import annotations

from html import escape

from reasonloop.verify.judge.audit import CONFIGURATIONS, AuditReport, PatternResult

ROW_HEIGHT = 22
LABEL_WIDTH = 170
BAR_WIDTH = 360
COLOURS = {"rule": "#2563eb", "judge": "#dc2626", "hybrid": "#16a34a", "gate": "#9ca3af"}
TITLES = {
    "rule": "Rule only",
    "judge": "Judge only",
    "hybrid": "Hybrid (rule first, judge where the rule cannot decide)",
    "gate": "Shown to the judge at all (bound on the hybrid for any judge)",
}


def render_audit_html(report: AuditReport) -> str:
    charts = [
        draw_rates(name, report.patterns)
        for name in (*CONFIGURATIONS, "gate")
        if name == "gate" or all(row.rate(name) is not None for row in report.patterns)
    ]
    judge = escape(report.judge or "none (rule only)")
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>reasonloop verifier audit"
        "</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "color:#111827}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}svg{display:block;margin:1rem 0}</style>"
        f"</head><body><h1>Verifier audit</h1><p>Judge: <code>{judge}</code>. "
        f"{report.problems} problems; every probe is a wrong response, so each bar is the "
        f"share of a pattern's probes wrongly accepted (attack success rate).</p>"
        + "".join(charts)
        + _pattern_table(report)
        + _recovery_table(report)
        + "</body></html>"
    )


def draw_rates(configuration: str, rows: list[PatternResult]) -> str:
    """One horizontal bar per pattern: the configuration's attack success rate."""
    height = 40 + ROW_HEIGHT * len(rows)
    parts = [
        f'<svg class="rl-plot" data-plot="{escape(configuration)}" width="{LABEL_WIDTH + 420}" '
        f'height="{height}" role="img" aria-label="{escape(TITLES[configuration])}">',
        f'<text x="0" y="16" font-size="13" font-weight="600">{escape(TITLES[configuration])}'
        "</text>",
    ]
    for index, row in enumerate(rows):
        rate = row.gate / max(row.probes, 1) if configuration == "gate" else row.rate(configuration)
        count = row.gate if configuration == "gate" else row.accepted[configuration]
        y = 30 + index * ROW_HEIGHT
        width = BAR_WIDTH * (rate or 0.0)
        tooltip = f"{row.pattern}: {count} of {row.probes} probes"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(row.pattern)}</text>"
            f'<rect class="rl-bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" '
            f'height="{ROW_HEIGHT - 6}" fill="{COLOURS[configuration]}">'
            f"<title>{escape(tooltip)}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{y + 14}" font-size="10">'
            f"{100 * (rate or 0.0):.1f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _pattern_table(report: AuditReport) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in ("pattern", "probes", *CONFIGURATIONS))
    body = []
    for row in report.patterns:
        cells = [escape(row.pattern), str(row.probes)]
        for configuration in CONFIGURATIONS:
            rate = row.rate(configuration)
            cells.append("-" if rate is None else f"{100 * rate:.1f}%")
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<h2>Attack success rate</h2><table><tr>{head}</tr>{''.join(body)}</table>"


def _recovery_table(report: AuditReport) -> str:
    r = report.recovery
    recovered = _count(r.hybrid_recovered)
    rows = [
        ("correct answers in unusual forms", r.answers),
        ("rule correct", r.rule_correct),
        ("rule false negatives", r.rule_false_negatives),
        ("of those, shown to the judge (gate)", r.gate),
        ("of those, recovered by the hybrid", recovered),
        ("judge alone accepted (of the correct)", _count(r.judge_correct)),
        ("wrong answers in the same forms", r.wrong_answers),
        ("of those, shown to the judge (gate)", r.wrong_gate),
        ("of those, accepted by the hybrid", _count(r.wrong_hybrid_accepted)),
        ("of those, accepted by the judge alone", _count(r.wrong_judge_accepted)),
    ]
    body = "".join(f"<tr><td>{escape(k)}</td><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<h2>Answers in unusual forms</h2><table>{body}</table>"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)
