"""`reasonloop build` on a real run directory."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fingerprints import fake_fingerprint
from reasonloop.cli.main import main
from reasonloop.dataset import read_dataset
from reasonloop.prompts import load_template
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

TEMPLATE = load_template("default")
PROBLEMS = [
    Problem(id="easy", question="What is 1 + 1?", gold="2"),
    Problem(id="mixed", question="What is 6 * 7?", gold="42"),
    Problem(id="unseen", question="What is 9 - 3?", gold="6"),
]
# (problem id, response, status) per sample; "unseen" has none.
SAMPLES = [
    ("easy", "1 + 1 = 2. The answer is 2.", "correct"),
    ("easy", "One plus one is two. The answer is 2.", "correct"),
    ("mixed", "6 * 7 = 42. The answer is 42.", "correct"),
    ("mixed", "6 * 7 = 48. The answer is 48.", "incorrect"),
    ("mixed", "I do not know.", "no_answer"),
]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "run"
    fingerprint = fake_fingerprint(model_id="fake:oracle", template=TEMPLATE)
    by_id = {p.id: p for p in PROBLEMS}
    with RunStore.open(directory, fingerprint) as store:
        store.add_problems(PROBLEMS)
        store.put_samples(
            GradedSample(
                problem_id=pid,
                sample_index=index,
                prompt=TEMPLATE.render(by_id[pid]),
                response=response,
                correct=status == "correct",
                status=status,
                answer=None,
                prompt_tokens=10,
                completion_tokens=8,
                finish_reason="stop",
                latency_s=0.01,
            )
            for index, (pid, response, status) in enumerate(SAMPLES)
        )
    return directory


@pytest.mark.parametrize(
    ("argv", "problem_ids", "columns"),
    [
        (["sft"], ["easy", "mixed"], {"prompt", "completion", "problem_id"}),
        (["sft", "--balance", "none"], ["easy", "easy", "mixed"], None),
        (["dpo"], ["mixed", "mixed"], {"prompt", "chosen", "rejected", "problem_id"}),
        (["dpo", "--max-per-problem", "1"], ["mixed"], None),
        (["grpo"], ["mixed"], {"prompt", "solution", "problem_id"}),
        (["grpo", "--include-unseen"], ["mixed", "unseen"], None),
    ],
)
@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_build_writes_rows(
    run_dir: Path,
    tmp_path: Path,
    argv: list[str],
    problem_ids: list[str],
    columns: set[str] | None,
    suffix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / f"data{suffix}"
    assert main(["build", argv[0], str(run_dir), "-o", str(out), *argv[1:]]) == 0
    rows = read_dataset(out)
    assert [row["problem_id"] for row in rows] == problem_ids
    if columns is not None:
        assert set(rows[0]) == columns
    assert f"wrote {len(rows)} {argv[0]} rows" in capsys.readouterr().out


def test_build_verl(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "verl.parquet"
    argv = ["build", "verl", str(run_dir), "-o", str(out), "--data-source", "openai/gsm8k"]
    assert main(argv) == 0
    (row,) = read_dataset(out)
    assert row["prompt"] == TEMPLATE.render(PROBLEMS[1])
    assert row["reward_model"] == {"style": "rule", "ground_truth": "42"}
    assert row["data_source"] == "openai/gsm8k" and row["ability"] == "math"
    assert row["extra_info"] == {"index": 0, "problem_id": "mixed"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["grpo", "{run}", "-o", "{tmp}/x.jsonl", "--max-per-problem", "2"],
            "sft, dpo and step-dpo",
        ),
        (["sft", "{run}", "-o", "{tmp}/x.jsonl", "--include-unseen"], "grpo and verl"),
        (["sft", "{run}", "-o", "{tmp}/x.csv"], r"\.jsonl or \.parquet"),
        (["sft", "{run}", "-o", "{tmp}/x.jsonl", "--max-per-problem", "0"], "at least 1"),
        (["sft", "{tmp}/nowhere", "-o", "{tmp}/x.jsonl"], "not a run directory"),
        (["dpo", "{run}", "-o", "{tmp}/x.jsonl", "--round", "3"], "no dpo rows"),
    ],
)
def test_build_errors_name_the_problem(
    run_dir: Path,
    tmp_path: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    filled = [part.format(run=run_dir, tmp=tmp_path) for part in argv]
    assert main(["build", *filled]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ")
    assert re.search(message, error)
    assert not (tmp_path / "x.jsonl").exists()
