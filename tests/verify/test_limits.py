"""Size guards: huge numbers, deep nesting and long inputs come back fast, never hang."""

from __future__ import annotations

import time

import pytest

from reasonloop.verify import Status, is_equivalent, verify

PATHOLOGICAL = [
    "10^{10^{10^{10}}}",
    "9999!",
    "99999999999!",
    "(10^{100})!",
    "2^{2^{100}}",
    "1e999999",
    "10^{-10^{10}}",
    "x^{x^{x^{x^{x}}}}",
    "{" * 1000 + "5" + "}" * 1000,
    "(" * 500 + "1" + ")" * 500,
    "-" * 1500 + "5",
    "2^" * 600 + "2",
    "\\sqrt{" * 300 + "2" + "}" * 300,
    "*".join(["(x+1)"] * 300),
    "(x+1)^{100000}",
    "3^{60000}+3^{60001}",
    "\\sin(10^{100})",
    "e^{10^{10}}",
    "\\binom{10^{9}}{5}",
    "\\log_2(2^{100000})",
    "1," * 900 + "1",
    "\\begin{pmatrix}" + "1&" * 500 + "1\\end{pmatrix}",
    "|" * 500,
    "x_" * 400 + "1",
]


@pytest.mark.parametrize("answer", PATHOLOGICAL, ids=lambda a: a[:30])
@pytest.mark.parametrize("gold", ["5", "x+1"])
def test_pathological_answers_are_bounded(answer: str, gold: str) -> None:
    start = time.monotonic()
    verdict = verify(f"\\boxed{{{answer}}}", gold, timeout=1.0)
    assert time.monotonic() - start < 2.0
    assert not verdict.correct
    assert verdict.status in (Status.INCORRECT, Status.TIMEOUT)


@pytest.mark.parametrize(
    ("answer", "gold", "expected"),
    [
        ("10^{10^{10^{10}}}", "10^{10^{10^{10}}}", True),  # the same text is the same answer
        ("2^{2^{100}}+1", "2^{2^{100}}", False),
        ("9999999! + 1", "9999999!", False),
        ("2^{65536}+1", "2^{65536}", False),  # never equal through rounding
    ],
)
def test_huge_values_are_never_approximated(answer: str, gold: str, expected: bool) -> None:
    assert verify(f"\\boxed{{{answer}}}", gold).correct is expected


@pytest.mark.parametrize(
    ("response", "gold"),
    [
        ("\\boxed{2^{10^{9}}}", "4^{5 \\cdot 10^{8}}"),  # equal, but cannot be built
        ("\\boxed{3^{3^{3^{3}}}}", "3^{3^{27}}"),  # equal, but cannot be built
        ("\\boxed{10^{10^{10^{10}}} - 10^{10^{10^{10}}}}", "0"),
        ("\\boxed{2^{2^{100}}+1}", "2^{2^{100}}"),  # different, but not provably here
        ("\\boxed{5}", "2^{10^{9}}"),
    ],
)
def test_values_too_large_are_not_correct_and_not_claimed_different(
    response: str, gold: str
) -> None:
    verdict = verify(response, gold)
    assert verdict.status is Status.INCORRECT
    assert "too large to compare exactly" in verdict.reason
    assert "different" not in verdict.reason.replace("not proven different", "")


def test_hedging_between_huge_boxes_does_not_claim_they_differ() -> None:
    verdict = verify("\\boxed{2^{10^{9}}} or \\boxed{4^{5 \\cdot 10^{8}}}", "2^{10^{9}}")
    assert not verdict.correct and "too large to compare exactly" in verdict.reason


def test_long_response_is_fine_and_long_answer_is_rejected() -> None:
    response = "We reason step by step. " * 4000 + "\\boxed{42}"  # ~100 KB
    start = time.monotonic()
    assert verify(response, "42").correct
    assert time.monotonic() - start < 1.0
    verdict = verify("\\boxed{" + "1+" * 3000 + "1}", "3001")
    assert not verdict.correct and "longer than" in verdict.reason


def test_is_equivalent_never_raises_on_bad_types() -> None:
    assert is_equivalent(None, "1") is False  # type: ignore[arg-type]
    assert verify(None, "1").status is Status.INCORRECT  # type: ignore[arg-type]
