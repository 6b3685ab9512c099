"""Property tests: any input gives a Verdict, quickly, and never raises."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reasonloop.verify import Verdict, extract_answer, is_equivalent, verify

MATHY = st.lists(
    st.sampled_from(list("0123456789+-*/^_=<>()[]{}|,.!% xyabe\\$") + [
        "\\frac", "\\sqrt", "\\boxed{", "\\pi", "\\infty", "\\cdot", "\\pm", "\\text{", "}",
        "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "\\le", "\\cup", "\\log_", "\\sin",
        "\\binom", "!", "\\%", "^{", "\\overline{", "√", "π", "−", "×", "°", "or", "and",
    ]),
    max_size=40,
).map("".join)  # fmt: skip
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(response=st.text(max_size=200), gold=st.text(max_size=40))
def test_any_text_gives_a_verdict(response: str, gold: str) -> None:
    _check(response, gold)


@FAST
@given(answer=MATHY, gold=MATHY)
def test_any_math_soup_gives_a_verdict(answer: str, gold: str) -> None:
    _check(f"\\boxed{{{answer}}}", gold)
    assert isinstance(is_equivalent(answer, gold), bool)


@FAST
@given(answer=MATHY)
def test_an_answer_equals_itself_or_is_rejected_consistently(answer: str) -> None:
    first = verify(f"\\boxed{{{answer}}}", answer)
    second = verify(f"\\boxed{{{answer}}}", answer)
    assert first == second  # deterministic (cached readings do not change outcomes)


def _check(response: str, gold: str) -> None:
    start = time.monotonic()
    verdict = verify(response, gold, timeout=1.0)
    assert isinstance(verdict, Verdict)
    assert time.monotonic() - start < 2.0
    assert "verifier error" not in verdict.reason, verdict
    for mode in ("strict", "default", "permissive"):
        extract_answer(response, mode)
