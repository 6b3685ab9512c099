"""B-STaR against self-training at a fixed temperature, at the same sampling budget.

Both arms start from the same model, train online (each iteration continues from the one
before, as the loop always does) on the same problems, and are evaluated on the same
held-out problems after every iteration:

- fixed: samples every training problem at T = 0.8 (`--fixed-temperature`);
- B-STaR: `sampling.temperature: auto`: before each iteration it samples a dev subset at every
  temperature of the grid and samples the training problems at the temperature (and keeps
  the responses above the threshold) of highest balance score.

The fixed arm draws as many more samples per training problem as B-STaR spends on its dev
sweep (rounded), so both draw about the same number of samples; the drawn counts are
printed. Per iteration: greedy held-out accuracy (pass@1) and sampled pass@k, each with its
95% interval over problems, and B-STaR's T* and tau*. Then what the paper claims, as it came
out here: does B-STaR keep improving where the fixed temperature stalls, and does its pass@k
decay less (B-STaR / fixed ratios of the final figures and of the wall time, same run).

    python benchmarks/bstar_bench.py --out runs/bstar-bench              # default model
    python benchmarks/bstar_bench.py --out runs/bb --n-train 24 --iterations 4 --eval-k 4
    python benchmarks/bstar_bench.py --out runs/bb --arms bstar   # one arm (resumed later)
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.backends.base import SamplingParams
from reasonloop.evaluate.measure import evaluate
from reasonloop.loop import run_loop
from reasonloop.loop.config import LoopConfig, load_config
from reasonloop.loop.ledger import Ledger
from reasonloop.loop.models import SamplerCache
from reasonloop.loop.records import BStarRecord, ModelRecord
from reasonloop.loop.stages import read_problems
from reasonloop.profile.metrics import Estimate
from reasonloop.prompts import load_template
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore

ARMS = ("fixed", "bstar")


@dataclass(frozen=True)
class IterationRow:
    """One arm after one iteration (0: the starting model)."""

    arm: str
    iteration: int
    accuracy: Estimate  # greedy, held out
    pass_at_k: Estimate  # eval_k samples per held-out problem
    temperature: float | None  # the temperature this iteration's training samples were drawn at
    tau: float | None  # B-STaR's threshold (None: fixed arm)


def arm_overrides(args: argparse.Namespace, arm: str) -> dict[str, Any]:
    dev = len(args.temperatures) * min(args.dev_size, args.n_train) * args.dev_k
    common: dict[str, Any] = {
        "model": args.model,
        "task": args.task,
        "n_train": args.n_train,
        "n_test": args.n_test,
        "iterations": args.iterations,
        "keep_models": "all",  # every iteration's model is evaluated for pass@k
        "eval.k": 0,  # pass@k per iteration is drawn here, for every iteration alike
        "backend.options": {"num_threads": args.threads},
        **args.set,
    }
    if arm == "fixed":
        extra = round(dev / args.n_train)  # the dev sweep's samples, spent on training problems
        return {
            **common,
            "sampling.k": args.k + extra,
            "sampling.temperature": args.fixed_temperature,
        }
    return {
        **common,
        "sampling.k": args.k,
        "sampling.temperature": "auto",
        "bstar.temperatures": args.temperatures,
        "bstar.dev_size": args.dev_size,
        "bstar.k": args.dev_k,
        "bstar.n_star": args.n_star,
    }


def model_of(run_dir: Path, iteration: int) -> str:
    if iteration == 0:
        return Ledger.open(run_dir).read("base-model", ModelRecord).model_dir
    return str(run_dir / f"iter-{iteration}" / "model")


def sampled_pass_at_k(
    config: LoopConfig, run_dir: Path, iteration: int, eval_k: int, out: Path
) -> Estimate:
    """pass@eval_k of iteration `iteration`'s model on the run's held-out problems."""
    cache = SamplerCache(config.backend, config.eval.batch_size)
    model = model_of(run_dir, iteration)
    if cache.converts:
        engine, _ = cache.convert(model, run_dir / "models" / "engine" if iteration else None)
        cache.use_converted(model, engine)
    settings = DrawSettings(load_template(config.template), config.eval.batch_size)
    params = SamplingParams(config.eval.max_new_tokens, config.eval.temperature, seed=config.seed)
    report = evaluate(
        read_problems(run_dir / "test.jsonl"),
        cache.get(model),
        settings,
        k=eval_k,
        params=params,
        store_dir=out / f"iter-{iteration}",
        ks=(eval_k,),
        spec=cache.spec(model),
    )
    return report.pass_at_k_ci[eval_k]


def greedy_accuracy(run_dir: Path, iteration: int) -> Estimate:
    from reasonloop.evaluate.heldout import read_heldout

    return read_heldout(run_dir / f"iter-{iteration}" / "eval").greedy.accuracy


def drawn_samples(run_dir: Path, iterations: int) -> int:
    """Samples the arm drew for training: training samples, hinted ones, B-STaR's dev ones."""
    total = 0
    for iteration in range(1, iterations + 1):
        it_dir = run_dir / f"iter-{iteration}"
        stores = [it_dir / "samples", it_dir / "rationales", *sorted(it_dir.glob("bstar/t*"))]
        for store_dir in stores:
            if (store_dir / "samples.sqlite").is_file():
                with RunStore.open_existing(store_dir) as store:
                    total += store.count()
    return total


def run_arm(args: argparse.Namespace, arm: str) -> tuple[list[IterationRow], float, int]:
    """Run one arm's loop and measure every iteration: (rows, loop seconds, samples drawn)."""
    config = load_config(None, arm_overrides(args, arm))
    run_dir = args.out / arm
    started = time.perf_counter()
    summary = run_loop(config, run_dir, progress=not args.quiet, notify=print)
    seconds = time.perf_counter() - started
    done = summary.iterations
    ledger = Ledger.open(run_dir)
    rows = []
    for iteration in range(done + 1):
        chosen = ledger.find(f"iter-{iteration}/bstar", BStarRecord) if iteration else None
        fixed = args.fixed_temperature if arm == "fixed" and iteration else None
        rows.append(
            IterationRow(
                arm=arm,
                iteration=iteration,
                accuracy=greedy_accuracy(run_dir, iteration),
                pass_at_k=sampled_pass_at_k(
                    config, run_dir, iteration, args.eval_k, args.out / f"{arm}-pass-at-k"
                ),
                temperature=chosen.temperature if chosen else fixed,
                tau=chosen.tau if chosen else None,
            )
        )
    return rows, seconds, drawn_samples(run_dir, done)


def describe(e: Estimate) -> str:
    return f"{e.value:6.1%} [{e.low:5.1%}, {e.high:5.1%}]"


def gains(rows: list[IterationRow]) -> list[float]:
    """Points of greedy accuracy each iteration added over the one before."""
    return [100 * (b.accuracy.value - a.accuracy.value) for a, b in itertools.pairwise(rows)]


def decay(rows: list[IterationRow]) -> float:
    """Points pass@k lost from its best iteration to the last one (0: it never fell)."""
    best = max(r.pass_at_k.value for r in rows)
    return 100 * (best - rows[-1].pass_at_k.value)


def print_results(
    args: argparse.Namespace, results: dict[str, tuple[list[IterationRow], float, int]]
) -> None:
    print(f"\n{'arm':6} iter  T      tau  greedy accuracy [95% CI]  pass@{args.eval_k} [95% CI]")
    for arm in ARMS:
        for r in results[arm][0]:
            t = "-" if r.temperature is None else f"{r.temperature:g}"
            tau = "-" if r.tau is None else f"{r.tau:g}"
            print(
                f"{arm:6} {r.iteration:4}  {t:5} {tau:4} {describe(r.accuracy)}    "
                f"{describe(r.pass_at_k)}"
            )
    fixed, bstar = results["fixed"], results["bstar"]
    print(f"\nsamples drawn for training (dev sweep included): fixed {fixed[2]}, B-STaR {bstar[2]}")
    for arm in ARMS:
        rows = results[arm][0]
        steps = ", ".join(f"{g:+.1f}" for g in gains(rows))
        print(f"{arm}: greedy gain per iteration (points) {steps}; pass@k decay {decay(rows):.1f}")
    a, b = fixed[0][-1], bstar[0][-1]
    print(
        f"B-STaR / fixed, final greedy accuracy: {ratio(b.accuracy.value, a.accuracy.value)}; "
        f"final pass@{args.eval_k}: {ratio(b.pass_at_k.value, a.pass_at_k.value)}; "
        f"loop wall time: {ratio(bstar[1], fixed[1])}"
    )


def ratio(x: float, y: float) -> str:
    return "n/a (fixed is 0)" if y == 0 else f"{x / y:.2f}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="directory for both arms' runs")
    parser.add_argument("--model", default="default")
    parser.add_argument("--task", default="arithmetic:digits=1")
    parser.add_argument("--n-train", type=int, default=40)
    parser.add_argument("--n-test", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=4)
    parser.add_argument("--k", type=int, default=4, help="B-STaR's samples per training problem")
    parser.add_argument("--fixed-temperature", type=float, default=0.8)
    parser.add_argument("--temperatures", type=float, nargs="+", default=[0.5, 0.8, 1.1])
    parser.add_argument("--dev-size", type=int, default=8)
    parser.add_argument("--dev-k", type=int, default=8)
    parser.add_argument("--n-star", type=int, default=4)
    parser.add_argument("--eval-k", type=int, default=4, help="held-out samples for pass@k")
    parser.add_argument("--threads", type=int, default=1, help="engine threads")
    parser.add_argument(
        "--set", type=json.loads, default={}, help='more config overrides as JSON, e.g. {"a": 1}'
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument(
        "--arms",
        nargs="+",
        choices=ARMS,
        default=list(ARMS),
        help="run only these arms (two processes can run one each; a later run of both "
        "resumes them and prints the comparison)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, tuple[list[IterationRow], float, int]]:
    args = parse_args(argv)
    results = {arm: run_arm(args, arm) for arm in args.arms}
    if set(results) == set(ARMS):
        print_results(args, results)
    return results


if __name__ == "__main__":
    main()
