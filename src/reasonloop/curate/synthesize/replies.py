"""Instructor replies read strictly: one JSON object of a known shape, or nothing.

A reply may wrap its JSON in a Markdown code fence; anything else around it, a reply longer
than `MAX_REPLY_CHARS`, or a value of the wrong shape makes the reply malformed (None). The
caller counts and skips it. Nothing in a reply is ever evaluated.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_REPLY_CHARS = 100_000
MAX_PHRASE_CHARS = 160
MAX_TEXT_CHARS = 4_000
_FENCE = re.compile(r"^```(?:json)?\s*\n(.*)\n\s*```$", re.DOTALL)


def parse_json_object(reply: str) -> dict[str, Any] | None:
    """The reply's JSON object, or None.

    >>> parse_json_object('```json\\n{"keyphrases": ["a"]}\\n```')
    {'keyphrases': ['a']}
    >>> parse_json_object('Sure! {"keyphrases": ["a"]}') is None
    True
    """
    if len(reply) > MAX_REPLY_CHARS:
        return None
    text = reply.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1).strip()
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_keyphrases(reply: str) -> tuple[str, ...] | None:
    """{"keyphrases": [str, ...]} with 1 to 8 short phrases."""
    data = parse_json_object(reply)
    phrases = None if data is None else data.get("keyphrases")
    if not isinstance(phrases, list) or not _short_strings(phrases, 1, 8):
        return None
    return tuple(str(p) for p in phrases)


def read_types(reply: str) -> dict[str, list[str]] | None:
    """{"types": {name: [keyphrase, ...]}}."""
    data = parse_json_object(reply)
    types = None if data is None else data.get("types")
    if not isinstance(types, dict) or not types:
        return None
    if not all(_short_string(n) and _short_strings(ps, 0, 1000) for n, ps in types.items()):
        return None
    return {str(name): list(phrases) for name, phrases in types.items()}


def read_assignments(reply: str) -> dict[str, str] | None:
    """{"assignments": {keyphrase: type name}}."""
    data = parse_json_object(reply)
    assignments = None if data is None else data.get("assignments")
    if not isinstance(assignments, dict):
        return None
    if not all(_short_string(k) and _short_string(v) for k, v in assignments.items()):
        return None
    return {str(k): str(v) for k, v in assignments.items()}


def read_problems(reply: str) -> list[dict[str, str]] | None:
    """{"problems": [{"question", "solution", "answer"}, ...]}; an item of another shape is
    dropped, and a reply with no usable item is malformed."""
    data = parse_json_object(reply)
    items = None if data is None else data.get("problems")
    if not isinstance(items, list):
        return None
    problems = [
        {key: item[key].strip() for key in ("question", "solution", "answer")}
        for item in items
        if isinstance(item, dict)
        and all(_text(item.get(key)) for key in ("question", "solution", "answer"))
    ]
    return problems or None


def _short_string(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MAX_PHRASE_CHARS


def _short_strings(value: Any, least: int, most: int) -> bool:
    return (
        isinstance(value, list) and least <= len(value) <= most and all(map(_short_string, value))
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MAX_TEXT_CHARS
