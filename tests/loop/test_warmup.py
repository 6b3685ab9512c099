"""Before the base evaluation runs on, the loop prints the run's expected sampling time, timed
on the evaluation's first batch, which the evaluation keeps (nothing is drawn twice)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reasonloop.loop import load_config, run_loop
from reasonloop.sample.store import RunStore

pytest.importorskip("trl")


def test_the_first_batch_of_the_base_eval_times_the_run(
    tmp_path: Path, tiny_model_dir: str
) -> None:
    config = load_config(
        None,
        {
            "model": tiny_model_dir,
            "n_train": 6,
            "n_test": 6,
            "iterations": 1,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "backend.options": {"accuracy": 0.0},  # nothing to train on: the run stops early
            "sampling.k": 2,
            "sampling.rationalize": 0,
            "eval.batch_size": 4,
            "eval.k": 2,
        },
    )
    said: list[str] = []
    run_loop(config, tmp_path / "run", progress=False, notify=said.append)
    plan = next(i for i, m in enumerate(said) if m.startswith("[plan]"))
    started = said.index("[iter-0/eval] ...")
    estimate = next(i for i, m in enumerate(said) if m.startswith("[estimate]"))
    evaluated = next(i for i, m in enumerate(said) if m.startswith("[iter-0/eval] held-out"))
    assert plan < started < estimate < evaluated
    # 6 x 2 training samples + 6 greedy and 2 x 6 x 2 sampled held-out answers = 42
    assert re.fullmatch(
        r"\[estimate\] about \d+ min of sampling in all at the [\d.]+ samples/s timed on the "
        r"base model's first 4 held-out answers \(an upper bound: .*\), plus training \(up to "
        r"\d+ steps; its time follows its first steps\)",
        said[estimate],
    )
    # The warm-up's answers are the evaluation's own: one greedy answer per test problem.
    eval_dir = tmp_path / "run" / "iter-0" / "eval"
    with RunStore.open_existing(eval_dir / "greedy") as store:
        assert sorted(s.sample_index for s in store.samples()) == [0] * 6
    assert json.loads((eval_dir / "eval.json").read_text())["greedy"]["accuracy"]["n"] == 6
