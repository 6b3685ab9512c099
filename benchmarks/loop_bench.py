"""Plain rejection-sampling fine-tuning against the difficulty-aware variant, at equal budget.

Both variants start from the same model, train on the same problems and are evaluated on the
same held-out problems. They draw the same number of samples per iteration:

- plain: k samples for every training problem;
- difficulty-aware (DAST-P style): k - extra samples for every problem, then
  extra x n_train more, spent mostly on hard and unsolved problems with a longer token budget.

"Hard" held-out problems are the ones the starting model solves at most 1/3 of the time in
its sampled baseline evaluation. Prints held-out accuracy overall and on the hard problems,
with 95% Wilson intervals, and the cost of each variant.

    python benchmarks/loop_bench.py --out runs/loop-bench            # default model, ~25 min CPU
    python benchmarks/loop_bench.py --out runs/lb --n-train 60 --iterations 1
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from reasonloop.loop import apply_overrides, demo_config, run_loop
from reasonloop.profile.difficulty import profile_difficulty
from reasonloop.profile.metrics import accuracy_with_ci
from reasonloop.sample.store import RunStore


def variant_overrides(args: argparse.Namespace, aware: bool) -> dict[str, Any]:
    first_pass = args.k - args.extra if aware else args.k
    return {
        "model": args.model,
        "task": args.task,
        "n_train": args.n_train,
        "n_test": args.n_test,
        "iterations": args.iterations,
        "sampling.k": first_pass,
        "resample.budget": args.extra * args.n_train if aware else 0,
        "eval.k": 4,
    }


def held_out_correct(run_dir: Path, iteration: int) -> dict[str, bool]:
    with RunStore.open_existing(run_dir / f"iter-{iteration}" / "eval" / "greedy") as store:
        return {pid: s[0].correct for pid, s in store.samples_by_problem().items()}


def hard_problems(run_dir: Path) -> set[str]:
    """Held-out problems the starting model solves at most 1/3 of the time (sampled eval)."""
    with RunStore.open_existing(run_dir / "iter-0" / "eval" / "sampled") as store:
        profile = profile_difficulty(store.samples_by_problem())
    return {row.problem_id for row in profile.rows if row.level in ("hard", "unsolved")}


def sampling_cost(run_dir: Path, iterations: int) -> tuple[int, int]:
    samples = tokens = 0
    for iteration in range(1, iterations + 1):
        with RunStore.open_existing(run_dir / f"iter-{iteration}" / "samples") as store:
            drawn = store.samples()
        samples += len(drawn)
        tokens += sum(s.completion_tokens for s in drawn)
    return samples, tokens


def format_estimate(correct: list[bool]) -> str:
    if not correct:
        return "n/a"
    e = accuracy_with_ci(correct)
    return f"{e.value:6.1%} [{e.low:5.1%}, {e.high:5.1%}] n={e.n}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for both variants' runs")
    parser.add_argument("--model", default="default")
    parser.add_argument("--task", default="arithmetic:digits=2")
    parser.add_argument("--n-train", type=int, default=120)
    parser.add_argument("--n-test", type=int, default=100)
    parser.add_argument("--k", type=int, default=8, help="samples per training problem")
    parser.add_argument("--extra", type=int, default=2, help="of k, how many go to resampling")
    parser.add_argument("--iterations", type=int, default=1)
    args = parser.parse_args()

    results = {}
    for name, aware in (("plain", False), ("difficulty-aware", True)):
        run_dir = Path(args.out) / name
        config = apply_overrides(demo_config(), variant_overrides(args, aware))
        print(f"== {name}: {run_dir}", flush=True)
        summary = run_loop(config, run_dir, progress=True, notify=print)
        results[name] = (run_dir, summary)

    hard = hard_problems(results["plain"][0])
    print(f"\nheld-out problems: {args.n_test}, hard for the starting model: {len(hard)}")
    header = (
        f"{'variant':<18} {'samples':>7} {'tokens':>7} {'held-out accuracy':<32} {'on hard':<32}"
    )
    print(header)
    print("-" * len(header))
    baseline = held_out_correct(results["plain"][0], 0)
    print(
        f"{'baseline':<18} {'':>7} {'':>7} {format_estimate(list(baseline.values())):<32} "
        f"{format_estimate([c for p, c in baseline.items() if p in hard]):<32}"
    )
    for name, (run_dir, _) in results.items():
        final = held_out_correct(run_dir, args.iterations)
        samples, tokens = sampling_cost(run_dir, args.iterations)
        print(
            f"{name:<18} {samples:>7} {tokens:>7} {format_estimate(list(final.values())):<32} "
            f"{format_estimate([c for p, c in final.items() if p in hard]):<32}"
        )


if __name__ == "__main__":
    main()
