"""`reasonloop run examples/loop.yaml --set task=rg:NAME`: the loop on a reasoning-gym task
whose answers are not numbers (the fake oracle samples, TRL trains a tiny model), and
`reasonloop export` of its samples carrying the generator's metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.loop.summary import read_summary
from reasonloop.tasks.gym import generate_gym_problems

pytest.importorskip("reasoning_gym")
pytest.importorskip("trl")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "loop.yaml"
TASK = "rg:word_sorting?min_words=3&max_words=4"


def test_run_example_config_on_an_rg_task(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tiny_model import build_tiny_model

    answers = {p.question: p.gold for p in generate_gym_problems(TASK, 14)}
    settings = {
        "task": TASK,
        "model": build_tiny_model(tmp_path / "tiny"),
        "n_train": 8,
        "n_test": 6,
        "iterations": 1,
        "backend.name": "fake",
        "backend.model": "oracle",
        "backend.options": json.dumps({"answers": answers, "accuracy": 0.5}),
        "sampling.k": 2,
        "sampling.rationalize": 0,
        "sampling.max_new_tokens": 32,
        "train.options": "{max_steps: 1, batch_size: 4, max_length: 1024}",  # long questions
        "eval.max_new_tokens": 32,
        "eval.examples": 2,
    }
    sets = [part for key, value in settings.items() for part in ("--set", f"{key}={value}")]
    out = tmp_path / "run"
    assert main(["run", str(EXAMPLE), *sets, "--out", str(out), "--no-progress"]) == 0
    test = [json.loads(line) for line in (out / "test.jsonl").read_text().splitlines()]
    assert all(p["meta"]["grader"] == "reasoning_gym" for p in test)
    # The run states its grader per task, in its summary and as it ends.
    assert read_summary(out).graders == {"word_sorting": "reasoning_gym"}
    assert "graded by: word_sorting reasoning_gym" in capsys.readouterr().err
    rows = tmp_path / "rows.jsonl"
    assert main(["export", str(out / "iter-1" / "samples"), "--to", str(rows)]) == 0
    exported = [json.loads(line) for line in rows.read_text().splitlines()]
    assert exported and {row["metadata"]["source_dataset"] for row in exported} == {"word_sorting"}
    assert all("difficulty" in row["metadata"] for row in exported)
    # the oracle is right half the time, and reasoning-gym's scorer sees it
    assert {row["correct"] for row in exported} == {True, False}
    # the report shows held-out accuracy per generator level, before and after
    report = json.loads((out / "report_data.json").read_text())
    for iteration in report["iterations"]:
        levels = iteration["generator_levels"]
        assert {level["task"] for level in levels} == {"word_sorting"}
        assert sum(level["problems"] for level in levels) == settings["n_test"]
    assert 'data-plot="generator_levels"' in (out / "report.html").read_text()
    profile = json.loads((out / "iter-1" / "profile.json").read_text())
    assert {level["task"] for level in profile["generator_levels"]} == {"word_sorting"}
