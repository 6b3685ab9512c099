"""Files of (prompt, completion) rows for the refusal judge: read, judge, keep every field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonloop.errors import DataError
from reasonloop.files import read_jsonl
from reasonloop.safety.judge import judge_refusal


def read_judge_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a JSONL file; each needs a string `completion` (and `prompt`, which the
    rule judge does not read but the output keeps). The error names the row, not its text."""
    rows = read_jsonl(path)
    for number, row in enumerate(rows, start=1):
        for field in ("prompt", "completion"):
            if not isinstance(row.get(field), str):
                raise DataError(
                    f"{path}: row {number} has no string `{field}`; every row needs "
                    "`prompt` and `completion`"
                )
    return rows


def judge_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with `verdict` (compliance / refusal / partial_refusal) and `verdict_reason`."""
    out = []
    for row in rows:
        verdict = judge_refusal(row["completion"])
        out.append({**row, "verdict": verdict.label, "verdict_reason": verdict.reason})
    return out
