"""`reasonloop verify`: grade one response, or every row of a JSONL file.

    reasonloop verify --gold 18 --response 'so she earns \\boxed{18} dollars'
    reasonloop verify samples.jsonl -o graded.jsonl --workers 2
    reasonloop verify samples.jsonl --judge default   # a model judge where the rule cannot decide
    reasonloop verify big.parquet -o graded.parquet --executor ray   # on a Ray cluster

One pair prints its verdict as JSON. A file is read and checked in full before grading starts
(a bad line is reported with its file, line number and field), then graded in chunks through
`verify_batch` with a progress bar; each input row is written to OUT with the verdict fields
(correct, status, answer, reason) added, and a table of statuses is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.cli._executor import add_executor_arguments, executor_from_args
from reasonloop.cli._judge import add_judge_arguments, judge_from_args
from reasonloop.cli._table import format_table
from reasonloop.errors import ConfigError, DataError
from reasonloop.files import iter_jsonl_lines
from reasonloop.verify.extract import MODES

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge
    from reasonloop.verify.verdict import Verdict

CHUNK_SIZE = 64
STDIN = "-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", metavar="FILE.jsonl", help="rows to grade ('-' reads standard input)"
    )
    parser.add_argument("--gold", help="the gold answer of a single pair")
    parser.add_argument("--response", help="the response of a single pair")
    parser.add_argument("--mode", choices=MODES, default="default", help="how lenient to be")
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per pair")
    parser.add_argument("--gold-field", default="gold", help="field holding the gold answer")
    parser.add_argument("--response-field", default="response", help="field holding the response")
    parser.add_argument("-o", "--output", metavar="OUT.jsonl", help="write graded rows here")
    parser.add_argument("--workers", type=int, help="worker processes (default: the CPU count)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--question", help="the question of a single pair (for the judge)")
    parser.add_argument(
        "--question-field", default="question", help="field holding the question, if any"
    )
    add_judge_arguments(parser)
    add_executor_arguments(parser, actors=False)


def run(args: argparse.Namespace) -> int:
    single = args.gold is not None or args.response is not None
    if single and args.file is not None:
        raise ConfigError("give either FILE.jsonl or --gold/--response, not both")
    if single:
        return _verify_pair(args)
    if args.file is None:
        raise ConfigError("nothing to grade: give FILE.jsonl, or --gold G --response R")
    return _verify_file(args)


def _verify_pair(args: argparse.Namespace) -> int:
    if args.gold is None or args.response is None:
        raise ConfigError("--gold and --response go together; give both")
    from reasonloop.verify import verify

    judge = judge_from_args(args)
    if judge is None:
        verdict = verify(args.response, args.gold, mode=args.mode, timeout=args.timeout)
    else:
        verdict = _judged([(args.response, args.gold)], [args.question], args, judge)[0]
    print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    return 0


def _verify_file(args: argparse.Namespace) -> int:
    if args.executor == "ray":
        return _verify_file_on_ray(args)
    rows = read_rows(args.file, args.gold_field, args.response_field)
    output = Path(args.output) if args.output else None
    if output is not None and output.parent and not output.parent.is_dir():
        raise ConfigError(f"{output}: the folder {output.parent} does not exist")
    statuses = _grade_rows(rows, args, output)
    print(format_status_table(statuses, len(rows)))
    if args.judge is not None:
        print(f"decided by the judge: {statuses['judge']} of {len(rows)}")
    if output is not None:
        print(f"wrote {len(rows)} graded rows to {output}")
    return 0


def _verify_file_on_ray(args: argparse.Namespace) -> int:
    from reasonloop.scale.ray_verify import TableGrading, verify_file_on_ray

    output = Path(args.output) if args.output else None
    grading = TableGrading(
        gold_field=args.gold_field,
        response_field=args.response_field,
        question_field=args.question_field,
        mode=args.mode,
        timeout=args.timeout,
        workers=args.workers or 1,
    )
    statuses, n_rows = verify_file_on_ray(
        args.file,
        output,
        executor_from_args(args),
        grading,
        progress=not args.no_progress,
        judge=judge_from_args(args),
    )
    print(format_status_table(statuses, n_rows))
    if args.judge is not None:
        print(f"decided by the judge: {statuses['judge']} of {n_rows}")
    if output is not None:
        print(f"wrote {n_rows} graded rows to {output}")
    return 0


def _grade_rows(
    rows: list[dict[str, Any]], args: argparse.Namespace, output: Path | None
) -> Counter[str]:
    from tqdm import tqdm

    from reasonloop.verify import verify_batch

    statuses: Counter[str] = Counter()
    pairs = [(str(row[args.response_field]), str(row[args.gold_field])) for row in rows]
    questions = [_question(row, args.question_field) for row in rows]
    judge = judge_from_args(args)
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(output.open("w", encoding="utf-8")) if output else None
        bar = stack.enter_context(
            tqdm(total=len(rows), unit="pair", desc="verify", disable=args.no_progress)
        )
        for start, chunk in _chunks(pairs, CHUNK_SIZE):
            verdicts = verify_batch(
                chunk, workers=args.workers, timeout=args.timeout, mode=args.mode
            )
            if judge is not None:  # rows of earlier chunks are written if the judge fails here
                chunk_questions = questions[start : start + len(chunk)]
                verdicts = _judged(chunk, chunk_questions, args, judge, verdicts, start)
            for row, verdict in zip(rows[start : start + len(chunk)], verdicts, strict=True):
                statuses[verdict.status.value] += 1
                statuses["judge"] += verdict.decided_by == "judge"
                if out is not None:
                    out.write(json.dumps(graded_row(row, verdict), ensure_ascii=False) + "\n")
            if out is not None:
                out.flush()
            bar.update(len(chunk))
    return statuses


def _judged(
    pairs: list[tuple[str, str]],
    questions: list[str | None],
    args: argparse.Namespace,
    judge: ModelJudge,
    rule: list[Verdict] | None = None,
    written: int = 0,
) -> list[Verdict]:
    """Rule verdicts with the judge's decisions; a judge failure says what is already kept."""
    from reasonloop.verify import verify_batch
    from reasonloop.verify.judge import JudgeError, apply_judge

    if rule is None:
        rule = verify_batch(pairs, workers=0, timeout=args.timeout, mode=args.mode)
    try:
        return apply_judge(pairs, rule, judge, questions=questions, mode=args.mode)
    except JudgeError as error:
        kept = f"; the {written} rows graded before it are written to {args.output}"
        raise JudgeError(f"{error}{kept if args.output and written else ''}") from error


def _question(row: dict[str, Any], field: str) -> str | None:
    value = row.get(field)
    return None if value is None else str(value)


def _chunks(
    pairs: Sequence[tuple[str, str]], size: int
) -> Iterator[tuple[int, list[tuple[str, str]]]]:
    for start in range(0, len(pairs), size):
        yield start, list(pairs[start : start + size])


def graded_row(row: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    """The input row with the verdict's fields added (they replace same-named input fields)."""
    return {**row, **verdict.to_dict()}


def read_rows(path: str, gold_field: str, response_field: str) -> list[dict[str, Any]]:
    """Every row of a JSONL file, checked for the two fields; errors name file, line and field."""
    if path == STDIN:
        rows = list(_check_rows(sys.stdin, "<stdin>", gold_field, response_field))
    else:
        file = Path(path)
        if not file.is_file():
            raise DataError(
                f"{path}: no such file; give a JSONL file with one JSON object per line"
            )
        with file.open(encoding="utf-8") as lines:
            rows = list(_check_rows(lines, path, gold_field, response_field))
    if not rows:
        raise DataError(f"{path}: no rows to grade (the file is empty)")
    return rows


def _check_rows(
    lines: Iterable[str], name: str, gold_field: str, response_field: str
) -> Iterator[dict[str, Any]]:
    for number, row, error in iter_jsonl_lines(lines):
        if error is not None:
            raise DataError(f"{name}:{number}: {error}; each line must be one JSON object")
        for field, option in ((gold_field, "--gold-field"), (response_field, "--response-field")):
            _check_field(row, field, option, f"{name}:{number}")
        yield row


def _check_field(row: dict[str, Any], field: str, option: str, where: str) -> None:
    if field not in row:
        found = ", ".join(sorted(row)) or "none"
        raise DataError(
            f"{where}: missing field '{field}' (fields found: {found}); pick another with {option}"
        )
    value = row[field]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise DataError(
            f"{where}: field '{field}' is a {type(value).__name__}, expected a string or number"
        )


def format_status_table(statuses: Counter[str], total: int) -> str:
    """Count and share of each verdict status, every status listed."""
    from reasonloop.verify.verdict import Status

    rows: list[list[str | int | float]] = [
        [status.value, statuses[status.value], 100 * statuses[status.value] / max(total, 1)]
        for status in Status
    ]
    rows.append(["total", total, 100.0 if total else 0.0])
    return format_table(["status", "count", "%"], rows, digits=1)
