"""`run --force` with a changed training option: the stages whose inputs changed run again
(training, and every evaluation of the retrained weights, although iter-1/model is the same
path), the others are reused, and the summary reports the new model's accuracy, the one an
independent evaluation of the weights on disk measures (the issue: a stale 12.5% reported for
a retrained model that scored 0/8)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.loop import load_config, run_loop
from reasonloop.loop.identity import hash_model

pytest.importorskip("trl")


def config(answering_model: tuple[str, str], learning_rate: float) -> Any:
    model, data = answering_model
    return load_config(
        None,
        {
            "model": model,
            "data": data,
            "n_test": 8,
            "iterations": 1,
            "backend.name": "transformers",
            "sampling.k": 4,
            "sampling.max_new_tokens": 10,
            "train.options": {"max_steps": 4, "batch_size": 4, "learning_rate": learning_rate},
            "eval.max_new_tokens": 10,
        },
    )


def accuracy_on_disk(model_dir: Path, test_file: Path, out: Path) -> float:
    """Greedy held-out accuracy of the weights in `model_dir`, measured apart from the loop."""
    from reasonloop.evaluate.heldout import evaluate_heldout
    from reasonloop.loop.stages import read_problems
    from reasonloop.prompts import DEFAULT_TEMPLATE
    from reasonloop.sample.fingerprint import SamplerSpec
    from reasonloop.sample.plan import DrawSettings

    spec = SamplerSpec("transformers", str(model_dir), {})
    result = evaluate_heldout(
        read_problems(test_file),
        spec.load(),
        spec,
        out,
        DrawSettings(DEFAULT_TEMPLATE, batch_size=8),
        max_new_tokens=10,
        seed=0,
    )
    return result.greedy.accuracy.value


@pytest.mark.slow  # trains the answering model, then loops
def test_forced_rerun_with_another_learning_rate_reevaluates(
    answering_model: tuple[str, str], tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    before = run_loop(config(answering_model, 1e-5), run_dir, progress=False)
    old_weights = hash_model(str(run_dir / "iter-1" / "model"))

    messages: list[str] = []
    changed = config(answering_model, 3.0)  # far too high: the retrained model forgets
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
    assert summary.final_accuracy == evaluation["greedy"]["accuracy"]["value"]
    stages = json.loads((run_dir / "stages.json").read_text())
    assert stages["iter-1/eval"]["accuracy"] == summary.final_accuracy
    # The reported accuracy is the retrained model's, not the old one's.
    on_disk = accuracy_on_disk(run_dir / "iter-1" / "model", run_dir / "test.jsonl", tmp_path / "e")
    assert summary.final_accuracy == on_disk != before.final_accuracy

    # The same command again: nothing changed, nothing is redone.
    again: list[str] = []
    run_loop(changed, run_dir, progress=False, notify=again.append)
    assert not [m for m in again if "redoing" in m or m.endswith("] ...")]
