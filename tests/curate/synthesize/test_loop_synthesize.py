"""The loop's synthesize option: the kept set joins an iteration's SFT rows (tiny model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.dataset.io import read_dataset
from reasonloop.files import read_json, read_jsonl
from reasonloop.loop import load_config, run_loop
from reasonloop.report import read_report_data

pytest.importorskip("trl")


@pytest.mark.slow  # a loop with synthesis and training
def test_kept_synthesized_rows_are_trained_on(tmp_path: Path) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    config = load_config(
        None,
        {
            "model": model,
            "n_train": 12,
            "n_test": 6,
            "iterations": 1,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "backend.options": {"accuracy": 0.3},
            "sampling.k": 2,
            "sampling.max_new_tokens": 32,
            "train.options": {"max_steps": 1, "batch_size": 4},
            "eval.max_new_tokens": 32,
            "synthesize.budget": 6,
            "synthesize.keep": "top:0.5",
        },
    )
    run_loop(config, tmp_path / "run", progress=False)
    synth = tmp_path / "run" / "iter-1" / "synth"
    kept = read_jsonl(synth / "kept_sft.jsonl")
    assert len(kept) == 3  # the better half of 6, by the tiny model's likelihood score
    rows = read_dataset(tmp_path / "run" / "iter-1" / "train_rows.jsonl")
    assert [row["problem_id"] for row in rows[-3:]] == [row["problem_id"] for row in kept]
    assert read_json(synth / "error_types.json")
    stages = read_json(tmp_path / "run" / "stages.json")
    assert "iter-1/synthesize" in str(stages)

    # the report: bad cases per error type per iteration, and an example of each type
    table = read_json(synth / "error_types.json")
    data = read_report_data(tmp_path / "run" / "report_data.json")
    assert data.iterations[1].error_types == {row["type"]: row["count"] for row in table}
    assert data.iterations[0].error_types == {}
    assert [row.type for row in data.error_types] == [row["type"] for row in table]
    html = (tmp_path / "run" / "report.html").read_text()
    assert "<h2>Error types</h2>" in html and 'id="rl-error-types"' in html
    assert table[0]["examples"][0]["question"] in html
