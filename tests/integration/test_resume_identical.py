"""An interrupted and resumed `reasonloop sample` run equals an uninterrupted one, sample for
sample: every (problem, sample index, round) draws from its own seed, so neither where the run
was stopped (SIGINT, SIGKILL) nor how the work was batched can change a response."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from test_kill_resume import count_samples

from processes import ctrl_c_as_a_terminal_sends


def sample_command(model: list[str], n: int, k: int, run_dir: Path, batch: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reasonloop.cli.main",
        "sample",
        *model,
        "--task",
        "arithmetic:digits=3",
        "--limit",
        str(n),
        "-k",
        str(k),
        "--temperature",
        "0.9",
        "--seed",
        "7",
        "--batch-size",
        str(batch),
        "--grade-workers",
        "1",
        "--no-progress",
        "--out",
        str(run_dir),
    ]


def responses(db: Path) -> dict[tuple[str, int], str]:
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT problem_id, sample_index, response FROM samples")
        return {(pid, index): text for pid, index, text in rows}


def interrupt_at(command: list[str], db: Path, at: int, sig: signal.Signals) -> int:
    """Start `command`, send `sig` once `at` samples are stored; returns how many were."""
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_as_a_terminal_sends,
    )
    deadline = time.monotonic() + 300
    try:
        while count_samples(db) < at:
            assert process.poll() is None, f"ended before the interrupt: {process.stderr.read()!r}"  # type: ignore[union-attr]
            assert time.monotonic() < deadline, f"fewer than {at} samples within 300 s"
            time.sleep(0.005)
    finally:
        process.send_signal(sig)
        process.wait(timeout=120)
        process.stderr.close()  # type: ignore[union-attr]
    return count_samples(db)


def check_resume_is_identical(tmp_path: Path, model: list[str], n: int, k: int) -> None:
    total = n * k
    reference = tmp_path / "reference"
    # The reference batches differently too: batching must not matter either.
    done = subprocess.run(
        sample_command(model, n, k, reference, batch=5), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    expected = responses(reference / "samples.sqlite")
    assert len(expected) == total
    assert len(set(expected.values())) > 1  # really sampled, not one reply repeated

    run_dir = tmp_path / "interrupted"
    db = run_dir / "samples.sqlite"
    command = sample_command(model, n, k, run_dir, batch=2)
    stored = [0]
    for share, sig in [(0.2, signal.SIGINT), (0.4, signal.SIGKILL)]:
        at = stored[-1] + int(share * total)  # a new interrupt point in each attempt
        stored.append(interrupt_at(command, db, at, sig))
    assert 0 < stored[1] < stored[2] < total
    finished = subprocess.run(command, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert responses(db) == expected


def test_fake_backend_resumes_identically(tmp_path: Path) -> None:
    # 20 ms per batch of 2: the model, not the grading, sets the pace, as with a real model.
    model = ["--model", "fake:arithmetic", "--backend-option", "seconds_per_call=0.02"]
    check_resume_is_identical(tmp_path, model, n=150, k=4)


@pytest.mark.slow
def test_transformers_backend_resumes_identically(tmp_path: Path, tiny_model_dir: str) -> None:
    pytest.importorskip("transformers")
    model = ["--model", tiny_model_dir, "--backend", "transformers", "--max-new-tokens", "12"]
    # 200 samples: what is left after each interrupt point takes the tiny model about a
    # second, so a busy machine delaying the signal cannot let the run finish first.
    check_resume_is_identical(tmp_path, model, n=100, k=2)
