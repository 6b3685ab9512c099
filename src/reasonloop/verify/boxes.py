"""Boxes and answer tags: where a response marks its answer in LaTeX (`\\boxed{}`, `\\fbox{}`) or
with RL-style `<answer>...</answer>` tags.

Everything here is searched from the end with `rfind` and bounded (`MAX_BOXES` boxes, boxes of at
most `MAX_BOX_CHARS`), so unclosed or repeated boxes and tags cost linear time.
"""

from __future__ import annotations

import re

MAX_BOXES = 16  # only the last few boxes matter; bounds the work on pathological input
MAX_BOX_CHARS = 8192  # a box longer than this is not an answer
BOX_COMMANDS = ("\\boxed", "\\fbox")
_TAG_OPEN, _TAG_CLOSE = "<answer>", "</answer>"  # RL-style answer tags, matched ignoring case
_BRACE_TOKEN = re.compile(r"\\.|[{}]", re.DOTALL)


def find_boxes(text: str) -> list[str]:
    """Contents of the last boxes (`\\boxed{..}`, `\\fbox{..}`, `\\boxed 5`), in order.

    A box nested inside another counts once, as the outer box.
    """
    return [content for _, _, content in find_box_spans(text)]


def find_box_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of the last boxes, in order (see `find_boxes`)."""
    found: list[tuple[int, int, str]] = []
    end = len(text)
    for _ in range(2 * MAX_BOXES):  # bounded attempts: unclosed boxes must not cost n^2
        if len(found) >= MAX_BOXES:
            break
        start = max(text.rfind(command, 0, end) for command in BOX_COMMANDS)
        if start < 0:
            break
        end = start
        box = read_box(text, start)
        if box is None:
            continue
        stop, content = box
        while found and found[-1][0] < stop:  # an inner box of this one
            found.pop()
        found.append((start, stop, content))
    return found[::-1]


def find_answer_tags(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of the last `<answer>...</answer>` tags, in order.

    Searched from the end with `rfind`, so unclosed or repeated tags cost linear time.
    """
    lower = text.lower()
    found: list[tuple[int, int, str]] = []
    end = len(text)
    while len(found) < MAX_BOXES:
        close = lower.rfind(_TAG_CLOSE, 0, end)
        start = lower.rfind(_TAG_OPEN, 0, close) if close >= 0 else -1
        if start < 0:
            break
        found.append((start, close + len(_TAG_CLOSE), text[start + len(_TAG_OPEN) : close]))
        end = start
    return found[::-1]


def read_box(text: str, start: int) -> tuple[int, str] | None:
    """Read the box command at `start`: (end index, content), or None if it is not a box."""
    i = start + (6 if text.startswith("\\boxed", start) else 5)
    if i < len(text) and text[i].isalpha():
        return None  # \boxeds or similar: another command
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text):
        return None
    if text[i] != "{":
        match = re.compile(r"[^\s$]+").match(text, i)
        return None if match is None else (match.end(), match.group(0))
    close = match_brace(text, i)
    if close is None:
        return None
    return close + 1, text[i + 1 : close].strip()


def match_brace(text: str, open_index: int) -> int | None:
    """Index of the `}` closing the `{` at open_index (escaped braces skipped), bounded scan."""
    depth = 0
    limit = min(len(text), open_index + MAX_BOX_CHARS)
    for match in _BRACE_TOKEN.finditer(text, open_index, limit):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.start()
    return None
