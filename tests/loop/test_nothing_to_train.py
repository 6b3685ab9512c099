"""An iteration whose samples give nothing to train on ends the run with a summary and a
report that say why, instead of an error that leaves neither."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.loop import load_config, run_loop

pytest.importorskip("trl")


@pytest.mark.parametrize("method", ["sft", "dpo"])
def test_a_run_with_nothing_to_train_on_stops_and_reports_why(
    tmp_path: Path, tiny_model_dir: str, method: str
) -> None:
    config = load_config(
        None,
        {
            "model": tiny_model_dir,
            "n_train": 6,
            "n_test": 4,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "backend.options": {"accuracy": 0.0},  # never right: no SFT row, no DPO pair
            "sampling.k": 2,
            "sampling.rationalize": 0,
            "train.method": method,
        },
    )
    said: list[str] = []
    summary = run_loop(config, tmp_path / "run", progress=False, notify=said.append)
    assert summary.iterations == 0
    assert summary.stopped.startswith(f"iteration 1: nothing to train on: no {method} rows")
    assert summary.final_accuracy == summary.baseline_accuracy == 0.0
    assert json.loads((tmp_path / "run" / "summary.json").read_text()) == summary.to_dict()
    assert (tmp_path / "run" / "report.html").is_file()
    assert any("[iter-1/build] nothing to train on" in line for line in said)
    if method == "sft":  # the fix it suggests is one this config does not use yet
        assert "sampling.rationalize: 4" in summary.stopped
    # A re-run resumes to the same end, redoing nothing.
    said.clear()
    assert run_loop(config, tmp_path / "run", progress=False, notify=said.append) == summary
    assert not any(line.endswith("...") for line in said)
