"""`reasonloop best-of-n RUN_DIR --reward R --n 1,2,4,8,16`: accuracy of the reward's pick.

For each N: the accuracy of the sample each reward scores highest among N (over every
N-subset of a problem's samples), against the oracle (any correct, pass@N) and majority
vote, with 95% intervals over problems. With two or more rewards it also runs rm-eval on the
run's own sets and reports how well rm-eval's order of the rewards predicts their Best-of-N
order (Spearman's rho), the check RewardMATH makes.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from reasonloop.cli._rewards import add_reward_arguments, cache_from_args, rewards_from_args
from reasonloop.cli._table import Cell, format_table
from reasonloop.errors import ConfigError

if TYPE_CHECKING:
    from reasonloop.evaluate.best_of_n import BestOfNReport
    from reasonloop.evaluate.rm.measure import RMEvalReport


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument("--n", default="1,2,4,8,16", help="comma-separated N (default 1,2,4,8,16)")
    parser.add_argument(
        "--max-samples",
        type=int,
        metavar="K",
        help="use each problem's first K samples (default: all); N at most K",
    )
    parser.add_argument("--json", metavar="OUT", help="write the result as JSON")
    parser.add_argument("--plot", metavar="FILE.svg", help="write accuracy against N as SVG")
    parser.add_argument(
        "--rm-eval",
        action="store_true",
        help="also rm-eval each reward on the run (on by default with two or more rewards)",
    )
    add_reward_arguments(parser, several=True)


def run(args: argparse.Namespace) -> int:
    from reasonloop.evaluate.best_of_n import best_of_n_of_run
    from reasonloop.evaluate.rm.outputs import plot_best_of_n
    from reasonloop.files import write_json, write_text_atomic

    ns = parse_ns(args.n)
    rewards = dict(rewards_from_args(args))
    cache = cache_from_args(args)
    report = best_of_n_of_run(
        args.run_dir,
        rewards,
        ns,
        cache=cache,
        batch_size=args.batch_size,
        progress=not args.no_progress,
        max_samples=args.max_samples,
    )
    print(
        f"best-of-N on {report.problems} problems with {report.samples}+ samples "
        f"({report.skipped} with fewer left out); accuracy of the answer picked:"
    )
    print(best_of_n_table(report))
    result: dict[str, Any] = {"best_of_n": report.to_dict()}
    if args.rm_eval or len(rewards) > 1:
        result.update(compare_with_rm_eval(args, rewards, report, cache))
    if args.json:
        write_json(args.json, result)
        print(f"wrote {args.json}")
    if args.plot:
        print(f"wrote {write_text_atomic(args.plot, plot_best_of_n(report))}")
    return 0


def parse_ns(text: str) -> list[int]:
    try:
        ns = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise ConfigError(f"--n must be comma-separated whole numbers, got {text!r}") from None
    if not ns or ns[0] < 1:
        raise ConfigError(f"--n needs positive numbers, got {text!r}")
    return ns


def best_of_n_table(report: BestOfNReport) -> str:
    columns = {**report.baselines, **report.by_reward}
    rows: list[list[Cell]] = [
        [n, *(f"{v[n].value:.3f} [{v[n].low:.2f}-{v[n].high:.2f}]" for v in columns.values())]
        for n in report.ns
    ]
    return format_table(["N", *columns], rows)


def compare_with_rm_eval(
    args: argparse.Namespace, rewards: dict[str, Any], report: BestOfNReport, cache: Any
) -> dict[str, Any]:
    """rm-eval of each reward on the run, and the rank correlation with Best-of-N per N."""
    from reasonloop.evaluate.best_of_n import rank_correlation
    from reasonloop.evaluate.rm.measure import rm_eval
    from reasonloop.evaluate.rm.sets import load_rm_set

    rm_set = load_rm_set(args.run_dir)
    measured: dict[str, RMEvalReport] = {
        name: rm_eval(rm_set, reward, cache=cache, batch_size=args.batch_size)
        for name, reward in rewards.items()
    }
    top = max(n for n in report.ns if n <= 8) if min(report.ns) <= 8 else report.ns[0]
    rows: list[list[Cell]] = [
        [
            name,
            r.accuracy.value,
            r.mrr,
            r.pairwise_accuracy,
            report.by_reward[name][top].value,
        ]
        for name, r in measured.items()
    ]
    print(f"rm-eval on the run's own sets ({len(rm_set.problems)} problems, 1 correct + <= 9):")
    print(format_table(["reward", "rm-eval acc", "MRR", "pairwise", f"best-of-{top}"], rows))
    accuracy = [r.accuracy.value for r in measured.values()]
    correlation = {
        str(n): rank_correlation(accuracy, [report.by_reward[name][n].value for name in measured])
        for n in report.ns
    }
    rho = correlation[str(top)]
    shown = "undefined (a constant side)" if rho is None else f"{rho:.2f}"
    print(
        f"Spearman rho of rm-eval accuracy vs best-of-{top} over {len(measured)} rewards: {shown}"
    )
    return {
        "rm_eval": {
            name: {k: v for k, v in r.to_dict().items() if k != "per_problem"}
            for name, r in measured.items()
        },
        "rank_correlation": correlation,
    }
