"""Render `ReportData` into one self-contained HTML file: inline CSS, SVG and a tiny script.

Everything from the data (model output above all) is `html.escape`d; the script reads only
data attributes and never writes HTML. A Content-Security-Policy allows nothing but the page's
own style and script (pinned by hash), so the browser itself forbids any network request.
"""

from __future__ import annotations

import base64
import hashlib
import json
from html import escape
from pathlib import Path
from typing import Any

from reasonloop.files import write_text_atomic
from reasonloop.profile.significance import PairedComparison
from reasonloop.report import plots
from reasonloop.report.bstar import render_bstar
from reasonloop.report.data import ExampleRow, IterationResult, ReportData
from reasonloop.verify.verdict import Status

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
  max-width: 1180px; padding: 24px; color: #111827; background: #fff; line-height: 1.4; }
h1 { margin: 0 0 4px; font-size: 26px; } h2 { margin: 32px 0 12px; font-size: 19px; }
.rl-sub { color: #4b5563; margin: 0 0 20px; }
.rl-headline { display: flex; flex-wrap: wrap; gap: 12px; }
.rl-stat { border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px 16px; min-width: 140px; }
.rl-stat b { display: block; font-size: 24px; } .rl-stat span { color: #4b5563; font-size: 13px; }
.rl-up { color: #15803d; } .rl-down { color: #b91c1c; }
.rl-plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr));
  gap: 16px; }
.rl-plots figure { margin: 0; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px; }
.rl-plot { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 5px 8px; text-align: left;
  vertical-align: top; }
th { background: #f9fafb; } .rl-num { text-align: right; font-variant-numeric: tabular-nums; }
.rl-status { border-radius: 4px; padding: 1px 6px; font-size: 12px; white-space: nowrap;
  background: #f3f4f6; }
.rl-status-correct { background: #dcfce7; color: #166534; }
.rl-status-incorrect { background: #fee2e2; color: #991b1b; }
.rl-status-timeout, .rl-status-unparseable_gold { background: #fef3c7; color: #92400e; }
details summary { cursor: pointer; }
pre.rl-response { white-space: pre-wrap; word-break: break-word; background: #f9fafb;
  border: 1px solid #e5e7eb; border-radius: 4px; padding: 8px; max-height: 360px;
  overflow: auto; font-size: 12px; }
.rl-filters { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
.rl-kv { width: auto; min-width: 420px; } .rl-kv td:first-child { font-family: monospace; }
"""

SCRIPT = """
(function () {
  var rows = document.querySelectorAll("tr.rl-example");
  var byIteration = document.getElementById("rl-filter-iteration");
  var byStatus = document.getElementById("rl-filter-status");
  var shown = document.getElementById("rl-shown");
  function applyFilters() {
    var count = 0;
    rows.forEach(function (row) {
      var keep = (!byIteration.value || row.dataset.iteration === byIteration.value) &&
                 (!byStatus.value || row.dataset.status === byStatus.value);
      row.hidden = !keep;
      if (keep) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
  }
  byIteration.addEventListener("change", applyFilters);
  byStatus.addEventListener("change", applyFilters);
  applyFilters();
})();
"""

KNOWN_STATUSES = tuple(status.value for status in Status)


def render_report(data: ReportData, path: str | Path) -> Path:
    """Write the report of `data` as one HTML file at `path` (parents created)."""
    return write_text_atomic(path, render_html(data))


def render_html(data: ReportData) -> str:
    """The whole report as one HTML string."""
    sections = [
        f"<header><h1>{escape(data.title)}</h1>"
        f'<p class="rl-sub">model <b>{escape(data.model)}</b> &middot; task '
        f"<b>{escape(data.task)}</b> &middot; {_count_iterations(data.iterations)}</p></header>",
        render_headline(data),
        "<h2>Plots</h2>" + render_plots(data.iterations),
        "<h2>Iterations</h2>" + render_iteration_table(data.iterations),
        "<h2>Examples</h2>" + render_examples(data.examples),
        render_error_types(data),
        render_bstar(data.bstar),
        "<h2>Summary</h2>" + render_key_values(data.summary, "summary"),
        "<h2>Config</h2>" + render_key_values(data.config, "config"),
    ]
    policy = (
        f"default-src 'none'; style-src '{_hash(STYLE)}'; script-src '{_hash(SCRIPT)}'; "
        "img-src data:"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(data.title)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(sections)
        + f"\n<script>{SCRIPT}</script>\n</body></html>\n"
    )


def _count_iterations(iterations: list[IterationResult]) -> str:
    """'2 training iteration(s) after the baseline': iteration 0 is evaluated, not trained."""
    trained = sum(r.iteration > 0 for r in iterations)
    return f"{trained} training iteration(s) after the baseline"


def render_headline(data: ReportData) -> str:
    """Baseline -> final greedy accuracy, the change in points and whether a paired test
    calls it significant (coloured only then), test size and wall time."""
    if not data.iterations:
        return '<section class="rl-headline"><p>No iterations recorded yet.</p></section>'
    first, last = data.iterations[0], data.iterations[-1]
    delta = (last.accuracy - first.accuracy) * 100
    test = data.summary.get("significance")
    significant = isinstance(test, dict) and bool(test.get("significant"))
    direction = ("rl-up" if delta > 0 else "rl-down" if delta < 0 else "") if significant else ""
    wall = data.summary.get("wall_seconds", sum(r.seconds for r in data.iterations))
    stats = [
        (f"{first.accuracy:.1%}", f"baseline (iteration {first.iteration})", _ci(first), ""),
        (f"{last.accuracy:.1%}", f"final (iteration {last.iteration})", _ci(last), ""),
        (f"{delta:+.1f} pts", "change in greedy accuracy", _significance(test), direction),
        (str(last.n_test), "test problems", "held out, never trained on", ""),
        (format_duration(float(wall)), "wall time", _count_iterations(data.iterations), ""),
    ]
    if first.permissive_accuracy is not None and last.permissive_accuracy is not None:
        loose = f"{first.permissive_accuracy:.1%} -> {last.permissive_accuracy:.1%}"
        stats.insert(3, (loose, "accuracy in any format", "permissive extraction", ""))
    cards = "".join(
        f'<div class="rl-stat"><b class="{css}">{escape(value)}</b><span>{escape(label)}<br>'
        f"{escape(detail)}</span></div>"
        for value, label, detail, css in stats
    )
    return f'<section class="rl-headline" id="rl-headline">{cards}</section>'


def _ci(result: IterationResult) -> str:
    return f"greedy; 95% CI {result.ci_low:.1%} to {result.ci_high:.1%}"


def _significance(test: Any) -> str:
    """The paired test's call, e.g. 'not significant (exact McNemar ..., p = 0.5)'."""
    if not isinstance(test, dict):
        return "percentage points; no paired test recorded"
    return PairedComparison.from_dict(test).verdict


def render_plots(iterations: list[IterationResult]) -> str:
    figures = [
        plots.plot_accuracy(iterations),
        plots.plot_pass_at_k(iterations),
        plots.plot_difficulty(iterations),
        plots.plot_statuses(iterations),
        plots.plot_train_losses(iterations),
    ]
    if any(result.generator_levels for result in iterations):  # reasoning-gym tasks only
        figures.append(plots.plot_generator_levels(iterations))
    return '<div class="rl-plots">' + "".join(f"<figure>{f}</figure>" for f in figures) + "</div>"


def render_iteration_table(iterations: list[IterationResult]) -> str:
    ks = sorted({k for result in iterations for k in result.pass_at_k})
    loose = any(r.permissive_accuracy is not None for r in iterations)
    head = ["iteration", "greedy accuracy", "95% CI"]
    head += ["greedy, any format"] if loose else []
    head += [*(f"sampled pass@{k}" for k in ks), "train rows", "seconds"]
    # A column only for runs that dropped rationales (restated hints, no working).
    dropped = any(r.rationales_dropped for r in iterations)
    head += ["rationales dropped (no working)"] if dropped else []
    judged = any(r.judged for r in iterations)  # a column only for runs with a model judge
    head += ["graded by the judge"] if judged else []
    rows = []
    for r in iterations:
        cells = [str(r.iteration), f"{r.accuracy:.1%}", f"{r.ci_low:.1%} to {r.ci_high:.1%}"]
        cells += [_percent(r.permissive_accuracy)] if loose else []
        cells += [_pass_at_k_cell(r, k) for k in ks]
        cells += [str(r.n_train_rows), f"{r.seconds:.1f}"]
        cells += [str(r.rationales_dropped)] if dropped else []
        cells += [str(r.judged)] if judged else []
        rows.append("".join(f'<td class="rl-num">{escape(c)}</td>' for c in cells))
    header = "".join(f'<th class="rl-num">{escape(h)}</th>' for h in head)
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    notes = []
    if any(k not in r.pass_at_k for r in iterations for k in ks):
        notes.append(
            '"n/a": sampled pass@k is measured for the baseline and the final model only '
            "(eval.k answers per problem); the iterations between are evaluated greedily."
        )
    if any(r.pass_at_k_ci for r in iterations):
        notes.append(
            "pass@k intervals (in brackets) are 95% over the test problems, each with its k "
            "samples: samples of one problem are not independent trials."
        )
    note = "".join(f'<p class="rl-sub">{escape(text)}</p>' for text in notes)
    return (
        f'<table id="rl-iterations"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
        + note
    )


def _pass_at_k_cell(result: IterationResult, k: int) -> str:
    """'41.0% (33.2-49.1%)': the value and its interval over problems, or n/a."""
    if k not in result.pass_at_k:
        return "n/a"
    if k not in result.pass_at_k_ci:
        return f"{result.pass_at_k[k]:.1%}"
    low, high = result.pass_at_k_ci[k]
    return f"{result.pass_at_k[k]:.1%} ({100 * low:.1f}-{100 * high:.1f}%)"


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"


def render_examples(examples: list[ExampleRow]) -> str:
    """The examples table with iteration/status filters; rows are `tr.rl-example`."""
    iterations = sorted({example.iteration for example in examples})
    statuses = sorted({example.status for example in examples})
    filters = (
        '<div class="rl-filters"><label>iteration '
        + _render_select("rl-filter-iteration", "all", [str(i) for i in iterations])
        + "</label><label>status "
        + _render_select("rl-filter-status", "all", statuses)
        + '</label><span id="rl-shown"></span></div>'
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("iter", "problem", "verdict", "gold", "answer", "question and response")
    )
    rows = "".join(_render_example(example) for example in examples)
    return (
        f'{filters}<table id="rl-examples"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def render_error_types(data: ReportData) -> str:
    """Bad cases per error type per iteration, and an example of each (empty when unused)."""
    if not data.error_types:
        return ""
    head = "".join(
        f"<th>{h}</th>"
        for h in ("iter", "error type", "bad cases", "keyphrases", "question", "gold", "answer")
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(cell))}</td>"
            for cell in (
                row.iteration,
                row.type,
                row.count,
                "; ".join(row.keyphrases[:3]),
                row.question,
                row.gold,
                "" if row.wrong_answer is None else row.wrong_answer,
            )
        )
        + "</tr>"
        for row in data.error_types
    )
    figure = f"<figure>{plots.plot_error_types(data.iterations)}</figure>"
    return (
        f'<h2>Error types</h2><div class="rl-plots">{figure}</div>'
        f'<table id="rl-error-types"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def render_key_values(mapping: dict[str, Any], name: str) -> str:
    """A two-column table of a (nested) mapping, nested keys joined with dots."""
    rows = "".join(
        f"<tr><td>{escape(key)}</td><td>{escape(value)}</td></tr>"
        for key, value in flatten_mapping(mapping)
    )
    if not rows:
        rows = '<tr><td colspan="2">(empty)</td></tr>'
    return f'<table class="rl-kv" id="rl-{escape(name)}"><tbody>{rows}</tbody></table>'


def flatten_mapping(mapping: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """`flatten_mapping({"train": {"lr": 1e-05}})` -> [("train.lr", "1e-05")]."""
    items: list[tuple[str, str]] = []
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            items += flatten_mapping(value, f"{name}.")
        elif isinstance(value, str):
            items.append((name, value))
        else:
            items.append((name, json.dumps(value, default=str)))
    return items


def format_duration(seconds: float) -> str:
    """`format_duration(3725)` -> '1 h 02 min'; `format_duration(75)` -> '1 min 15 s'."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _render_example(example: ExampleRow) -> str:
    status_class = example.status if example.status in KNOWN_STATUSES else "other"
    mark = "\u2713" if example.correct else "\u2717"
    question = example.question if len(example.question) <= 110 else example.question[:107] + "..."
    answer = "(none)" if example.answer is None else example.answer
    return (
        f'<tr class="rl-example" data-iteration="{example.iteration}" '
        f'data-status="{escape(example.status)}">'
        f'<td class="rl-num">{example.iteration}</td><td>{escape(example.problem_id)}</td>'
        f'<td><span class="rl-status rl-status-{status_class}">{mark} {escape(example.status)}'
        f"</span></td><td>{escape(example.gold)}</td><td>{escape(answer)}</td>"
        f"<td><details><summary>{escape(question)}</summary>"
        f"<p>{escape(example.question)}</p>"
        f'<pre class="rl-response">{escape(example.response)}</pre></details></td></tr>'
    )


def _render_select(element_id: str, everything: str, values: list[str]) -> str:
    options = f'<option value="">{escape(everything)}</option>' + "".join(
        f'<option value="{escape(value)}">{escape(value)}</option>' for value in values
    )
    return f'<select id="{element_id}">{options}</select>'


def _hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline style or script."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
