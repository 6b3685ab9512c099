"""`run --force` with a changed training option: the stages whose inputs changed run again
(training, and every evaluation of the retrained weights, although iter-1/model is the same
path), the others are reused, and the summary reports the new evaluation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.loop import load_config, run_loop
from reasonloop.loop.identity import hash_model

pytest.importorskip("trl")


def config(model: str, learning_rate: float) -> Any:
    return load_config(
        None,
        {
            "model": model,
            "n_train": 8,
            "n_test": 6,
            "iterations": 1,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "sampling.k": 2,
            "sampling.rationalize": 0,
            "sampling.max_new_tokens": 32,
            "train.options": {"max_steps": 2, "batch_size": 4, "learning_rate": learning_rate},
            "eval.max_new_tokens": 32,
        },
    )


def test_forced_rerun_with_another_learning_rate_reevaluates(tmp_path: Path) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    run_dir = tmp_path / "run"
    run_loop(config(model, 1e-5), run_dir, progress=False)
    old_weights = hash_model(str(run_dir / "iter-1" / "model"))

    messages: list[str] = []
    changed = config(model, 0.5)
    summary = run_loop(changed, run_dir, force=True, progress=False, notify=messages.append)
    # Unchanged inputs are reused; the training and everything after it is redone.
    for stage in ("problems", "iter-0/eval", "iter-1/sample", "iter-1/build"):
        assert f"[{stage}] done already, skipped" in messages
    for stage in ("iter-1/train", "iter-1/eval"):
        assert f"[{stage}] its inputs changed: redoing it" in messages
    assert hash_model(str(run_dir / "iter-1" / "model")) != old_weights
    # The old evaluation was moved aside, not resumed: every test problem was answered again.
    assert len(list((run_dir / "iter-1").glob("eval.bak-*"))) == 1
    evaluation = json.loads((run_dir / "iter-1" / "eval" / "eval.json").read_text())
    assert summary["final_accuracy"] == evaluation["greedy"]["accuracy"]["value"]
    stages = json.loads((run_dir / "stages.json").read_text())
    assert stages["iter-1/eval"]["accuracy"] == summary["final_accuracy"]

    # The same command again: nothing changed, nothing is redone.
    again: list[str] = []
    run_loop(changed, run_dir, progress=False, notify=again.append)
    assert not [m for m in again if "redoing" in m or m.endswith("] ...")]
