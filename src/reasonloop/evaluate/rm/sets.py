"""rm-eval sets: per problem, correct and incorrect responses to rank, from a file or a run.

A labelled file (.jsonl or .parquet) has one row per response: `problem_id`, `response`,
`correct` (true/false or 1/0) and, for rewards that read the problem, `question`. Every row of
a problem is kept, in file order (`max_incorrect` caps the incorrect ones when asked).

A run directory gives its own graded samples, RewardMATH's way: per problem the first correct
sample and up to `max_incorrect` (9) incorrect ones, by sampling order. They come from one
policy, so their style matches and only correctness tells them apart. A sample whose grading
did not finish (a timeout, a gold the verifier could not read) is neither and is left out.

Problems without both a correct and an incorrect response cannot be ranked: they are counted
in `skipped` by reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Conversation
from reasonloop.errors import DataError
from reasonloop.sample.record import GradedSample
from reasonloop.verify.verdict import Status

RUN_MAX_INCORRECT = 9  # RewardMATH's sets: one correct response and nine incorrect ones
NO_CORRECT = "no correct response"
NO_INCORRECT = "no incorrect response"
# Verdicts that say a sample is wrong; a timeout or an unreadable gold says nothing.
WRONG = (Status.INCORRECT, Status.NO_ANSWER)


@dataclass(frozen=True)
class RMProblem:
    """One problem's responses to rank, in order, with their labels.

    `question` is the problem text (None when the file has no such column); `prompt` the
    conversation the responses answered, when known (a run's samples), so a reward that
    reads the prompt sees what the policy saw. `rows` say where each response came from:
    its line in the file (1-based) or its sample index in the run.
    """

    problem_id: str
    responses: tuple[str, ...]
    correct: tuple[bool, ...]
    rows: tuple[int, ...]
    question: str | None = None
    prompt: Conversation | None = None


@dataclass(frozen=True)
class RMSet:
    """The problems to rank and the ones skipped, counted by reason."""

    problems: tuple[RMProblem, ...]
    source: str
    skipped: Mapping[str, int] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        return sum(len(p.responses) for p in self.problems)


def load_rm_set(source: str | Path, max_incorrect: int | None = None) -> RMSet:
    """A run directory's set (`max_incorrect` defaults to 9) or a labelled file's (all rows)."""
    path = Path(source)
    if path.is_dir():
        from reasonloop.sample.store import RunStore

        with RunStore.open_existing(path) as store:
            questions = {p.id: p.question for p in store.problems()}
            samples = store.samples_by_problem()
        cap = RUN_MAX_INCORRECT if max_incorrect is None else max_incorrect
        return rm_set_from_samples(samples, questions, str(path), cap)
    from reasonloop.dataset.io import read_dataset

    if not path.exists():
        raise DataError(
            f"{path} does not exist; pass a labelled .jsonl/.parquet file or a run directory"
        )
    return rm_set_from_rows(read_dataset(path), str(path), max_incorrect)


def rm_set_from_samples(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    questions: Mapping[str, str],
    source: str,
    max_incorrect: int = RUN_MAX_INCORRECT,
) -> RMSet:
    """Per problem the first correct sample and the first `max_incorrect` wrong ones."""
    _check_cap(max_incorrect)
    problems: list[RMProblem] = []
    skipped: dict[str, int] = {}
    for problem_id, samples in samples_by_problem.items():
        ordered = sorted(samples, key=lambda s: (s.round, s.sample_index))
        right = [s for s in ordered if s.correct][:1]
        wrong = [s for s in ordered if not s.correct and s.status in WRONG][:max_incorrect]
        if not right or not wrong:
            reason = NO_CORRECT if not right else NO_INCORRECT
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        chosen = right + wrong
        problems.append(
            RMProblem(
                problem_id=problem_id,
                responses=tuple(s.response for s in chosen),
                correct=tuple(s.correct for s in chosen),
                rows=tuple(s.sample_index for s in chosen),
                question=questions.get(problem_id),
                prompt=[dict(m) for m in right[0].prompt],
            )
        )
    return _finish(problems, source, skipped)


def rm_set_from_rows(
    rows: Sequence[Mapping[str, Any]], source: str, max_incorrect: int | None = None
) -> RMSet:
    """The set of labelled rows (`problem_id`, `response`, `correct`, optional `question`)."""
    if max_incorrect is not None:
        _check_cap(max_incorrect)
    grouped: dict[str, list[tuple[int, str, bool]]] = {}
    questions: dict[str, str] = {}
    for number, row in enumerate(rows, start=1):
        problem_id, response, correct = _read_row(row, number, source)
        grouped.setdefault(problem_id, []).append((number, response, correct))
        if isinstance(row.get("question"), str):
            questions.setdefault(problem_id, row["question"])
    _check_both_labels(rows, source)
    problems: list[RMProblem] = []
    skipped: dict[str, int] = {}
    for problem_id, entries in grouped.items():
        kept = _cap_incorrect(entries, max_incorrect)
        labels = [correct for _, _, correct in kept]
        if all(labels) or not any(labels):
            reason = NO_INCORRECT if all(labels) else NO_CORRECT
            skipped[reason] = skipped.get(reason, 0) + 1
            continue
        problems.append(
            RMProblem(
                problem_id=problem_id,
                responses=tuple(response for _, response, _ in kept),
                correct=tuple(labels),
                rows=tuple(number for number, _, _ in kept),
                question=questions.get(problem_id),
            )
        )
    return _finish(problems, source, skipped)


def _read_row(row: Mapping[str, Any], number: int, source: str) -> tuple[str, str, bool]:
    missing = [name for name in ("problem_id", "response", "correct") if name not in row]
    if missing:
        raise DataError(
            f"{source}: row {number} has no {', '.join(missing)}; each row needs problem_id, "
            "response and correct (true or false), and question for rewards that read it"
        )
    if not isinstance(row["response"], str):
        raise DataError(f"{source}: row {number}: response must be text")
    return str(row["problem_id"]), row["response"], _read_label(row["correct"], number, source)


def _read_label(value: Any, number: int, source: str) -> bool:
    # A label is a decision, so only the spellings of one are read: true/false or 1/0.
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DataError(f"{source}: row {number}: correct must be true or false, got {value!r}")


def _check_both_labels(rows: Sequence[Mapping[str, Any]], source: str) -> None:
    if not rows:
        raise DataError(f"{source} holds no rows; rm-eval needs labelled responses to rank")
    labels = {_read_label(row["correct"], n, source) for n, row in enumerate(rows, start=1)}
    if labels != {True, False}:
        present, absent = ("correct", "incorrect") if True in labels else ("incorrect", "correct")
        raise DataError(
            f"{source}: every row is labelled {present} and none {absent}; rm-eval ranks "
            "correct against incorrect responses of one problem, so the file needs both labels"
        )


def _cap_incorrect(
    entries: Iterable[tuple[int, str, bool]], cap: int | None
) -> list[tuple[int, str, bool]]:
    kept: list[tuple[int, str, bool]] = []
    wrong = 0
    for entry in entries:
        if not entry[2]:
            wrong += 1
            if cap is not None and wrong > cap:
                continue
        kept.append(entry)
    return kept


def _check_cap(max_incorrect: int) -> None:
    if max_incorrect < 1:
        raise DataError(f"max_incorrect must be at least 1, got {max_incorrect}")


def _finish(problems: list[RMProblem], source: str, skipped: dict[str, int]) -> RMSet:
    if not problems:
        counts = ", ".join(f"{n} with {why}" for why, n in skipped.items()) or "none"
        raise DataError(
            f"{source} has no problem with both a correct and an incorrect response "
            f"(problems: {counts}); rm-eval needs both to rank"
        )
    return RMSet(problems=tuple(problems), source=source, skipped=dict(skipped))
