"""Pool and target rows as (prompt, completion) conversations, and a stable key per row.

Rows come in TRL's SFT conventions, as `reasonloop build sft` writes them: `prompt` and
`completion` (conversations, or plain strings), or one `messages` conversation whose last
assistant turn is the completion. Other datasets name their fields with a `FieldMap`.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reasonloop.errors import DataError

Turns = list[dict[str, str]]


@dataclass(frozen=True)
class FieldMap:
    """Which fields of a row hold the prompt and the completion (or the whole conversation)."""

    prompt: str = "prompt"
    completion: str = "completion"
    messages: str = "messages"


@dataclass(frozen=True)
class Example:
    """One row as the gradient pass sees it: the conversation split at the completion."""

    key: str
    prompt: Turns
    completion: Turns


def to_examples(
    rows: Sequence[Mapping[str, Any]], fields: FieldMap = FieldMap(), kind: str = "pool"
) -> list[Example]:
    """Every row as an `Example`; a row that fits neither layout is an error naming it."""
    if not rows:
        raise DataError(f"the {kind} dataset is empty")
    return [_to_example(row, fields, f"{kind} row {index}") for index, row in enumerate(rows)]


def split_validation(
    rows: Sequence[Mapping[str, Any]], problems: int, *, seed: int = 0, field: str = "problem_id"
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(pool, target): every row of `problems` problems drawn at random (seeded) is a target
    row and leaves the pool, so no validation problem is trained on; rows without `field`
    stay in the pool.

    >>> rows = [{"problem_id": p, "n": n} for p, n in [("a", 1), ("a", 2), ("b", 3), ("c", 4)]]
    >>> pool, target = split_validation(rows, 1, seed=0)
    >>> len(pool) + len(target) == 4 and len({r["problem_id"] for r in target}) == 1
    True
    """
    ids = sorted({str(row[field]) for row in rows if field in row})
    if len(ids) <= problems:
        raise DataError(
            f"only {len(ids)} problems have rows ({field!r}); a validation split of {problems} "
            "would leave nothing to select from: lower select.val_problems"
        )
    chosen = set(random.Random(seed).sample(ids, problems))
    target = [row for row in rows if str(row.get(field)) in chosen and field in row]
    pool = [row for row in rows if not (field in row and str(row[field]) in chosen)]
    return pool, target


def row_key(row: Mapping[str, Any]) -> str:
    """A content hash of a row: the same row gets the same cached features in any pool.

    >>> row_key({"a": 1, "b": 2}) == row_key({"b": 2, "a": 1})
    True
    """
    text = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _to_example(row: Mapping[str, Any], fields: FieldMap, where: str) -> Example:
    if fields.prompt in row and fields.completion in row:
        prompt = _as_turns(row[fields.prompt], "user", where, fields.prompt)
        completion = _as_turns(row[fields.completion], "assistant", where, fields.completion)
    elif fields.messages in row:
        turns = _as_turns(row[fields.messages], "user", where, fields.messages)
        if len(turns) < 2 or turns[-1]["role"] != "assistant":
            raise DataError(f"{where}: {fields.messages!r} must end with an assistant turn")
        prompt, completion = turns[:-1], turns[-1:]
    else:
        raise DataError(
            f"{where} has neither {fields.prompt!r}/{fields.completion!r} nor "
            f"{fields.messages!r}; map your fields with --prompt-field/--completion-field "
            "or --messages-field"
        )
    if not "".join(turn["content"] for turn in completion).strip():
        raise DataError(f"{where}: the completion is empty")
    return Example(row_key(row), prompt, completion)


def _as_turns(value: Any, role: str, where: str, field: str) -> Turns:
    """A conversation from a string (one `role` turn) or a list of role/content mappings."""
    if isinstance(value, str):
        return [{"role": role, "content": value}]
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: {field!r} must be a string or a non-empty list of turns")
    turns: Turns = []
    for turn in value:
        if not isinstance(turn, Mapping) or not isinstance(turn.get("content"), str):
            raise DataError(f"{where}: every turn of {field!r} needs a string 'content'")
        turns.append({"role": str(turn.get("role", role)), "content": turn["content"]})
    return turns
