"""verify_batch: order, inline fast path, killable workers, concurrent callers."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from reasonloop.verify import Status, verify, verify_batch
from reasonloop.verify import batch as batch_module

PAIRS = [
    ("#### 18", "18"),
    ("The answer is \\boxed{\\frac{1}{2}}", "0.5"),
    ("\\boxed{x^2+2x+1}", "(x+1)^2"),
    ("#### 17", "18"),
    ("no answer here", "3"),
    ("\\boxed{(2,\\infty)}", "x>2"),
    ("\\boxed{3} or \\boxed{4}", "3"),
    ("\\boxed{1}", "\\frac{"),
]
EXPECTED = [
    Status.CORRECT,
    Status.CORRECT,
    Status.CORRECT,
    Status.INCORRECT,
    Status.NO_ANSWER,
    Status.CORRECT,
    Status.INCORRECT,
    Status.UNPARSEABLE_GOLD,
]


def test_batch_matches_verify_in_order() -> None:
    verdicts = verify_batch(PAIRS, workers=2)
    assert [v.status for v in verdicts] == EXPECTED
    assert verdicts == [verify(r, g) for r, g in PAIRS]


def test_inline_mode_and_empty_input() -> None:
    assert [v.status for v in verify_batch(PAIRS, workers=0)] == EXPECTED
    assert verify_batch([]) == []


def test_plain_numbers_never_start_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a worker pool was started for plain numbers")

    monkeypatch.setattr(batch_module, "_run_pool", refuse)
    verdicts = verify_batch([(f"#### {n}", str(n)) for n in range(200)])
    assert all(v.correct for v in verdicts)


def test_case_past_its_bound_is_killed_and_the_worker_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A negative grace makes the parent kill the worker ~50 ms into a case that needs several
    # times that (12 exact big-integer logarithms, ~0.2-0.3 s), exercising the real
    # kill-and-replace path with real processes.
    monkeypatch.setattr(batch_module, "KILL_GRACE_S", -0.95)
    slow = ("\\boxed{" + "+".join(["\\log_2(2^{100000})"] * 12) + "}", "1200000")
    verdicts = verify_batch([slow, ("\\boxed{\\sqrt{4}}", "2"), slow], workers=1, timeout=1.0)
    assert verdicts[0].status is Status.TIMEOUT and "killed" in verdicts[0].reason
    assert verdicts[1].correct  # graded by the replacement worker
    assert verdicts[2].status is Status.TIMEOUT


def test_concurrent_callers_from_threads_and_asyncio() -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: verify_batch(PAIRS[:3], workers=1), range(2)))
    assert all([v.status for v in r] == EXPECTED[:3] for r in results)

    async def grade() -> list[Status]:
        verdicts = await asyncio.to_thread(verify_batch, PAIRS[:3], workers=1)
        return [v.status for v in verdicts]

    assert asyncio.run(grade()) == EXPECTED[:3]


def test_unknown_mode_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown verify mode"):
        verify_batch(PAIRS, mode="loose")
