"""One cell of the learning benchmark: one task, one method, one seed, run through the loop.

A cell is `reasonloop.loop.run_loop` for one iteration (base model -> sample -> curate ->
SFT -> held-out eval) in OUT/runs/CELL/, resumable like any loop run, and a small JSON file
OUT/cells/CELL.json with what the table needs: per-problem greedy correctness of the base and
the trained model, the tokens each sampling store generated, rows trained, wall time.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import asdict
from pathlib import Path
from typing import Any

from learning.methods import BASELINE, METHODS, Budget, Method
from learning.tasks import BenchTask
from reasonloop.files import write_json
from reasonloop.loop import apply_overrides, run_loop
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.ledger import Ledger
from reasonloop.sample.store import RunStore
from reasonloop.steps.rollouts import DB_NAME as ROLLOUTS_DB
from reasonloop.tasks.gym import generate_gym_problems


def cell_name(task: BenchTask, method: Method, seed: int) -> str:
    """A file name for the cell: 'gcd--rft--s0' (an rg: spec's odd characters become _)."""
    safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in task.name)
    return f"{safe}--{method.name}--s{seed}"


def cell_config(
    task: BenchTask, method: Method, budget: Budget, seed: int, threads: int, model: str
) -> LoopConfig:
    overrides: dict[str, Any] = {**budget.shared_overrides(), **method.overrides(budget)}
    overrides.update(
        n_test=budget.n_test + task.extra_test,
        model=model,
        task=task.train_spec(seed),
        test_data=task.test_spec(),
        seed=seed,
    )
    overrides["backend.options"] = {"num_threads": threads} if threads else {}
    return apply_overrides(LoopConfig(), overrides)


def run_cell(
    task: BenchTask,
    method: Method,
    budget: Budget,
    seed: int,
    out: Path,
    *,
    threads: int = 1,
    model: str = "default",
    backend: Mapping[str, Any] | None = None,
    notify: Callable[[str], None] | None = None,
    progress: bool = True,
) -> Path:
    """Run (or resume) the cell and write its result file; returns that file's path. A method
    that does not apply to the task writes a result that says so and runs nothing."""
    if method.missing:
        raise SystemExit(f"method {method.name}: {method.missing}")
    name = cell_name(task, method, seed)
    reason = method.inapplicable(generate_gym_problems(task.test_spec(), 1)[0])
    if reason is not None:
        result = {"task": task.name, "method": method.name, "seed": seed, "skipped": reason}
        return write_json(out / "cells" / f"{name}.json", result)
    config = cell_config(task, method, budget, seed, threads, model)
    if backend is not None:  # tests: the fake backend samples, the tiny model trains
        config = apply_overrides(config, {f"backend.{k}": v for k, v in backend.items()})
    run_dir = out / "runs" / name
    reuse_base_eval(out, task, run_dir)
    started = time.perf_counter()
    summary = run_loop(config, run_dir, progress=progress, notify=notify)
    seconds = time.perf_counter() - started
    result = {
        "task": task.name,
        "spec": task.spec,
        "held_out": task.test_spec(),
        "method": method.name,
        "seed": seed,
        "budget": asdict(budget),
        "model": model,
        "base": held_out_correct(run_dir, 0),
        "final": held_out_correct(run_dir, 1) if summary.iterations else None,
        "stopped": summary.stopped,
        "tokens": sampled_tokens(run_dir),
        "rows_trained": rows_trained(run_dir, config),
        "wall_seconds": round(seconds, 1),
        "ledger_seconds": summary.wall_seconds,
        "method_seconds": round(Ledger.open(run_dir).seconds("iter-1/"), 1),
    }
    return write_json(out / "cells" / f"{name}.json", result)


def reuse_base_eval(out: Path, task: BenchTask, run_dir: Path) -> None:
    """Start the cell with the base model's held-out answers of an earlier cell of the task.

    Every method of a task evaluates the same base model greedily on the same held-out
    problems, so the answers are the same; the loop's own resume takes them when the stage's
    inputs are the same (the copied marker says which), and redoes the stage when they differ.
    """
    target = run_dir / "iter-0" / "eval"
    if target.exists():
        return
    safe = cell_name(task, METHODS[BASELINE], 0).split("--")[0]
    for done in sorted((out / "runs").glob(f"{safe}--*/iter-0/eval")):
        if Ledger.open(done.parent.parent).done("iter-0/eval"):  # a finished evaluation
            shutil.copytree(done, target)
            return


def held_out_correct(run_dir: Path, iteration: int) -> dict[str, bool]:
    """Greedy held-out correctness per problem id after `iteration` (0: the base model)."""
    with RunStore.open_existing(run_dir / f"iter-{iteration}" / "eval" / "greedy") as store:
        return {pid: group[0].correct for pid, group in store.samples_by_problem().items()}


def sampled_tokens(run_dir: Path) -> dict[str, int]:
    """Generated tokens of iteration 1, by where they were drawn: every run store but the
    held-out evaluation's (plain and resampled responses, STaR's hinted ones, B-STaR's dev
    sweep) and the step-value rollouts."""
    iteration = run_dir / "iter-1"
    counts = {"tokens": 0, "responses": 0}
    for db in sorted(iteration.rglob("samples.sqlite")):
        where = db.parent.relative_to(iteration)
        if where.parts[0] == "eval":
            continue
        with RunStore.open_existing(db.parent) as store:
            drawn = [s.completion_tokens for s in store.samples()]
        add_count(counts, str(where), drawn)
    for db in sorted(iteration.rglob(ROLLOUTS_DB)):
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
            rows = connection.execute("SELECT completion_tokens FROM rollouts").fetchall()
        add_count(counts, str(db.parent.relative_to(iteration)), [n for (n,) in rows])
    return counts


def add_count(counts: dict[str, int], where: str, tokens: list[int]) -> None:
    counts[f"{where} tokens"] = sum(tokens)
    counts["tokens"] += sum(tokens)
    counts["responses"] += len(tokens)


def rows_trained(run_dir: Path, config: LoopConfig) -> int:
    selected = run_dir / "iter-1" / "select" / "selected_rows.jsonl"
    rows = selected if config.select.method else run_dir / "iter-1" / "train_rows.jsonl"
    if not rows.exists():
        return 0
    with rows.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())
