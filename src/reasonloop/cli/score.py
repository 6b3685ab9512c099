"""`reasonloop score --prm DIR FILE -o OUT.jsonl`: every response scored step by step.

FILE is a run directory (its samples), or a .jsonl/.parquet of rows: stepwise rows
(`completions`), samples (`response`, e.g. from `reasonloop export`) or prompt-completion rows.
Each output row is the input row plus `step_scores` (P(right) per step) and one key per
aggregation: `min`, `product`, `mean`, `last`, `geometric_mean`. Scores are cached by content,
so scoring the same responses again is instant.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from reasonloop.steps.split import SPLIT_RULES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a run directory, or rows (.jsonl/.parquet)")
    parser.add_argument("--prm", required=True, metavar="DIR", help="a PRM from train --method prm")
    parser.add_argument("-o", "--out", required=True, metavar="OUT", help="scored rows (.jsonl)")
    parser.add_argument(
        "--split-rule",
        choices=SPLIT_RULES,
        default="default",
        help="how a response splits into steps (default: blank lines, else lines)",
    )
    parser.add_argument("--batch-size", type=int, default=8, help="responses per forward pass")
    parser.add_argument("--no-cache", action="store_true", help="score without the score cache")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.files import write_jsonl
    from reasonloop.rewards.prm import PRMScorer
    from reasonloop.rewards.step_scores import score_rows

    rows = read_rows(args.file)
    scorer = PRMScorer(
        args.prm,
        batch_size=args.batch_size,
        cache=not args.no_cache,
        show_progress=not args.no_progress,
    )
    scored = score_rows(scorer, rows, args.split_rule)
    write_jsonl(args.out, scored)
    mean_min = sum(row["min"] for row in scored) / len(scored) if scored else 0.0
    print(f"scored {len(scored)} responses with {args.prm} (mean min-step score {mean_min:.3f})")
    print(f"wrote {args.out}")
    return 0


def read_rows(path: str) -> list[dict[str, Any]]:
    """A run directory's samples, or the rows of a dataset file."""
    from reasonloop.dataset import read_dataset

    if Path(path).is_dir():
        from reasonloop.sample.store import RunStore

        with RunStore.open_existing(path) as store:
            return list(store.iter_rows())
    return read_dataset(path)
