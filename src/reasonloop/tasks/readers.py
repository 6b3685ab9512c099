"""Row readers for each kind of source: JSONL, Parquet, Hugging Face datasets.

Each yields `RawRow`s in file order. A row that cannot even be decoded (malformed JSON, not an
object) comes back with `error` set, so the loader can stop or skip it with file and row named.
pyarrow and datasets are imported only when such a source is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError, DataError
from reasonloop.files import iter_jsonl


@dataclass(frozen=True)
class RawRow:
    """One row of a source; `number` is the 1-based line (JSONL) or row (tables)."""

    number: int
    data: Mapping[str, Any]
    error: str | None = None


def read_jsonl_rows(path: Path) -> Iterator[RawRow]:
    """Rows of a JSON Lines file; blank lines are skipped, not counted as bad."""
    for number, data, error in iter_jsonl(path):
        yield RawRow(number, data, error)


def read_parquet_rows(path: Path) -> Iterator[RawRow]:
    """Rows of a Parquet file, read batch by batch."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ConfigError("reading Parquet needs pyarrow: pip install 'reasonloop[hf]'") from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # pyarrow raises several unrelated types for a broken file
        raise DataError(f"{path}: not a readable Parquet file ({error})") from None
    number = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for data in batch.to_pylist():
            number += 1
            yield RawRow(number, data)


def read_hf_rows(name_or_dir: str, split: str | None) -> Iterator[RawRow]:
    """Rows of a Hugging Face dataset split, by hub name or local dir.

    A hub name may carry a config after a colon: `openai/gsm8k:main`.
    """
    dataset = _load_hf_split(name_or_dir, split)
    for number, data in enumerate(dataset, start=1):
        yield RawRow(number, data)


def _load_hf_split(name_or_dir: str, split: str | None) -> Any:
    try:
        import datasets
    except ImportError:
        raise ConfigError(
            f"reading the dataset {name_or_dir!r} needs datasets: pip install 'reasonloop[hf]'"
        ) from None
    path = Path(name_or_dir)
    saved = (path / "dataset_dict.json").is_file() or (path / "state.json").is_file()
    try:
        if saved:
            loaded = datasets.load_from_disk(str(path))
        elif path.exists():
            loaded = datasets.load_dataset(name_or_dir, split=split)
        else:
            name, _, config = name_or_dir.partition(":")
            loaded = datasets.load_dataset(name, config or None, split=split)
    except (FileNotFoundError, ConnectionError, datasets.exceptions.DatasetNotFoundError) as error:
        raise DataError(
            f"dataset {name_or_dir!r} could not be found locally or in the offline cache "
            f"({type(error).__name__}: {error}); give a JSONL/Parquet path, a local dataset "
            "directory, or download the dataset first"
        ) from None
    except ValueError as error:  # e.g. an unknown split name
        raise DataError(f"dataset {name_or_dir!r}: {error}") from None
    return _pick_split(loaded, name_or_dir, split)


def _pick_split(loaded: Any, name: str, split: str | None) -> Any:
    import datasets

    if not isinstance(loaded, datasets.DatasetDict):
        return loaded
    splits = sorted(loaded)
    if split is None and len(splits) == 1:
        return loaded[splits[0]]
    if split is None or split not in loaded:
        asked = "no split given" if split is None else f"no split {split!r}"
        raise DataError(f"dataset {name!r}: {asked}; choose one of: {', '.join(splits)}")
    return loaded[split]
