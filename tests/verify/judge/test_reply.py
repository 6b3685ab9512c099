"""Judge replies are read strictly: anything but a clear decision is undecided."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.verify.judge import read_reply

CASES = [
    ("Yes", "yes-no", "yes"),
    (" no.\n", "yes-no", "no"),
    ("YES", "yes-no", "yes"),
    ("Yes, they are equal", "yes-no", "undecided"),
    ("Yes or No", "yes-no", "undecided"),
    ("Y", "yes-no", "undecided"),
    ("", "yes-no", "undecided"),
    ("The answer is yes", "yes-no", "undecided"),
    ("Final Decision: Yes", "yes-no", "undecided"),
    ("They match.\nFinal Decision: Yes", "final-decision", "yes"),
    ("Final Decision: No", "final-decision", "no"),
    ("Final Decision: Yes\nFinal Decision: No", "final-decision", "undecided"),
    ("Final Decision: No ... actually\nFinal Decision: Yes", "final-decision", "undecided"),
    ("Final Decision: Yes\nbecause they match", "final-decision", "undecided"),
    ("Final Decision: Maybe", "final-decision", "undecided"),
    ("Yes", "final-decision", "undecided"),
    ("Final Decision: Yes" + "!" * 5000, "final-decision", "undecided"),
]


@pytest.mark.parametrize(("reply", "style", "expected"), CASES)
def test_reply_is_read_strictly(reply: str, style: str, expected: str) -> None:
    assert read_reply(reply, style) == expected  # type: ignore[arg-type]


@given(st.text(max_size=200), st.sampled_from(["yes-no", "final-decision"]))
def test_any_reply_reads_as_a_decision_without_raising(reply: str, style: str) -> None:
    decision = read_reply(reply, style)  # type: ignore[arg-type]
    assert decision in ("yes", "no", "undecided")
    if decision == "yes":
        assert "yes" in reply.lower()
