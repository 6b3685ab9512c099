"""`reasonloop safety-judge`: compliance, refusal or partial refusal of each response in a file."""

from __future__ import annotations

import argparse
from collections import Counter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="JSONL rows with `prompt` and `completion`")
    parser.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="the rows with `verdict` added (.jsonl)"
    )


def run(args: argparse.Namespace) -> int:
    from reasonloop.files import write_jsonl
    from reasonloop.safety.judge import REFUSAL_LABELS
    from reasonloop.safety.rows import judge_rows, read_judge_rows

    rows = read_judge_rows(args.file)
    judged = judge_rows(rows)
    path = write_jsonl(args.out, judged)
    counts = Counter(row["verdict"] for row in judged)
    summary = ", ".join(f"{label} {counts[label]}" for label in REFUSAL_LABELS)
    print(f"judged {len(judged)} responses by rule: {summary}; wrote {path}")
    return 0
