"""`reasonloop verify FILE --executor ray`: grade a large JSONL or Parquet file on Ray.

Ray Data reads the file in blocks; grading tasks run `verify_batch` on each block (plain
numbers inline, the rest in killable worker processes, as locally), then, with `--judge`,
`apply_judge` on actors holding the judge (`ray_grade`), and add the verdict columns; the
driver streams the graded blocks, in input order, into one Parquet file. The file appears
under its name only once complete, so a failed run leaves no half-written output.
"""

from __future__ import annotations

import os
import pickle
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.errors import ConfigError, DataError, ReasonloopError
from reasonloop.scale.executor import (
    ExecutorConfig,
    check_resources,
    ray_session,
    stop_on_lost_workers,
)
from reasonloop.scale.ray_grade import map_grading

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge
    from reasonloop.verify.verdict import Verdict

ROWS_PER_TASK = 1024
READERS = {".jsonl": "json", ".json": "json", ".parquet": "parquet"}
VERDICT_COLUMNS = ("correct", "status", "answer", "reason", "decided_by")
# A block that could not be graded comes back as this one column holding the pickled error,
# which the driver raises as itself (Ray would wrap an exception in a remote traceback).
ERROR_COLUMN = "__reasonloop_error__"


@dataclass(frozen=True)
class TableGrading:
    """How each block of a file is graded: which fields hold the gold, the response and the
    question (the judge reads it), the verifier's mode, its time bound per pair, and its
    worker processes per task. Built once by the caller, pickled to every grading task."""

    gold_field: str
    response_field: str
    question_field: str = "question"
    mode: str = "default"
    timeout: float = 1.0
    workers: int = 1


def verify_file_on_ray(
    path: str,
    output: Path | None,
    config: ExecutorConfig,
    grading: TableGrading,
    *,
    progress: bool,
    judge: ModelJudge | None = None,
) -> tuple[Counter[str], int]:
    """Grade every row of `path` as `grading` says (with `judge` behind the rule, if given);
    (status counts, with the number the judge decided under "judge"; rows graded), and
    `output` written."""
    reader = _reader_for(path)
    if output is not None and output.suffix != ".parquet":
        raise ConfigError(f"{output}: the ray executor writes Parquet; name the output OUT.parquet")
    with ray_session(config, progress=progress) as ray:
        import ray.data

        if reader == "parquet":
            rows = ray.data.read_parquet(path)
        else:
            rows = ray.data.read_json(path, lines=True)
        _check_columns(path, rows.schema().names, grading.gold_field, grading.response_field)
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        if judge is not None:
            check_resources(config, ray.cluster_resources(), judged=True)
        graded = map_grading(
            rows,
            grade_table,
            grading,
            config,
            judge,
            batch_format="pyarrow",
            batch_size=ROWS_PER_TASK,
        )
        with stop_on_lost_workers(ray, config, lambda: "no output was written"):
            return _collect(graded.iter_batches(batch_format="pyarrow", batch_size=None), output)


def grade_table(table: Any, *, settings: TableGrading, judge: ModelJudge | None) -> Any:
    """A block with the verdict columns added (they replace same-named input columns)."""
    import pyarrow as pa

    try:
        responses = _texts(table, settings.response_field)
        pairs = list(zip(responses, _texts(table, settings.gold_field), strict=True))
        return _with_verdicts(table, _verdicts(pairs, table, settings, judge))
    except ReasonloopError as error:
        return pa.table({ERROR_COLUMN: pa.array([pickle.dumps(error)], pa.binary())})


def _verdicts(
    pairs: list[tuple[str, str]], table: Any, settings: TableGrading, judge: ModelJudge | None
) -> list[Verdict]:
    """What `reasonloop verify` decides locally: the rule's verdicts, then the judge's."""
    from reasonloop.verify import verify_batch
    from reasonloop.verify.judge import apply_judge

    mode = settings.mode
    verdicts = verify_batch(pairs, workers=settings.workers, timeout=settings.timeout, mode=mode)
    if judge is None:
        return verdicts
    questions: list[str | None] = [None] * len(pairs)
    if settings.question_field in table.column_names:
        values = table.column(settings.question_field).to_pylist()
        questions = [None if value is None else str(value) for value in values]
    return apply_judge(pairs, verdicts, judge, questions=questions, mode=mode)


def _with_verdicts(table: Any, verdicts: list[Verdict]) -> Any:
    import pyarrow as pa

    columns = {
        "correct": pa.array([v.correct for v in verdicts], pa.bool_()),
        "status": pa.array([v.status.value for v in verdicts], pa.string()),
        "answer": pa.array([v.answer for v in verdicts], pa.string()),
        "reason": pa.array([v.reason for v in verdicts], pa.string()),
        "decided_by": pa.array([v.decided_by for v in verdicts], pa.string()),
    }
    kept = [name for name in table.column_names if name not in VERDICT_COLUMNS]
    return _with_columns(table.select(kept), columns)


def _texts(table: Any, field: str) -> list[str]:
    return [_text(value, field) for value in table.column(field).to_pylist()]


def _with_columns(table: Any, columns: dict[str, Any]) -> Any:
    for name, values in columns.items():
        table = table.append_column(name, values)
    return table


def _text(value: Any, field: str) -> str:
    # The same rule as the local reader: a gold or response is a string or a number.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DataError(
            f"field '{field}' holds a {type(value).__name__}, expected a string or number"
        )
    return str(value)


def _collect(batches: Any, output: Path | None) -> tuple[Counter[str], int]:
    import pyarrow.parquet as pq

    statuses: Counter[str] = Counter()
    n_rows = 0
    partial = output.with_name(output.name + ".partial") if output is not None else None
    writer: Any = None
    try:
        for table in batches:
            if ERROR_COLUMN in table.column_names:
                raise pickle.loads(table.column(ERROR_COLUMN)[0].as_py())
            statuses.update(table.column("status").to_pylist())
            statuses["judge"] += table.column("decided_by").to_pylist().count("judge")
            n_rows += table.num_rows
            if partial is not None:
                if writer is None:
                    writer = pq.ParquetWriter(partial, table.schema)
                writer.write_table(table.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
    if output is not None and partial is not None and writer is not None:
        os.replace(partial, output)
    return statuses, n_rows


def _reader_for(path: str) -> str:
    if path == "-":
        raise ConfigError("the ray executor reads a file, not standard input; give FILE.jsonl")
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in READERS:
        raise ConfigError(f"{path}: the ray executor reads .jsonl or .parquet files")
    if not file.exists():
        raise DataError(f"{path}: no such file")
    return READERS[suffix]


def _check_columns(path: str, names: list[str], gold_field: str, response_field: str) -> None:
    for field, option in ((gold_field, "--gold-field"), (response_field, "--response-field")):
        if field not in names:
            found = ", ".join(sorted(names)) or "none"
            raise DataError(
                f"{path}: missing field '{field}' (fields found: {found}); "
                f"pick another with {option}"
            )
