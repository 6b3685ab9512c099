"""`keep_models`: the loop keeps the final model's weights only (unless asked for all), and a
re-run that needs removed weights trains them again instead of failing or reusing stale
results. A tiny model first taught to answer "The answer is 7." or "... 8." samples, is
evaluated and trains for real (transformers backend, SFT on its correct samples)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.backends.source import ModelSourceError, resolve_model_source
from reasonloop.loop import load_config, run_loop
from reasonloop.loop.identity import hash_model
from reasonloop.loop.retention import WEIGHT_SUFFIXES, weights_removed

pytest.importorskip("trl")


def config(model: tuple[str, str], **overrides: Any) -> Any:
    base: dict[str, Any] = {
        "model": model[0],
        "data": model[1],
        "n_test": 4,
        "iterations": 2,
        "backend.name": "transformers",
        "sampling.k": 4,
        "sampling.max_new_tokens": 10,
        "train.options": {"max_steps": 2, "batch_size": 4},
        "eval.max_new_tokens": 10,
    }
    return load_config(None, {**base, **overrides})


def weight_files(model_dir: Path) -> list[Path]:
    return [p for p in model_dir.iterdir() if p.suffix in WEIGHT_SUFFIXES]


@pytest.mark.slow  # loops on the answering model
def test_only_the_final_model_keeps_its_weights(
    answering_model: tuple[str, str], tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    messages: list[str] = []
    run_loop(config(answering_model), run_dir, progress=False, notify=messages.append)
    first, final = run_dir / "iter-1" / "model", run_dir / "iter-2" / "model"
    assert weight_files(final) and not weight_files(first)
    assert any(m.startswith("[iter-1/model] weights removed") for m in messages)
    # The directory still names the model it was: a re-run reuses every stage.
    assert weights_removed(first) == hash_model(str(first))
    again: list[str] = []
    run_loop(config(answering_model), run_dir, progress=False, notify=again.append)
    assert not [m for m in again if m.endswith("] ...")], again
    # Loading it says why it cannot be loaded.
    with pytest.raises(ModelSourceError, match="keep_models: all"):
        resolve_model_source(str(first))


@pytest.mark.slow  # loops on the answering model
def test_keep_all_keeps_every_model(answering_model: tuple[str, str], tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_loop(config(answering_model, keep_models="all"), run_dir, progress=False)
    for iteration in (1, 2):
        model_dir = run_dir / f"iter-{iteration}" / "model"
        assert weight_files(model_dir) and weights_removed(model_dir) is None


@pytest.mark.slow  # loops on the answering model
def test_a_rerun_that_reads_removed_weights_trains_them_again(
    answering_model: tuple[str, str], tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    run_loop(config(answering_model), run_dir, progress=False)
    first = run_dir / "iter-1" / "model"
    recorded = weights_removed(first)

    # Another eval budget: every evaluation reads its model again, iter-1's included.
    messages: list[str] = []
    changed = config(answering_model, **{"eval.max_new_tokens": 6})
    run_loop(changed, run_dir, force=True, progress=False, notify=messages.append)
    assert f"[{first.resolve()}] its weights were removed (keep_models: final): training again" in [
        m.replace(str(first), str(first.resolve())) for m in messages
    ]
    for stage in ("iter-0/eval", "iter-1/eval", "iter-2/eval"):
        assert f"[{stage}] its inputs changed: redoing it" in messages
    # Training again from the same inputs made the same weights: nothing else is redone ...
    for stage in ("iter-1/train", "iter-2/sample", "iter-2/train"):
        assert f"[{stage}] done already, skipped" in messages
    # ... and once iter-2 no longer needs them, they are removed again.
    assert not weight_files(first) and weights_removed(first) == recorded
    ledger = json.loads((run_dir / "stages.json").read_text())
    evaluation = json.loads((run_dir / "iter-1" / "eval" / "eval.json").read_text())
    assert ledger["iter-1/eval"]["accuracy"] == evaluation["greedy"]["accuracy"]["value"]
