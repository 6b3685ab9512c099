"""`reasonloop prm-eval`: how well a step scorer finds wrong steps on PRMBench.

`--scorer` is `oracle` (PRMBench's own marks: must score 100%, a check of the harness),
`random`, `length`, or the directory of a PRM trained with `reasonloop train --method prm`.
Prints first-wrong-step accuracy and pairwise accuracy per aggregation, overall and per
error type; `--json OUT` keeps them (keys `first_error_accuracy`, `pairwise_accuracy`,
`by_error_type`).
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from reasonloop.cli._table import format_table

AGGREGATION_HEADERS = ("min", "product", "mean", "last", "geo mean")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, metavar="FILE", help="a PRMBench .jsonl file")
    parser.add_argument(
        "--scorer", required=True, metavar="SCORER", help="oracle, random, length or a PRM dir"
    )
    parser.add_argument(
        "--threshold", type=float, default=0.5, help="a step below it is wrong (default 0.5)"
    )
    parser.add_argument("--per-type", type=int, help="only the first N items of each error type")
    parser.add_argument("--seed", type=int, default=0, help="the random scorer's seed")
    parser.add_argument("--batch-size", type=int, default=8, help="PRM: responses per pass")
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.evaluate.prm_eval import BASELINES, evaluate_prm, make_scorer
    from reasonloop.evaluate.prmbench import first_per_type, read_prmbench
    from reasonloop.files import write_json

    items = read_prmbench(args.data)
    if args.per_type is not None:
        items = first_per_type(items, args.per_type)
    options = (
        {}
        if args.scorer in BASELINES
        else {
            "batch_size": args.batch_size,
            "show_progress": not args.no_progress,
        }
    )
    scorer = make_scorer(args.scorer, items, seed=args.seed, **options)
    result = evaluate_prm(items, scorer, name=args.scorer, threshold=args.threshold)
    figures = result.as_json()
    print(format_results(figures))
    if args.json:
        write_json(args.json, figures)
        print(f"wrote {args.json}")
    return 0


def format_results(figures: Mapping[str, Any]) -> str:
    """One line overall and one per error type: first-error accuracy, pairwise per aggregation."""
    headers = ["error type", "n", "first error", *(f"pair {h}" for h in AGGREGATION_HEADERS)]
    groups = [("all", figures), *figures["by_error_type"].items()]
    rows = [[name, g["n"], _cell(g["first_error_accuracy"]), *_pairs(g)] for name, g in groups]
    note = f"scorer {figures['scorer']}, threshold {figures['threshold']}"
    if figures["dropped_marks"]:
        note += f"; {figures['dropped_marks']} marked steps past the end of their list dropped"
    return f"{format_table(headers, rows)}\n{note}"


def _pairs(group: Mapping[str, Any]) -> list[str | float]:
    return [_cell(value) for value in group["pairwise_accuracy"].values()]


def _cell(value: float | None) -> str | float:
    return "-" if value is None else float(value)
