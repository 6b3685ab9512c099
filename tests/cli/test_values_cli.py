"""`reasonloop values RUN` through the CLI, on the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main

FAKE = ["--model", "fake:arithmetic", "--backend-option", "accuracy=0.3"]
TASK = ["--task", "arithmetic:digits=2", "--limit", "12", "--no-progress"]


def sample_run(run_dir: Path, *extra: str) -> Path:
    assert main(["sample", *FAKE, *TASK, "-k", "2", "--out", str(run_dir), *extra]) == 0
    return run_dir


def read_rows(run_dir: Path) -> list[dict[str, object]]:
    text = (run_dir / "values" / "values.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_values_of_incorrect_samples_fall_at_their_wrong_equation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = sample_run(tmp_path / "run")
    capsys.readouterr()
    args = ["values", str(run_dir), "--k", "3", "--split-rule", "sentences", "--no-progress"]
    assert main(args) == 0
    out = capsys.readouterr().out
    rows = read_rows(run_dir)
    assert rows and all(not row["correct"] for row in rows)
    # "A + B = wrong. The answer is wrong.": the first sentence holds the wrong equation
    assert f"valuing {len(rows)} samples (sentences steps, K=3): {3 * len(rows)} rollouts" in out
    for row in rows:
        steps = row["steps"]
        assert [(s["hard"], s["source"]) for s in steps] == [(0.0, "rollouts"), (0.0, "verdict")]  # type: ignore[union-attr,index]
    settings = json.loads((run_dir / "values" / "values.json").read_text(encoding="utf-8"))
    assert settings["split_rule"] == "sentences" and settings["k"] == 3

    # Run again: nothing left to draw, the same values.
    assert main(args) == 0
    assert "0 rollouts from 0 prefixes still to draw" in capsys.readouterr().out
    assert read_rows(run_dir) == rows


def test_include_correct_values_correct_samples_too(tmp_path: Path) -> None:
    run_dir = sample_run(tmp_path / "run")
    args = ["values", str(run_dir), "-k", "2", "--split-rule", "sentences", "--include-correct"]
    assert main([*args, "--no-progress"]) == 0
    assert len(read_rows(run_dir)) == 24


def test_greedy_runs_refuse_more_than_one_rollout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = sample_run(tmp_path / "run", "--temperature", "0")
    assert main(["values", str(run_dir), "--no-progress"]) == 2
    assert "use --k 1" in capsys.readouterr().err
