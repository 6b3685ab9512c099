"""SIGKILL `reasonloop sample` half-way, run the same command again: every sample exactly once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from processes import kill_midway

N_PROBLEMS, K = 500, 4
TOTAL = N_PROBLEMS * K


def sample_command(run_dir: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reasonloop.cli.main",
        "sample",
        "--model",
        "fake:arithmetic",
        "--task",
        "arithmetic:digits=3",
        "--limit",
        str(N_PROBLEMS),
        "-k",
        str(K),
        # Small batches: many transactions, so the kill lands between two of them.
        "--batch-size",
        "2",
        "--grade-workers",
        "1",
        "--no-progress",
        "--out",
        str(run_dir),
        *extra,
    ]


def count_samples(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM samples").fetchone()[0])
    except sqlite3.OperationalError:  # the writer has not created the table yet
        return 0


def test_killed_run_resumes_to_exactly_one_of_each_sample(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    db = run_dir / "samples.sqlite"
    command = sample_command(run_dir)

    stored = kill_midway(command, lambda: count_samples(db), TOTAL // 20)
    assert 0 < stored < TOTAL

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"sampled {TOTAL - stored} new responses ({stored} already stored)" in resumed.stdout

    with closing(sqlite3.connect(db)) as connection:
        keys = connection.execute(
            "SELECT problem_id, sample_index, COUNT(*) FROM samples GROUP BY 1, 2"
        ).fetchall()
        n_problems = connection.execute("SELECT COUNT(*) FROM problems").fetchone()[0]
    assert len(keys) == TOTAL
    assert all(n == 1 for _, _, n in keys)
    assert n_problems == N_PROBLEMS
    per_problem: dict[str, list[int]] = {}
    for pid, index, _ in keys:
        per_problem.setdefault(pid, []).append(index)
    assert all(sorted(indices) == list(range(K)) for indices in per_problem.values())

    refused = subprocess.run(
        sample_command(run_dir, "--temperature", "0.5"), capture_output=True, text=True, timeout=120
    )
    assert refused.returncode == 2
    assert "sampling.temperature differ" in refused.stderr
    assert "--force" in refused.stderr
    assert count_samples(db) == TOTAL
