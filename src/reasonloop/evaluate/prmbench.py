"""PRMBench items: a correct step list, a modified one with its wrong steps marked.

PRMBench (Song et al., 2025) rewrites human-verified PRM800K solutions so that some steps
are wrong, in one of 8 ways (`classification`), and marks the wrong steps (`error_steps`,
1-based). A multi-solution item marks none: both step lists are correct. The data is read as
it is: a marked step past the end of the modified list (a few items have them) is dropped and
counted in `PRMBenchItem.dropped_marks`, never guessed.

`stepwise_rows` turns items into TRL's stepwise-supervision rows (`prompt`, `completions`,
`labels`) with the labels someone else made, for training and testing a PRM on them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError

# A PRMBench line is a few kilobytes; a megabyte is not an item but a broken file.
MAX_LINE_BYTES = 1_000_000
FIELDS = ("original_process", "modified_process", "error_steps", "classification")


@dataclass(frozen=True)
class PRMBenchItem:
    """One item: `question`, the `original` steps (all right), the `modified` steps and the
    0-based indices of its wrong steps (empty: the modified list is right too)."""

    item_id: str
    question: str
    original: tuple[str, ...]
    modified: tuple[str, ...]
    modified_question: str
    error_steps: tuple[int, ...]
    error_type: str
    dropped_marks: int = 0

    @property
    def first_error(self) -> int | None:
        """The 0-based index of the first wrong step of `modified`, None when none is wrong."""
        return min(self.error_steps) if self.error_steps else None


def read_prmbench(path: str | Path, limit: int | None = None) -> list[PRMBenchItem]:
    """The items of a PRMBench JSONL file (`limit`: the first N)."""
    file = Path(path)
    if not file.is_file():
        raise DataError(f"{path} does not exist; pass a PRMBench JSONL file (--data FILE)")
    items: list[PRMBenchItem] = []
    with file.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and len(items) >= limit:
                break
            if len(line) > MAX_LINE_BYTES:
                raise DataError(f"{path}:{number}: a line over {MAX_LINE_BYTES} bytes")
            if line.strip():
                items.append(parse_item(json.loads(line), f"{path}:{number}"))
    if not items:
        raise DataError(f"{path} holds no PRMBench item")
    return items


def parse_item(record: Mapping[str, Any], where: str) -> PRMBenchItem:
    """One item from a PRMBench record; a missing field names the file and line."""
    missing = [name for name in FIELDS if name not in record]
    if missing:
        raise DataError(f"{where}: not a PRMBench item, no {', '.join(missing)}")
    original = _steps(record["original_process"], where)
    modified = _steps(record["modified_process"], where)
    marks = [int(step) - 1 for step in record["error_steps"]]
    kept = tuple(sorted({mark for mark in marks if 0 <= mark < len(modified)}))
    question = str(record.get("original_question") or record.get("question") or "")
    return PRMBenchItem(
        item_id=str(record.get("idx", where)),
        question=question,
        original=original,
        modified=modified,
        modified_question=str(record.get("modified_question") or question),
        error_steps=kept,
        error_type=str(record["classification"]),
        dropped_marks=len(marks) - len(kept),
    )


def _steps(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise DataError(f"{where}: a process must be a non-empty list of steps")
    return tuple(str(step) for step in value)


def prefix_labels(n_steps: int, first_error: int | None) -> list[bool]:
    """Math-Shepherd's reading of a step label: can the solution so far still be right?
    True before the first wrong step, False from it on.

    >>> prefix_labels(4, 2)
    [True, True, False, False]
    >>> prefix_labels(2, None)
    [True, True]
    """
    cut = n_steps if first_error is None else first_error
    return [index < cut for index in range(n_steps)]


def stepwise_rows(items: Iterable[PRMBenchItem]) -> list[dict[str, Any]]:
    """TRL stepwise-supervision rows: per item the original (all right) and the modified
    solution (labelled by `prefix_labels`), with the error type and the same labels as floats
    in `soft_labels` (the column `build prm` writes its step values to)."""
    rows = []
    for item in items:
        for kind, question, steps, first in (
            ("original", item.question, item.original, None),
            ("modified", item.modified_question, item.modified, item.first_error),
        ):
            labels = prefix_labels(len(steps), first)
            rows.append(
                {
                    "prompt": question,
                    "completions": list(steps),
                    "labels": labels,
                    "soft_labels": [float(label) for label in labels],
                    "item_id": f"{item.item_id}:{kind}",
                    "error_type": item.error_type,
                }
            )
    return rows


def error_types(items: Sequence[PRMBenchItem]) -> list[str]:
    """The error types present, in first-seen order."""
    return list(dict.fromkeys(item.error_type for item in items))


def first_per_type(items: Sequence[PRMBenchItem], per_type: int) -> list[PRMBenchItem]:
    """The first `per_type` items of each error type, in file order (a stratified sample
    for scorers too slow to take all of them)."""
    seen: dict[str, int] = {}
    kept = []
    for item in items:
        seen[item.error_type] = seen.get(item.error_type, 0) + 1
        if seen[item.error_type] <= per_type:
            kept.append(item)
    return kept
