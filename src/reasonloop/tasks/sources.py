"""Load problems from a JSONL/Parquet file, a Hugging Face dataset, or a built-in task spec.

`load_problems` returns the problems; `load_problems_report` also says which bad rows were
skipped (with `skip_bad=True`). Without `skip_bad`, the first bad row raises a DataError that
names the file, the 1-based line (JSONL) or row (Parquet, datasets), and the field.

Problem ids come from an `id`/`problem_id`/`idx` field, else `<label>-<row index>` where the
label is the file stem (`gsm8k-test` for `gsm8k/test.jsonl`: a bare split name gets its folder
prepended) and the index counts rows from 0.

Sources, in the order they are tried: an existing file (by suffix: .jsonl/.json/.ndjson,
.parquet/.pq), an existing directory (a `save_to_disk` dataset or a folder of data files), a
task spec (`arithmetic:digits=3`), then a Hugging Face hub name, optionally with a config
(`openai/gsm8k:main`). A reasoning-gym spec (`rg:chain_sum?max_terms=3`, see
`reasonloop.tasks.gym`) is recognised first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError, DataError
from reasonloop.tasks.formats import (
    FORMATS,
    ID_FIELDS,
    RowError,
    RowFormat,
    parse_row,
    resolve_format,
)
from reasonloop.tasks.gym import generate_gym_problems, is_gym_spec
from reasonloop.tasks.problem import Problem
from reasonloop.tasks.procedural import generate_task, is_task_spec, parse_task_spec
from reasonloop.tasks.readers import RawRow, read_hf_rows, read_jsonl_rows, read_parquet_rows

DEFAULT_TASK_SIZE = 1000

_JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
_PARQUET_SUFFIXES = {".parquet", ".pq"}
_SPLIT_NAMES = {"train", "test", "validation", "val", "dev", "eval"}
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class LoadResult:
    """The problems of a source and the bad rows skipped on the way (`skip_bad=True`)."""

    problems: tuple[Problem, ...]
    skipped: int
    skip_reasons: tuple[str, ...]  # one line per skipped row: "<file> line 3: field 'answer': ..."


def load_problems(
    source: str | os.PathLike[str],
    *,
    format: str = "auto",
    question_field: str | None = None,
    answer_field: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    skip_bad: bool = False,
) -> list[Problem]:
    """The problems of `source`; see `load_problems_report` for the arguments."""
    result = load_problems_report(
        source,
        format=format,
        question_field=question_field,
        answer_field=answer_field,
        split=split,
        limit=limit,
        skip_bad=skip_bad,
    )
    return list(result.problems)


def load_problems_report(
    source: str | os.PathLike[str],
    *,
    format: str = "auto",
    question_field: str | None = None,
    answer_field: str | None = None,
    split: str | None = None,
    limit: int | None = None,
    skip_bad: bool = False,
) -> LoadResult:
    """Problems of a file, dataset or task spec, plus the bad rows skipped.

    `format` is one of auto/gsm8k/math/plain; the field names override the format's defaults;
    `split` picks a Hugging Face dataset split; `limit` keeps the first N problems (for a task
    spec it is the number generated, default 1000).
    """
    source = os.fspath(source)
    if format not in FORMATS:
        raise ConfigError(f"unknown problem format {format!r}; valid formats: {', '.join(FORMATS)}")
    if limit is not None and limit < 0:
        raise ConfigError(f"limit must be >= 0, got {limit}")
    if is_gym_spec(source):
        _check_task_options(source, format, question_field, answer_field, split)
        n = DEFAULT_TASK_SIZE if limit is None else limit
        # like a file: a generator with fewer distinct questions gives what it has
        problems = generate_gym_problems(source, n, fewer_ok=True)
        return LoadResult(tuple(problems), skipped=0, skip_reasons=())
    kind = _classify_source(source)
    if kind == "task":
        _check_task_options(source, format, question_field, answer_field, split)
        name, knobs = parse_task_spec(source)
        seed = int(knobs.pop("seed", 0))
        n = DEFAULT_TASK_SIZE if limit is None else limit
        problems = generate_task(name, n, seed=seed, **knobs)
        return LoadResult(problems=tuple(problems), skipped=0, skip_reasons=())
    if kind != "hf" and split is not None:
        raise ConfigError(f"split={split!r} only applies to Hugging Face datasets, not {source}")
    rows = _read_rows(source, kind, split)
    unit = "line" if kind == "jsonl" else "row"
    reader = _RowReader(
        source, _label(source, kind, split), unit, format, question_field, answer_field
    )
    return reader.read(rows, limit, skip_bad)


def _classify_source(source: str) -> str:
    path = Path(source).expanduser()
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in _JSONL_SUFFIXES:
            return "jsonl"
        if suffix in _PARQUET_SUFFIXES:
            return "parquet"
        raise DataError(
            f"{source}: cannot tell the file type from its suffix {suffix!r}; "
            "use .jsonl or .parquet"
        )
    if path.is_dir():
        return "hf"
    if is_task_spec(source) or "=" in source.partition(":")[2]:
        # "algebra:digits=3" is a mistyped task spec, not a hub dataset with a config
        return "task"
    if path.suffix.lower() in _JSONL_SUFFIXES | _PARQUET_SUFFIXES or source.startswith((".", "/")):
        raise DataError(f"problem file not found: {source}")
    return "hf"


def _check_task_options(
    source: str, format: str, question: str | None, answer: str | None, split: str | None
) -> None:
    given = {
        "format": None if format == "auto" else format,
        "question_field": question,
        "answer_field": answer,
        "split": split,
    }
    extra = sorted(key for key, value in given.items() if value is not None)
    if extra:
        raise ConfigError(f"{', '.join(extra)} cannot be used with the built-in task {source!r}")


def _read_rows(source: str, kind: str, split: str | None) -> Iterator[RawRow]:
    path = Path(source).expanduser()
    if kind == "jsonl":
        return read_jsonl_rows(path)
    if kind == "parquet":
        return read_parquet_rows(path)
    return read_hf_rows(source, split)


def _label(source: str, kind: str, split: str | None) -> str:
    path = Path(source.rstrip("/"))
    if kind == "hf":
        name = path.name.partition(":")[0]  # drop a config: "openai/gsm8k:main" -> "gsm8k"
        return f"{name}-{split}" if split else name
    stem = path.stem
    if stem.lower() in _SPLIT_NAMES and path.parent.name:
        return f"{path.parent.name}-{stem}"
    return stem


class _RowReader:
    """Turns raw rows into problems, fixing the format on the first decodable row."""

    def __init__(
        self,
        source: str,
        label: str,
        unit: str,
        format: str,
        question_field: str | None,
        answer_field: str | None,
    ) -> None:
        self.source, self.label, self.unit = source, label, unit
        self.format, self.question_field, self.answer_field = format, question_field, answer_field
        self.row_format: RowFormat | None = None
        self.seen_ids: dict[str, int] = {}

    def read(self, rows: Iterator[RawRow], limit: int | None, skip_bad: bool) -> LoadResult:
        problems: list[Problem] = []
        reasons: list[str] = []
        for index, row in enumerate(rows):
            if limit is not None and len(problems) >= limit:
                break
            try:
                problems.append(self._to_problem(index, row))
            except RowError as error:
                reason = f"{self.source} {self.unit} {row.number}: {error}"
                if not skip_bad:
                    raise DataError(
                        f"{reason} (pass skip_bad / --skip-bad to skip bad rows)"
                    ) from None
                reasons.append(reason)
        if not problems and limit != 0:
            raise DataError(
                f"{self.source}: no usable problems"
                + (f" ({len(reasons)} bad rows skipped)" if reasons else "")
            )
        return LoadResult(tuple(problems), len(reasons), tuple(reasons))

    def _to_problem(self, index: int, row: RawRow) -> Problem:
        if row.error is not None:
            raise RowError("<row>", row.error)
        if self.row_format is None:
            self.row_format = resolve_format(
                row.data, self.format, self.question_field, self.answer_field
            )
        parsed = parse_row(row.data, self.row_format)
        problem_id = _row_id(row.data) or f"{self.label}-{index}"
        if problem_id in self.seen_ids:
            first = self.seen_ids[problem_id]
            raise RowError("id", f"duplicate id {problem_id!r} (first at {self.unit} {first})")
        self.seen_ids[problem_id] = row.number
        meta = _row_meta(row.data, self.row_format)
        if parsed.solution is not None:
            meta["solution"] = parsed.solution
        return Problem(problem_id, parsed.question, parsed.gold, self.label, meta)


def _row_id(data: Mapping[str, Any]) -> str | None:
    for field in ID_FIELDS:
        value = data.get(field)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None


def _row_meta(data: Mapping[str, Any], row_format: RowFormat) -> dict[str, Any]:
    # Keep the row's other scalar fields (MATH's level/type, ...) so reports can group by them.
    used = {row_format.question_field, row_format.answer_field, *ID_FIELDS}
    return {
        key: value for key, value in data.items() if key not in used and isinstance(value, _SCALARS)
    }
