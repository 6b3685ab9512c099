"""Files of (prompt, completion) rows for the refusal judge: read, judge, keep every field."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError
from reasonloop.files import read_jsonl
from reasonloop.safety.judge import RefusalVerdict, judge_refusal


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


def judge_rows(
    rows: list[dict[str, Any]], verdicts: Sequence[RefusalVerdict] | None = None
) -> list[dict[str, Any]]:
    """Each row with `verdict` (compliance / refusal / partial_refusal), `verdict_reason` and
    `decided_by`; the rule judges unless `verdicts` (one per row, e.g. a model judge's) are
    given."""
    if verdicts is None:
        verdicts = [judge_refusal(row["completion"]) for row in rows]
    return [
        {
            **row,
            "verdict": verdict.label,
            "verdict_reason": verdict.reason,
            "decided_by": verdict.decided_by,
        }
        for row, verdict in zip(rows, verdicts, strict=True)
    ]
