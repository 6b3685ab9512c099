"""Datasets on disk: JSONL or Parquet by file suffix, and as a Hugging Face `Dataset`.

Rows keep their nested chat messages in both formats (Parquet as list<struct>), which is what
TRL and verl read; nothing is flattened to JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError, DataError

SUFFIXES = (".jsonl", ".parquet")


def write_dataset(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Write rows to `path` (.jsonl or .parquet) through a temporary file; returns the path."""
    path = Path(path)
    suffix = _suffix(path)
    if not rows:
        raise DataError(f"no rows to write to {path}: the dataset is empty")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    if suffix == ".jsonl":
        with temporary.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        pa, pq = _pyarrow()
        pq.write_table(pa.Table.from_pylist([dict(row) for row in rows]), temporary)
    temporary.replace(path)
    return path


def read_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a .jsonl or .parquet dataset file."""
    path = Path(path)
    suffix = _suffix(path)
    if not path.is_file():
        raise DataError(f"dataset file {path} does not exist")
    if suffix == ".parquet":
        _, pq = _pyarrow()
        rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
        return rows
    return _read_jsonl(path)


def to_hf_dataset(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Rows as a `datasets.Dataset` (imported only here)."""
    try:
        from datasets import Dataset
    except ImportError as error:
        raise ConfigError("Hugging Face datasets need: pip install 'reasonloop[hf]'") from error
    return Dataset.from_list([dict(row) for row in rows])


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DataError(f"{path}:{number}: not valid JSON ({error.msg})") from error
            if not isinstance(row, dict):
                raise DataError(f"{path}:{number}: a row must be a JSON object")
            rows.append(row)
    return rows


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ConfigError(f"{path}: a dataset file must end in .jsonl or .parquet")
    return suffix


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ConfigError(
            "Parquet needs pyarrow: pip install 'reasonloop[hf]', or use .jsonl"
        ) from error
    return pa, pq
