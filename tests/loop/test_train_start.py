"""`train.start`: online (each iteration trains the model the one before made, the default) or
from the base model every iteration (STaR's restart), stated in the run's summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.loop import load_config, run_loop

pytest.importorskip("trl")


def config(model: str, start: str) -> Any:
    return load_config(
        None,
        {
            "model": model,
            "n_train": 8,
            "n_test": 4,
            "iterations": 2,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "sampling.k": 2,
            "sampling.rationalize": 0,
            "sampling.max_new_tokens": 32,
            "train.options": {"max_steps": 1, "batch_size": 2},
            "train.start": start,
            "eval.max_new_tokens": 32,
            "keep_models": "all",
        },
    )


def trained_from(run_dir: Path, iteration: int) -> str:
    record = json.loads(
        (run_dir / f"iter-{iteration}" / "model" / "reasonloop_train.json").read_text()
    )
    return str(Path(record["base_model"]).resolve())


@pytest.mark.parametrize("start", ["previous", "base"])
def test_each_iteration_trains_the_chosen_start(tmp_path: Path, start: str) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    run_dir = tmp_path / "run"
    messages: list[str] = []
    summary = run_loop(config(model, start), run_dir, progress=False, notify=messages.append)
    base = trained_from(run_dir, 1)
    second = trained_from(run_dir, 2)
    if start == "base":
        assert second == base
        assert "[plan] each iteration trains the base model again (train.start: base)" in messages
    else:
        assert second == str((run_dir / "iter-1" / "model").resolve())
    assert summary.train_start == start
    assert json.loads((run_dir / "summary.json").read_text())["train_start"] == start


def test_an_unknown_start_is_refused() -> None:
    with pytest.raises(ConfigError, match="train.start"):
        load_config(None, {"train.start": "scratch"})
