"""`reasonloop rm-eval`: how often a reward ranks the correct response above all wrong ones.

RewardMATH's one-correct-vs-many test of a reward without the gold (`--data` a labelled file,
or a run directory whose graded samples give one correct and up to nine incorrect responses
per problem). Prints accuracy, MRR and pairwise accuracy beside their random baselines; writes
the full result with every problem's scores (--json), a per-problem CSV and a plot.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.cli._rewards import add_reward_arguments, cache_from_args, rewards_from_args
from reasonloop.cli._table import Cell, format_table

if TYPE_CHECKING:
    from reasonloop.evaluate.rm.measure import RMEvalReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        required=True,
        metavar="FILE|RUN_DIR",
        help="labelled responses (.jsonl/.parquet: problem_id, response, correct[, question]) "
        "or a run directory (its graded samples)",
    )
    parser.add_argument(
        "--max-incorrect",
        type=int,
        metavar="N",
        help="most incorrect responses per problem (run directory: default 9; file: all rows)",
    )
    parser.add_argument(
        "--template",
        default="default",
        help="prompt template that turns a file's question into the prompt (default: default)",
    )
    parser.add_argument("--json", metavar="OUT", help="write the result as JSON")
    parser.add_argument("--csv", metavar="FILE", help="write one row per problem")
    parser.add_argument("--plot", metavar="FILE.svg", help="write the metrics as an SVG plot")
    add_reward_arguments(parser, several=False)


def run(args: argparse.Namespace) -> int:
    from reasonloop.evaluate.rm.measure import rm_eval
    from reasonloop.evaluate.rm.outputs import plot_rm_eval, write_problem_csv
    from reasonloop.evaluate.rm.sets import load_rm_set
    from reasonloop.files import write_json, write_text_atomic
    from reasonloop.prompts import load_template

    template = load_template(args.template)
    rm_set = load_rm_set(args.data, args.max_incorrect)
    [(label, reward)] = rewards_from_args(args)
    cache = cache_from_args(args)
    report = rm_eval(
        rm_set,
        reward,
        cache=cache,
        template=template,
        batch_size=args.batch_size,
        progress=not args.no_progress,
    )
    for line in describe(label, report):
        print(line)
    if args.json:
        write_json(args.json, {"reward_spec": label, **report.to_dict()})
        print(f"wrote {args.json}")
    if args.csv:
        print(f"wrote {write_problem_csv(report, args.csv)}")
    if args.plot:
        print(f"wrote {write_text_atomic(args.plot, plot_rm_eval([(label, report)]))}")
    if report.failed_scores:
        where = f"; the {cache.path} cache keeps the scores made" if cache else ""
        print(
            f"warning: the reward failed on {report.failed_scores} responses "
            f"(first: {report.first_error}){where}",
            file=sys.stderr,
        )
    return 0


def describe(label: str, report: RMEvalReport) -> list[str]:
    """The summary lines: what was ranked and the metrics beside chance."""
    responses = sum(len(p.scores) for p in report.per_problem)
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.items()) or "none"
    acc = report.accuracy
    rows: list[list[Cell]] = [
        ["accuracy", f"{acc.value:.3f} [{acc.low:.3f}-{acc.high:.3f}]", report.random_accuracy],
        ["MRR", f"{report.mrr:.3f}", report.random_mrr],
        ["pairwise accuracy", f"{report.pairwise_accuracy:.3f}", 0.5],
    ]
    return [
        f"rm-eval of {label} on {Path(report.source).name}: {report.problems} problems, "
        f"{responses} responses ({report.cached_scores} scores from the cache); "
        f"skipped: {skipped}",
        format_table(["metric", "reward", "random"], rows),
    ]
