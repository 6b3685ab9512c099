"""`reasonloop rationalize` and `build sft --rationales` through the CLI, on the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.sample.store import RunStore

# Right 30% of the time: with k=2, several of the 12 problems stay unsolved.
FAKE = ["--model", "fake:arithmetic", "--backend-option", "accuracy=0.3"]
TASK = ["--task", "arithmetic:digits=2", "--limit", "12", "--no-progress"]


def sample_run(run_dir: Path, *extra: str) -> Path:
    assert main(["sample", *FAKE, *TASK, "-k", "2", "--out", str(run_dir), *extra]) == 0
    return run_dir


def test_rationales_of_unsolved_problems_become_sft_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = sample_run(tmp_path / "run")
    with RunStore.open_existing(run_dir) as store:
        by_problem = store.samples_by_problem()
    unsolved = {pid for pid, group in by_problem.items() if not any(s.correct for s in group)}
    assert unsolved, "the fake backend at accuracy 0.3 leaves some problems unsolved"
    capsys.readouterr()
    assert main(["rationalize", str(run_dir), "-k", "3", "--no-progress"]) == 0
    assert f"of {len(unsolved)} unsolved problems" in capsys.readouterr().out
    with RunStore.open_existing(run_dir / "rationales") as store:
        hinted = store.samples()
        assert store.fingerprint is not None and store.fingerprint.kind == "rationale"
    assert {s.problem_id for s in hinted} == unsolved and len(hinted) == 3 * len(unsolved)
    assert all("Hint: the correct answer is" in s.prompt[-1]["content"] for s in hinted)

    plain, star = tmp_path / "sft.jsonl", tmp_path / "star.jsonl"
    assert main(["build", "sft", str(run_dir), "-o", str(plain)]) == 0
    rationales = run_dir / "rationales"
    assert (
        main(["build", "sft", str(run_dir), "--rationales", str(rationales), "-o", str(star)]) == 0
    )
    rows = [json.loads(line) for line in star.read_text().splitlines()]
    added = [row for row in rows if row["problem_id"] in unsolved]
    solved = {s.problem_id for s in hinted if s.correct}
    assert solved, "some hinted samples are right at accuracy 0.3"
    assert {row["problem_id"] for row in added} == solved
    # Trained hint-free: the prompt is the problem's ordinary one.
    assert all("Hint" not in turn["content"] for row in added for turn in row["prompt"])
    assert len(rows) == len(plain.read_text().splitlines()) + len(added)


@pytest.mark.parametrize(
    ("sample_extra", "argv_tail", "message"),
    [
        ([], ["-k", "0"], "-k must be >= 1"),
        (["--temperature", "0"], ["-k", "2"], "sampled greedily"),
        (None, [], "not a run directory"),
    ],
)
def test_rationalize_errors_name_the_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    sample_extra: list[str] | None,
    argv_tail: list[str],
    message: str,
) -> None:
    run_dir = tmp_path / "run"
    if sample_extra is None:
        run_dir.mkdir()
    else:
        sample_run(run_dir, *sample_extra)
    capsys.readouterr()
    assert main(["rationalize", str(run_dir), "--no-progress", *argv_tail]) == 2
    assert message in capsys.readouterr().err
