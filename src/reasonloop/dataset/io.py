"""Datasets on disk: JSONL or Parquet by file suffix, and as a Hugging Face `Dataset`.

Rows keep their nested chat messages in both formats (Parquet as list<struct>), which is what
TRL and verl read; nothing is flattened to JSON text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError, DataError
from reasonloop.files import read_jsonl, write_jsonl

SUFFIXES = (".jsonl", ".parquet")


def write_dataset(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """Write rows to `path` (.jsonl or .parquet) through a temporary file; returns the path."""
    path = Path(path)
    suffix = _suffix(path)
    if not rows:
        raise DataError(f"no rows to write to {path}: the dataset is empty")
    if suffix == ".jsonl":
        return write_jsonl(path, rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
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
    return read_jsonl(path)


def to_hf_dataset(rows: Sequence[Mapping[str, Any]]) -> Any:
    """Rows as a `datasets.Dataset` (imported only here)."""
    try:
        from datasets import Dataset
    except ImportError as error:
        raise ConfigError("Hugging Face datasets need: pip install 'reasonloop[hf]'") from error
    return Dataset.from_list([dict(row) for row in rows])


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
