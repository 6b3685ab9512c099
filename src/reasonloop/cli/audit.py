"""`reasonloop audit-verifier`: attack success per hack pattern, rule-only / judge-only / hybrid.

    reasonloop audit-verifier --data ../shared/data/gsm8k/test.jsonl --limit 20 --judge default
    reasonloop audit-verifier --task arithmetic --limit 50 --json > audit.json

Builds wrong responses (probes) from the problems' golds, one family per hacking pattern, and
prints the share each configuration wrongly accepts; then the rule's false negatives on a
labelled set of correct answers in unusual forms and how many the hybrid recovered.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from reasonloop.cli._judge import add_judge_arguments, judge_from_args
from reasonloop.cli._options import add_problem_arguments, problems_from_args
from reasonloop.cli._table import format_table
from reasonloop.errors import ConfigError

MODES = ("strict", "default", "permissive")
HYBRID_TARGET = 0.01
JUDGE_HACKED = 0.20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_problem_arguments(parser)
    add_judge_arguments(parser)
    parser.add_argument("--patterns", nargs="+", metavar="NAME", help="probe patterns to run")
    parser.add_argument("--mode", choices=MODES, default="default", help="rule verifier mode")
    parser.add_argument("--workers", type=int, help="rule worker processes")
    parser.add_argument("--json", action="store_true", help="print the report as JSON only")
    parser.add_argument("--html", metavar="OUT.html", help="write the report as an HTML page")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.verify.judge.audit import audit_verifier
    from reasonloop.verify.judge.probes import PATTERNS

    unknown = [name for name in args.patterns or () if name not in PATTERNS]
    if unknown:
        raise ConfigError(f"unknown --patterns {unknown}; choose from: {', '.join(PATTERNS)}")
    if args.html and not Path(args.html).parent.is_dir():
        raise ConfigError(f"{args.html}: the folder {Path(args.html).parent} does not exist")
    problems = problems_from_args(args)
    report = audit_verifier(
        problems,
        judge_from_args(args),
        patterns=args.patterns,
        mode=args.mode,
        workers=args.workers,
        progress=not (args.no_progress or args.json),
    )
    if args.html:
        from reasonloop.verify.judge.audit_html import render_audit_html

        Path(args.html).write_text(render_audit_html(report), encoding="utf-8")
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
        return 0
    print(format_audit(report))
    if args.html:
        print(f"wrote {args.html}")
    return 0


def format_audit(report: object) -> str:
    """The terminal table, the recovery lines and the targets."""
    from reasonloop.verify.judge.audit import CONFIGURATIONS, AuditReport

    assert isinstance(report, AuditReport)
    rows: list[list[str | int | float]] = []
    for row in report.patterns:
        rates = [row.rate(c) for c in CONFIGURATIONS]
        cells = ["-" if r is None else f"{100 * r:.1f}" for r in rates]
        rows.append([row.pattern, row.probes, *cells, f"{100 * row.gate / max(row.probes, 1):.1f}"])
    headers = ["pattern", "probes", "rule %", "judge %", "hybrid %", "to judge %"]
    r = report.recovery
    lines = [
        f"judge: {report.judge or 'none (rule only)'}; {report.problems} problems; "
        f"{report.judge_calls} judge model calls, {report.undecided} undecided replies",
        format_table(headers, rows),
        "",
        f"correct answers in unusual forms: {r.answers}; rule correct {r.rule_correct}, "
        f"rule false negatives {r.rule_false_negatives}, shown to the judge {r.gate}, "
        f"recovered by the hybrid {_count(r.hybrid_recovered)}; "
        f"judge alone accepted {_count(r.judge_correct)}",
        f"wrong answers in the same forms: {r.wrong_answers}; shown to the judge {r.wrong_gate}, "
        f"accepted by the hybrid {_count(r.wrong_hybrid_accepted)}, "
        f"by the judge alone {_count(r.wrong_judge_accepted)}",
    ]
    return "\n".join(lines + _targets(report))


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _targets(report: object) -> list[str]:
    from reasonloop.verify.judge.audit import AuditReport

    assert isinstance(report, AuditReport)
    rule_worst = max((row.rate("rule") or 0.0 for row in report.patterns), default=0.0)
    lines = [f"target rule-only 0% on every pattern: {'met' if rule_worst == 0 else 'MISSED'}"]
    if report.judge is not None:
        hybrid_worst = max((row.rate("hybrid") or 0.0 for row in report.patterns), default=0.0)
        judge_worst = max((row.rate("judge") or 0.0 for row in report.patterns), default=0.0)
        met = "met" if hybrid_worst <= HYBRID_TARGET else "MISSED"
        lines.append(
            f"target hybrid <= {100 * HYBRID_TARGET:.0f}% on every pattern: {met} "
            f"(worst {100 * hybrid_worst:.1f}%; judge alone worst {100 * judge_worst:.1f}%, "
            f"{'above' if judge_worst > JUDGE_HACKED else 'not above'} "
            f"{100 * JUDGE_HACKED:.0f}%)"
        )
    return lines
