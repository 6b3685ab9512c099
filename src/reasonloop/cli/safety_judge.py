"""`reasonloop safety-judge`: compliance, refusal or partial refusal of each response in a file."""

from __future__ import annotations

import argparse
from collections import Counter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="JSONL rows with `prompt` and `completion`")
    parser.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="the rows with `verdict` added (.jsonl)"
    )
    parser.add_argument(
        "--judge-model",
        metavar="M",
        help="also ask this model about the responses the rules call compliance "
        "('default', a model directory, 'fake:echo', ...)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.files import write_jsonl
    from reasonloop.safety.judge import REFUSAL_LABELS
    from reasonloop.safety.rows import judge_rows, read_judge_rows

    rows = read_judge_rows(args.file)
    how = "by rule"
    verdicts = None
    if args.judge_model:
        from reasonloop.cli._options import sampler_spec
        from reasonloop.safety.model_judge import judge_with_model

        sampler = sampler_spec(args.judge_model, None, None, []).load()
        judged_rows = judge_with_model(
            sampler,
            [row["prompt"] for row in rows],
            [row["completion"] for row in rows],
            progress=not args.no_progress,
        )
        verdicts = judged_rows.verdicts
        how = (
            f"by rule, then {sampler.model_id} on the {judged_rows.asked} the rule called "
            f"compliance ({judged_rows.unreadable} unreadable replies kept the rule's label)"
        )
    judged = judge_rows(rows, verdicts)
    path = write_jsonl(args.out, judged)
    counts = Counter(row["verdict"] for row in judged)
    summary = ", ".join(f"{label} {counts[label]}" for label in REFUSAL_LABELS)
    print(f"judged {len(judged)} responses {how}: {summary}; wrote {path}")
    return 0
