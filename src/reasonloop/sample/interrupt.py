"""Ctrl-C while a batch generates: say at once that the run stops, and keep what finished.

A backend's `generate` spends its time in C (CTranslate2, torch), where Python cannot raise
KeyboardInterrupt until the call returns: a Ctrl-C used to go unanswered for the rest of the
batch, and the batch was then thrown away. So the batch generates on a helper thread while
this one waits, and hears the signal at once. The first Ctrl-C says that the run is stopping.
A backend that reports samples as they finish (`lands_each_sample`: the CPU engine) then has
each finished sample of the batch kept at once, and every other one as it finishes; with any
other backend the batch in flight is kept once it is done. A second Ctrl-C stops at once:
what was kept stays kept (graded and stored like any other batch), the rest of the batch is
lost (the helper thread is a daemon: it dies with the process).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence

from reasonloop.backends.base import Completion, Conversation, Sampler, SamplingParams
from reasonloop.backends.landing import LandingSampler, lands_each_sample

# How often the waiting thread wakes; it only bounds the delay before Ctrl-C is heard.
POLL_SECONDS = 0.1

# Where kept samples go: (indices into the batch's prompts, their completions).
Keep = Callable[[Sequence[int], Sequence[Completion]], None]


def generate_keeping_on_ctrl_c(
    sampler: Sampler,
    prompts: Sequence[Conversation],
    params: SamplingParams,
    say: Callable[[str], None],
    keep: Keep,
) -> bool:
    """Generate `prompts` with `sampler`, handing the completions to `keep`; True when Ctrl-C
    asked the run to stop after this batch.

    Without Ctrl-C, `keep` gets the whole batch once (or the backend's wrong count of
    completions, for the caller to refuse). On the first Ctrl-C, `say` tells the user at once,
    and finished samples are kept as they land (see the module doc); a second Ctrl-C raises
    KeyboardInterrupt without waiting for the rest of the batch.
    """
    call = _Generation(sampler, prompts, params)
    try:
        call.start()  # inside: the batch may already be running when Ctrl-C comes
        keep(range(len(prompts)), call.wait())
        return False
    except KeyboardInterrupt:
        if call.ident is None:  # Ctrl-C came before the batch started: nothing in flight
            raise
        say(_stopping_message(len(prompts), call.lands))
    kept: set[int] = set()
    while not call.wait_a_moment():
        _keep_landed(call, keep, kept)
    _keep_landed(call, keep, kept)
    completions = call.wait()
    rest = [i for i in range(len(prompts)) if i not in kept]
    if len(completions) != len(prompts) or len(rest) == len(prompts):
        keep(range(len(prompts)), completions)  # the whole batch, or its wrong count refused
    elif rest:
        keep(rest, [completions[i] for i in rest])
    return True


def _stopping_message(n: int, lands: bool) -> str:
    if lands:
        return (
            f"stopping: keeping each of the {n} samples in flight as it finishes "
            "(Ctrl-C again to stop now and lose the unfinished ones)"
        )
    return (
        f"stopping: finishing the {n} samples in flight so they are kept "
        "(Ctrl-C again to stop now and lose them)"
    )


def _keep_landed(call: _Generation, keep: Keep, kept: set[int]) -> None:
    """Hand every sample that landed since the last look to `keep`."""
    for indices, completions in call.take_landed():
        keep(indices, completions)
        kept.update(indices)


class _Generation(threading.Thread):
    """One `generate` call on its own daemon thread; `wait` returns its result or raises
    its error in the caller. A backend that lands samples as they finish queues them for
    `take_landed`."""

    def __init__(
        self, sampler: Sampler, prompts: Sequence[Conversation], params: SamplingParams
    ) -> None:
        super().__init__(name="reasonloop-generate", daemon=True)
        self._sampler, self._prompts, self._params = sampler, prompts, params
        self.lands = lands_each_sample(sampler)
        self._landed: queue.SimpleQueue[tuple[Sequence[int], Sequence[Completion]]]
        self._landed = queue.SimpleQueue()
        self._result: list[Completion] = []
        self._error: BaseException | None = None
        self._done = threading.Event()

    def run(self) -> None:
        try:
            if self.lands and isinstance(self._sampler, LandingSampler):
                land = self._sampler.generate_landing
                self._result = land(self._prompts, self._params, self._land)
            else:
                self._result = self._sampler.generate(self._prompts, self._params)
        except BaseException as error:  # handed to the waiting thread by `wait`
            self._error = error
        finally:
            self._done.set()

    def _land(self, indices: Sequence[int], completions: Sequence[Completion]) -> None:
        self._landed.put((list(indices), list(completions)))

    def take_landed(self) -> list[tuple[Sequence[int], Sequence[Completion]]]:
        taken = []
        while not self._landed.empty():
            taken.append(self._landed.get_nowait())
        return taken

    def wait_a_moment(self) -> bool:
        """Wait up to POLL_SECONDS; True once the call has ended."""
        return self._done.wait(POLL_SECONDS)

    def wait(self) -> list[Completion]:
        # Short waits in a loop keep Ctrl-C heard. Not join(): here (CPython 3.11) a join that
        # Ctrl-C interrupted then reported the thread finished while it still ran.
        while not self.wait_a_moment():
            pass
        if self._error is not None:
            raise self._error
        return self._result
