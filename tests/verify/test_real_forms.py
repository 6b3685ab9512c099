"""Endings of real solutions in the forms of issue 20 (from benchmarks/corpus/form_cases.jsonl:
PRM800K solutions PRMBench gives as human-verified, and MATH test solutions)."""

from __future__ import annotations

import pytest

from reasonloop.verify import verify

REAL = [
    # (response ending, gold, correct)
    ("I can add these values to get the final answer.\n# Answer 23", "23", True),
    ("That gives me $-1 + 5 = 4$.\n# Answer\\n\\n4", "4", True),  # `\n` stored as text
    ("That gives me $-1 + 5 = 4$.\n# Answer\\n\\n4", "5", False),
    (
        "Therefore, the solution is the interval 0 < x < 9, union 9 < x < 36, or in set "
        "notation, (0, 9) \u222a (9, 36).\n# Answer\n(0, 9) \u222a (9, 36)",
        "(0,9) \\cup (9,36)",
        True,
    ),
    ("# Answer\n\n5\n\nOr maybe 6.", "5", False),
]


@pytest.mark.parametrize(("response", "gold", "correct"), REAL)
def test_real_solution_endings(response: str, gold: str, correct: bool) -> None:
    assert verify(response, gold).correct is correct
