"""The public surface of reasonloop.verify is pinned."""

from __future__ import annotations

import reasonloop.verify as verify_package
from reasonloop.verify import Status, Verdict, extract_answer, is_equivalent, verify, verify_batch


def test_public_api_is_pinned() -> None:
    assert sorted(verify_package.__all__) == sorted(
        ["Status", "Verdict", "extract_answer", "is_equivalent", "verify", "verify_batch"]
    )


def test_basic_roundtrip() -> None:
    verdict = verify("so the answer is $\\boxed{\\frac{1}{2}}$.", "0.5")
    assert isinstance(verdict, Verdict)
    assert verdict.status is Status.CORRECT and verdict.correct
    assert extract_answer("#### 18") == "18"
    assert is_equivalent("\\frac12", "0.5")
    assert [v.correct for v in verify_batch([("#### 3", "3"), ("#### 4", "3")])] == [True, False]
