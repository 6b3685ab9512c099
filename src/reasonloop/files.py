"""Artifacts on disk: JSON and JSONL written atomically, read back with errors that say where.

Every stage writes through these, so a kill mid-write leaves the old file (or none), never
half a file: the text goes to `NAME.tmp` first and is renamed over `NAME` in one step.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write `text` to `path` (parents created) through a temporary file; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
    return path


def write_json(path: str | Path, data: Any) -> Path:
    """Indented JSON, atomically. Values JSON does not know are written as their `str`."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    return write_text_atomic(path, text)


def read_json(path: str | Path) -> Any:
    """The JSON value in `path`; a damaged file is a `DataError` naming it."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(f"{path} is not valid JSON ({error})") from error


def write_jsonl(path: str | Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    """One JSON object per line, atomically.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "rows.jsonl"
    >>> read_jsonl(write_jsonl(path, [{"a": 1}, {"b": [2]}]))
    [{'a': 1}, {'b': [2]}]
    """
    lines = [json.dumps(dict(row), ensure_ascii=False) + "\n" for row in rows]
    return write_text_atomic(path, "".join(lines))


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The objects of a JSONL file (blank lines skipped); a bad line is a `DataError`."""
    rows: list[dict[str, Any]] = []
    for number, row, error in iter_jsonl(path):
        if error is not None:
            raise DataError(f"{path}:{number}: {error}")
        rows.append(row)
    return rows


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    """`iter_jsonl_lines` over the lines of the file at `path`."""
    with Path(path).open(encoding="utf-8") as handle:
        yield from iter_jsonl_lines(handle)


def iter_jsonl_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any], str | None]]:
    """(line number, object, None) per line, or (line number, {}, why) for a bad line.

    Blank lines are skipped, not counted as bad. Readers that may skip bad rows use this.

    >>> for row in iter_jsonl_lines(['{"a": 1}', "", "[2]", "{1"]):
    ...     print(row)
    (1, {'a': 1}, None)
    (3, {}, 'a JSON list, expected an object')
    (4, {}, 'not valid JSON (Expecting property name enclosed in double quotes at column 2)')
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, {}, f"not valid JSON ({error.msg} at column {error.colno})"
            continue
        if not isinstance(data, dict):
            yield number, {}, f"a JSON {_json_type(data)}, expected an object"
            continue
        yield number, data, None


def _json_type(value: Any) -> str:
    return {list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def ignore_in_git(directory: str | Path) -> None:
    """Put a `.gitignore` of `*` into `directory` (once), so a run directory created inside
    a git checkout is never committed by accident, whatever its name."""
    path = Path(directory) / ".gitignore"
    if not path.exists():
        write_text_atomic(path, "# written by reasonloop: a run directory\n*\n")


def hash_file(path: str | Path) -> str:
    """The sha256 hex digest of a file's content, read in 4 MiB chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()
