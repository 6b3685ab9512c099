"""Ctrl-C and a closed pipe end a command with one line or none, never a traceback."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from processes import ctrl_c_as_a_terminal_sends
from reasonloop.cli.main import main

REASONLOOP = [sys.executable, "-m", "reasonloop.cli.main"]


def test_ctrl_c_prints_one_line_and_keeps_what_was_written(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    command = [
        *REASONLOOP,
        "sample",
        # echo replies with the question: not a plain number, so grading workers start too.
        # 200 calls of 0.25 s: still running when the signal comes, however busy the machine.
        *("--model", "fake:echo", "--backend-option", "seconds_per_call=0.25"),
        *("--task", "arithmetic", "--limit", "400", "-k", "2", "--batch-size", "4"),
        *("--temperature", "0.8", "--grade-workers", "2", "--no-progress", "--out", str(run_dir)),
    ]
    # A session of its own: Ctrl-C in a terminal signals the whole process group.
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=ctrl_c_as_a_terminal_sends,
    )
    deadline = time.monotonic() + 120
    while not (run_dir / "samples.sqlite").exists() or time.monotonic() < deadline - 115:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    # Said at once (unless the signal came between batches), then once the batch is stored.
    *stopping, last = stderr.decode().strip().splitlines()
    assert last == "interrupted; everything written so far is kept"
    assert stopping in ([], [STOPPING])


STOPPING = (
    "stopping: finishing the 4 samples in flight so they are kept "
    "(Ctrl-C again to stop now and lose them)"
)


def test_profile_into_a_closed_pipe_still_writes_the_profile(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    sample = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "30"]
    assert (
        main([*sample, "-k", "2", "--temperature", "0.8", "--no-progress", "--out", str(run_dir)])
        == 0
    )
    # `reasonloop profile RUN | head -1`
    piped = subprocess.run(
        f"{' '.join(REASONLOOP)} profile {run_dir} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=True,
    )
    assert piped.stdout.startswith(str(run_dir))
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr
    assert (run_dir / "profile.json").is_file()


def test_skip_bad_says_what_it_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "problems.jsonl"
    good = '{"question": "What is 1 + 1?", "answer": "2"}'
    data.write_text("\n".join([good, '{"question": "no answer"}', "not json"]) + "\n")
    assert (
        main(
            [
                "eval",
                "--model",
                "fake:arithmetic",
                "--data",
                str(data),
                "--skip-bad",
                "--no-progress",
            ]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert f"--skip-bad: skipped 2 bad row(s) of {data}:" in err
    assert "line 2: field 'answer': missing" in err and "line 3:" in err


def test_sample_with_another_token_budget_on_a_run_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    sample = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "5"]
    sample += ["-k", "2", "--temperature", "0.8", "--no-progress", "--out", str(run_dir)]
    assert main([*sample, "--max-new-tokens", "32"]) == 0
    assert main([*sample, "--max-new-tokens", "32"]) == 0  # the same budget resumes
    capsys.readouterr()
    assert main([*sample, "--max-new-tokens", "64"]) == 2
    err = capsys.readouterr().err
    assert "--max-new-tokens 32" in err and "--max-new-tokens 64 would not redraw" in err
    assert "--resample-budget" in err


def stored(db: Path) -> int:
    """Samples in a run store, read as another process would (0 before the table exists)."""
    try:
        with closing(sqlite3.connect(db, timeout=5)) as connection:
            (n,) = connection.execute("SELECT COUNT(*) FROM samples").fetchone()
            return int(n)
    except sqlite3.OperationalError:
        return 0


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, f"the run ended before {what}"
        assert time.monotonic() < deadline, f"no {what} within 120 s"
        time.sleep(0.02)


def test_the_first_ctrl_c_stores_each_sample_of_the_batch_as_it_finishes(tmp_path: Path) -> None:
    # The fake makes a batch's samples one after another (0.4 s each) and reports each as it
    # is made, as the CPU engine reports each row that ends: 3 batches of 8.
    run_dir = tmp_path / "run"
    command = [
        *REASONLOOP,
        "sample",
        *("--model", "fake:arithmetic", "--backend-option", "seconds_per_sample=0.4"),
        *("--task", "arithmetic", "--limit", "12", "-k", "2", "--batch-size", "8"),
        *("--temperature", "0.8", "--grade-workers", "0", "--no-progress", "--out", str(run_dir)),
    ]
    db = run_dir / "samples.sqlite"
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=ctrl_c_as_a_terminal_sends,
    )
    try:
        wait_for(lambda: stored(db) >= 8, process, "the first batch was stored")
        os.killpg(process.pid, signal.SIGINT)  # during the second batch
        # Stored one by one while the batch still runs: a count between whole batches.
        wait_for(lambda: 8 < stored(db) < 16, process, "a sample of the batch in flight")
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130
    kept = stored(db)
    assert 8 < kept < 16  # the finished samples of the batch in flight, not the rest
    lines = stderr.decode().strip().splitlines()
    assert lines == [
        "stopping: keeping each of the 8 samples in flight as it finishes "
        "(Ctrl-C again to stop now and lose the unfinished ones)",
        "interrupted; everything written so far is kept",
    ]
    # The same command resumes after the kept samples and draws only the rest.
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "Traceback" not in done.stderr
    assert stored(db) == 24
