"""Ctrl-C while a batch generates: say at once that the run stops, and keep that batch.

A backend's `generate` spends its time in C (CTranslate2, torch), where Python cannot raise
KeyboardInterrupt until the call returns: a Ctrl-C used to go unanswered for the rest of the
batch, and the batch was then thrown away. So the batch generates on a helper thread while
this one waits, and hears the signal at once. The first Ctrl-C says that the run is stopping
and waits for the batch in flight, which is then graded and stored like any other; a second
one stops at once and loses that batch (the helper thread is a daemon: it dies with the
process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from reasonloop.backends.base import Completion, Conversation, Sampler, SamplingParams

# How often the waiting thread wakes; it only bounds the delay before Ctrl-C is heard.
POLL_SECONDS = 0.1


def generate_keeping_batch_on_ctrl_c(
    sampler: Sampler,
    prompts: Sequence[Conversation],
    params: SamplingParams,
    say: Callable[[str], None],
) -> tuple[list[Completion], bool]:
    """`sampler.generate(prompts, params)`, and whether Ctrl-C asked to stop after it.

    On the first Ctrl-C, `say` tells the user at once that the run stops after this batch;
    a second Ctrl-C raises KeyboardInterrupt without waiting for the batch.
    """
    call = _Generation(sampler, prompts, params)
    try:
        call.start()  # inside: the batch may already be running when Ctrl-C comes
        return call.wait(), False
    except KeyboardInterrupt:
        if call.ident is None:  # Ctrl-C came before the batch started: nothing in flight
            raise
        say(
            f"stopping: finishing the {len(prompts)} samples in flight so they are kept "
            "(Ctrl-C again to stop now and lose them)"
        )
    return call.wait(), True


class _Generation(threading.Thread):
    """One `generate` call on its own daemon thread; `wait` returns its result or raises
    its error in the caller."""

    def __init__(
        self, sampler: Sampler, prompts: Sequence[Conversation], params: SamplingParams
    ) -> None:
        super().__init__(name="reasonloop-generate", daemon=True)
        self._sampler, self._prompts, self._params = sampler, prompts, params
        self._result: list[Completion] = []
        self._error: BaseException | None = None
        self._done = threading.Event()

    def run(self) -> None:
        try:
            self._result = self._sampler.generate(self._prompts, self._params)
        except BaseException as error:  # handed to the waiting thread by `wait`
            self._error = error
        finally:
            self._done.set()

    def wait(self) -> list[Completion]:
        # Short waits in a loop keep Ctrl-C heard. Not join(): here (CPython 3.11) a join that
        # Ctrl-C interrupted then reported the thread finished while it still ran.
        while not self._done.wait(POLL_SECONDS):
            pass
        if self._error is not None:
            raise self._error
        return self._result
