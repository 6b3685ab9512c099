"""SIGKILL `reasonloop values` half-way, run it again: every rollout exactly once, and the same
rollouts and values as an uninterrupted run."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from processes import kill_midway
from reasonloop.cli.main import main

N_PROBLEMS, K = 60, 4


def sample_run(run_dir: Path) -> None:
    # A pause per generate call keeps the fake slow enough to be killed mid-way.
    fake = ["--model", "fake:arithmetic", "--backend-option", "accuracy=0.5"]
    pause = ["--backend-option", "seconds_per_call=0.01"]
    task = ["--task", "arithmetic:digits=2", "--limit", str(N_PROBLEMS), "--no-progress"]
    assert main(["sample", *fake, *pause, *task, "-k", "2", "--out", str(run_dir)]) == 0


def values_command(run_dir: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "reasonloop.cli.main", "values", str(run_dir)),
        *("--k", str(K), "--split-rule", "sentences", "--include-correct"),
        # Small batches: many transactions, so the kill lands between two of them.
        *("--batch-size", "2", "--no-progress"),
    ]


def read_rollouts(run_dir: Path) -> list[tuple[object, ...]]:
    db = run_dir / "values" / "rollouts.sqlite"
    if not db.exists():
        return []
    query = (
        "SELECT problem_id, sample_index, prefix_end, rollout, seed, continuation, correct "
        "FROM rollouts ORDER BY problem_id, sample_index, prefix_end, rollout"
    )
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
            return list(connection.execute(query))
    except sqlite3.OperationalError:  # the writer has not created the table yet
        return []


def test_killed_values_resume_to_the_uninterrupted_run(tmp_path: Path) -> None:
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    sample_run(whole)
    sample_run(cut)
    done = subprocess.run(values_command(whole), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    expected = read_rollouts(whole)
    # 2 sentences a response, so one prefix a sample: K rollouts for each of the 2 samples
    assert len(expected) == N_PROBLEMS * 2 * K

    stored = kill_midway(values_command(cut), lambda: len(read_rollouts(cut)), len(expected) // 10)
    assert 0 < stored < len(expected)
    resumed = subprocess.run(values_command(cut), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(expected) - stored} rollouts from" in resumed.stdout
    assert read_rollouts(cut) == expected
    values = "values/values.jsonl"
    assert (cut / values).read_text(encoding="utf-8") == (whole / values).read_text(
        encoding="utf-8"
    )
