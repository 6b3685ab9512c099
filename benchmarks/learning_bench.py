"""The learning benchmark: which curation method teaches the embedded model most, on
reasoning-gym tasks, at equal sampling compute and the same training budget.

Methods (`learning/methods.py`): plain self-training (RFT), + STaR rationalization, + DAST-P
resampling, + budgeted selection (ClusterUCB), + SEI synthesis, and places for step-DPO and
B-STaR. Each cell is one task x one method x one seed: one iteration of the loop
(`reasonloop.loop.run_loop`: sample on the CPU engine -> curate -> TRL SFT -> greedy held-out
eval), in OUT/runs/CELL/ (resumable), with its result in OUT/cells/CELL.json. `--table`
assembles the finished cells into one markdown table (accuracy with problem-clustered 95%
intervals, exact McNemar against RFT, tokens sampled, wall time) and an SVG plot per task.

    python benchmarks/learning_bench.py --task gcd --method rft --out runs/learning
    python benchmarks/learning_bench.py --task gcd --method star --seed 1 --out runs/learning
    python benchmarks/learning_bench.py --table --out runs/learning
    python benchmarks/learning_bench.py --list
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the learning/ helper modules

from learning.cell import run_cell  # noqa: E402
from learning.methods import METHODS, Budget  # noqa: E402
from learning.table import write_table  # noqa: E402
from learning.tasks import TASKS, find_task  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="runs/learning-bench", help="cells and runs go here")
    parser.add_argument("--task", help=f"one of {sorted(TASKS)}, or any rg: spec")
    parser.add_argument("--method", choices=sorted(METHODS), help="the cell's method")
    parser.add_argument("--seed", type=int, default=0, help="training problems, samples, SFT")
    parser.add_argument("--table", action="store_true", help="assemble the finished cells")
    parser.add_argument("--list", action="store_true", help="the tasks and methods")
    parser.add_argument("--model", default="default", help="the base model (default: embedded)")
    parser.add_argument("--threads", type=int, default=1, help="CPU engine threads (0: all)")
    parser.add_argument("--no-progress", action="store_true")
    defaults = Budget()
    parser.add_argument("--n-train", type=int, default=defaults.n_train)
    parser.add_argument("--n-test", type=int, default=defaults.n_test)
    parser.add_argument("-k", type=int, default=defaults.k, help="RFT samples per problem")
    parser.add_argument("--max-new-tokens", type=int, default=defaults.max_new_tokens)
    parser.add_argument("--steps", type=int, default=defaults.steps, help="SFT optimizer steps")
    return parser.parse_args(argv)


def show_list() -> None:
    for task in TASKS.values():
        print(f"task {task.name:<12} {task.spec:<45} answers: {task.answers}, base {task.base}")
    for method in METHODS.values():
        print(
            f"method {method.name:<11} {method.label}"
            + (f" ({method.missing})" * bool(method.missing))
        )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    out = Path(args.out)
    if args.list:
        show_list()
        return
    if args.table:
        table, plots = write_table(out)
        print(table)
        print("written: " + ", ".join(map(str, plots)))
        return
    if not args.task or not args.method:
        raise SystemExit("a cell needs --task and --method (or --table, --list)")
    budget = Budget(args.n_train, args.n_test, args.k, args.max_new_tokens, args.steps)
    path = run_cell(
        find_task(args.task),
        METHODS[args.method],
        budget,
        args.seed,
        out,
        threads=args.threads,
        model=args.model,
        notify=lambda message: print(message, flush=True),
        progress=not args.no_progress,
    )
    print(f"cell written: {path}")


if __name__ == "__main__":
    main()
