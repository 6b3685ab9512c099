"""A driver killed mid-run (SIGKILL), then run again: every (problem, sample) exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.ray

N_PROBLEMS, K = 200, 3


def sample_command(run_dir: Path, address: str) -> list[str]:
    return [
        sys.executable, "-m", "reasonloop.cli.main", "sample",
        "--model", "fake:arithmetic", "--task", "arithmetic:digits=2",
        "--limit", str(N_PROBLEMS), "-k", str(K), "--batch-size", "2",
        "--out", str(run_dir), "--no-progress",
        "--executor", "ray", "--ray-address", address, "--ray-cpus-per-actor", "0.5",
    ]  # fmt: skip


def stored_keys(run_dir: Path) -> list[tuple[str, int]]:
    return [(pid, index) for pid, index, _ in stored(run_dir)]


def stored(run_dir: Path) -> list[tuple[str, int, str]]:
    """(problem, sample index, response) of every stored sample, read-only."""
    database = run_dir / "samples.sqlite"
    if not database.is_file():
        return []
    query = "SELECT problem_id, sample_index, response FROM samples"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as connection:
        try:
            rows = connection.execute(query).fetchall()
        except sqlite3.OperationalError:  # the table is not created yet
            return []
    return sorted((str(pid), int(index), str(response)) for pid, index, response in rows)


def kill_once_some_are_stored(process: subprocess.Popen[bytes], run_dir: Path) -> int:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        n_stored = len(stored_keys(run_dir))
        if n_stored:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=60)
            return n_stored
        time.sleep(0.02)
    process.kill()
    pytest.fail("the driver stored nothing before it finished or timed out")


def test_a_killed_driver_resumes_with_every_sample_exactly_once(
    ray_cluster: Any, tmp_path: Path
) -> None:
    address = ray_cluster.get_runtime_context().gcs_address
    run_dir = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    driver = subprocess.Popen(
        sample_command(run_dir, address), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    kill_once_some_are_stored(driver, run_dir)
    assert driver.returncode == -signal.SIGKILL
    n_before = len(stored_keys(run_dir))
    assert 0 < n_before < N_PROBLEMS * K  # killed mid-run, with samples already written

    rerun = subprocess.run(
        sample_command(run_dir, address), env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"({n_before} already stored)" in rerun.stdout
    keys = stored_keys(run_dir)
    assert len(keys) == len(set(keys)) == N_PROBLEMS * K
    per_problem: dict[str, list[int]] = {}
    for pid, index in keys:
        per_problem.setdefault(pid, []).append(index)
    assert len(per_problem) == N_PROBLEMS
    assert all(sorted(indices) == list(range(K)) for indices in per_problem.values())
    # Each sample draws from its own seed: the killed-and-resumed run on Ray holds exactly
    # what one uninterrupted run on the local executor draws.
    local = sample_command(tmp_path / "local", address)[:-6]
    assert subprocess.run(local, env=env, capture_output=True, timeout=300).returncode == 0
    assert stored(run_dir) == stored(tmp_path / "local")
