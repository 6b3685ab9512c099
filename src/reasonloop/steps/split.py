"""Split a response into steps, kept as character offsets into the response.

A step is a span `[start, end)` of the response; the spans tile it, so joining the steps gives
the response back and every step prefix (`response[:end]`) is exact response text, the very
text a model continues from when a step is valued. The separator after a step (a blank line, a
newline, the space after a full stop) belongs to the step before it: a prefix then ends where
the next step would begin, as the model wrote it.

Rules, by name:

- ``blank_lines``: a step ends at each run of blank lines (paragraphs).
- ``lines``: a step ends at each line break.
- ``sentences``: a step ends after `.`, `!` or `?` followed by white space, and at line breaks
  (a decimal point such as ``3.5`` is followed by a digit, so it never ends a step).
- ``default``: blank lines, or lines when the response is one block (GSM8K-style solutions
  write one step a line, MATH-style ones one paragraph a step).

A response without a separator is one step; that is valid (its value is its own verdict).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from reasonloop.errors import ConfigError

SplitRule = Literal["default", "blank_lines", "lines", "sentences"]
SPLIT_RULES: tuple[SplitRule, ...] = get_args(SplitRule)

# Each pattern matches a separator; a step ends where its separator ends.
_SEPARATORS: dict[str, re.Pattern[str]] = {
    "blank_lines": re.compile(r"\n[ \t]*\n\s*"),
    "lines": re.compile(r"\n\s*"),
    "sentences": re.compile(r"(?<=[.!?])\s+|\n\s*"),
}


@dataclass(frozen=True)
class Step:
    """One step: `response[start:end]`, its trailing separator included."""

    start: int
    end: int


@dataclass(frozen=True)
class StepSplit:
    """A response and its steps, split by `rule`.

    >>> split = split_steps("Add: 2 + 3 = 5.\\n\\nSo the answer is 5.")
    >>> [split.text(i) for i in range(len(split.steps))]
    ['Add: 2 + 3 = 5.', 'So the answer is 5.']
    >>> split.prefix(0)
    'Add: 2 + 3 = 5.\\n\\n'
    """

    response: str
    rule: SplitRule
    steps: tuple[Step, ...]

    def prefix(self, index: int) -> str:
        """The response up to the end of step `index` (its separator included)."""
        return self.response[: self.steps[index].end]

    def text(self, index: int) -> str:
        """Step `index` without surrounding white space, for reading and for step datasets."""
        step = self.steps[index]
        return self.response[step.start : step.end].strip()


def split_steps(response: str, rule: SplitRule = "default") -> StepSplit:
    """Split `response` into steps by `rule` (see the module docstring).

    >>> [s.end for s in split_steps("a\\nb\\nc").steps]
    [2, 4, 5]
    >>> split_steps("one block", "lines").steps
    (Step(start=0, end=9),)
    """
    if rule not in SPLIT_RULES:
        raise ConfigError(f"unknown step split rule {rule!r}; choose one of: {SPLIT_RULES}")
    if rule == "default":
        ends = find_step_ends(response, "blank_lines")
        if len(ends) == 1:
            ends = find_step_ends(response, "lines")
    else:
        ends = find_step_ends(response, rule)
    starts = (0, *ends[:-1])
    steps = tuple(Step(start, end) for start, end in zip(starts, ends, strict=True))
    return StepSplit(response, rule, steps)


def find_step_ends(response: str, rule: str) -> tuple[int, ...]:
    """The end offset of each step under a named separator rule; the last is `len(response)`.

    A separator at the very start or end of the response ends no step: leading white space
    belongs to the first step and trailing white space to the last, so no step is empty
    (unless the response is).
    """
    cuts = {m.end() for m in _SEPARATORS[rule].finditer(response)}
    inner = sorted(cut for cut in cuts if 0 < cut < len(response) and response[:cut].strip())
    return (*inner, len(response))
