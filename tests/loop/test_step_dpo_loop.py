"""`train.method: step-dpo` end to end on the tiny model: the fake backend samples and continues
step prefixes, the iteration values its wrong samples, builds first-pit pairs, trains SFT then
DPO from the SFT model through TRL, and a rerun resumes without redoing a stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.files import read_jsonl
from reasonloop.loop import load_config, run_loop

pytest.importorskip("trl")
# TRL's DPO reads transformers' deprecated `is_gradient_checkpointing` (as in tests/train).
pytestmark = pytest.mark.filterwarnings(
    "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
)


def step_dpo_config(model: str) -> Any:
    return load_config(
        None,
        {
            "model": model,
            "n_train": 8,
            "n_test": 4,
            "iterations": 1,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "backend.options": {"accuracy": 0.5},
            "sampling.k": 4,
            "sampling.max_new_tokens": 32,
            # The fake writes "A + B = C. The answer is C.": two sentences, the equation false
            # in a wrong response, so its first step is the pit.
            "values.k": 2,
            "values.split_rule": "sentences",
            "train.method": "step-dpo",
            "train.options": {"max_steps": 1, "batch_size": 4},
            "eval.max_new_tokens": 32,
        },
    )


@pytest.mark.slow  # a loop that trains twice (about a minute on two loaded cores)
def test_step_dpo_iteration(tmp_path: Path) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    config = step_dpo_config(model)
    told: list[str] = []
    run_loop(config, tmp_path / "run", progress=False, notify=told.append)
    assert any(m.startswith("[iter-1/values] valuing ") and " rollouts from " in m for m in told)
    it_dir = tmp_path / "run" / "iter-1"
    stages = json.loads((tmp_path / "run" / "stages.json").read_text())
    assert stages["iter-1/values"]["rollouts"] > 0
    values = read_jsonl(it_dir / "samples/values/values.jsonl")
    assert values and all(row["split_rule"] == "sentences" for row in values)
    rows = read_jsonl(it_dir / "train_rows.jsonl")
    assert rows and stages["iter-1/build"]["rows"] == len(rows)
    for row in rows:
        rejected = row["rejected"][0]["content"]
        assert row["pit_step"] == 0 and "The answer is" not in rejected
        assert row["chosen"][0]["content"].endswith(".")
    summary = json.loads((it_dir / "step_dpo.json").read_text())
    assert summary["pairs"] == len(rows)
    assert (it_dir / "sft_rows.jsonl").is_file()
    record = json.loads((it_dir / "model" / "reasonloop_train.json").read_text())
    assert record["trainer"] == "dpo" and record["rows"] == len(rows)
    # the SFT model: where DPO starts and its reference
    assert record["base_model"] == str(it_dir / "sft-model")
    assert not (it_dir / "sft-model").exists()  # removed once the DPO model is saved
    messages: list[str] = []
    run_loop(config, tmp_path / "run", progress=False, notify=messages.append)
    for stage in ("sample", "values", "build", "train"):
        assert f"[iter-1/{stage}] done already, skipped" in messages
