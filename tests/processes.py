"""For tests that Ctrl-C a command they start."""

from __future__ import annotations

import signal


def ctrl_c_as_a_terminal_sends() -> None:
    """`preexec_fn` for a child that must feel SIGINT as Ctrl-C in a terminal does. A shell
    starts background jobs (`pytest ... &`) with SIGINT ignored, and a child inherits that,
    so without this a test run in the background would see the command ignore the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
