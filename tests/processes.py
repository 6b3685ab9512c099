"""For tests that Ctrl-C or SIGKILL a command they start."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Sequence


def ctrl_c_as_a_terminal_sends() -> None:
    """`preexec_fn` for a child that must feel SIGINT as Ctrl-C in a terminal does. A shell
    starts background jobs (`pytest ... &`) with SIGINT ignored, and a child inherits that,
    so without this a test run in the background would see the command ignore the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def kill_midway(command: Sequence[str], count: Callable[[], int], at_least: int) -> int:
    """Start `command`, SIGKILL it once `count()` (rows it stored) reaches `at_least`;
    returns `count()` after the kill."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while count() < at_least:
            assert process.poll() is None, (
                f"the run ended before it could be killed: {process.stderr.read()!r}"  # type: ignore[union-attr]
            )
            assert time.monotonic() < deadline, "nothing was stored within 120 s"
            time.sleep(0.005)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()  # type: ignore[union-attr]
    assert process.returncode == -signal.SIGKILL
    return count()
