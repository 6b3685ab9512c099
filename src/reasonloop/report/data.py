"""What the report shows: the loop's results per iteration, as plain JSON-ready dataclasses.

The loop fills these in and saves them as `report_data.json` in its run directory; the report
renders from that file alone, so `reasonloop report RUN_DIR` can re-render any finished run.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError, RunDirError
from reasonloop.files import read_json, write_json
from reasonloop.profile.difficulty import LEVELS
from reasonloop.profile.generator_levels import GeneratorLevel
from reasonloop.report.bstar import BStarIteration

REPORT_DATA_FILE = "report_data.json"

# The difficulty levels in the order the plots stack them: hardest at the bottom.
DIFFICULTY_LEVELS = LEVELS


@dataclass(frozen=True)
class IterationResult:
    """One loop iteration. Iteration 0 is the baseline: evaluated, never trained.

    `accuracy`, `ci_low`, `ci_high` and the `pass_at_k` values are fractions in [0, 1] on the
    `n_test` held-out problems. `difficulty_counts` counts the TRAIN problems per difficulty
    level (unsolved/hard/medium/easy) as the samples this iteration trains on found them: those
    of the model before it (iteration 1: the base model's); `status_counts` counts the
    verifier statuses of this iteration's greedy held-out answers. `train_losses` holds
    (step, loss) pairs of the training that produced this iteration's model (empty for the
    baseline). `judged`
    counts the held-out verdicts a model judge gave (where the rule could not decide).
    `error_types` counts this iteration's bad cases per error type when the loop synthesized
    problems from its errors (`synthesize`), else it is empty. `permissive_accuracy` grades
    the same greedy answers in permissive mode (any format; None in older report data).
    `rationales_dropped` counts the verified rationales not trained on: they restated the
    hinted answer without working, or talked about the hint. `pass_at_k_ci` holds each
    pass@k's 95% interval over the test problems (clustered: k samples per problem).
    `generator_levels` holds the greedy held-out accuracy per (task, generator level) where
    the test problems come from a generator that grades its difficulty (reasoning-gym tasks;
    `mean_rate` is the accuracy), else it is empty.
    """

    iteration: int
    accuracy: float
    ci_low: float
    ci_high: float
    n_test: int
    pass_at_k: dict[int, float]
    difficulty_counts: dict[str, int]
    status_counts: dict[str, int]
    train_losses: list[tuple[int, float]]
    n_train_rows: int
    seconds: float
    judged: int = 0
    error_types: dict[str, int] = field(default_factory=dict)
    permissive_accuracy: float | None = None
    rationales_dropped: int = 0
    pass_at_k_ci: dict[int, tuple[float, float]] = field(default_factory=dict)
    generator_levels: list[GeneratorLevel] = field(default_factory=list)


@dataclass(frozen=True)
class ErrorTypeRow:
    """One error type of one iteration with an example bad case (untrusted model answer)."""

    iteration: int
    type: str
    count: int
    keyphrases: list[str]
    question: str
    gold: str
    wrong_answer: str | None


@dataclass(frozen=True)
class ExampleRow:
    """One graded response shown in the report's table of examples (untrusted model text)."""

    iteration: int
    problem_id: str
    question: str
    gold: str
    response: str
    answer: str | None
    status: str
    correct: bool


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows. `summary` and `config` are shown as key/value tables.

    `summary` conventionally holds baseline_accuracy, final_accuracy, n_test and wall_seconds;
    the headline reads its accuracies from `iterations` and its wall time from
    `summary["wall_seconds"]` when present.
    """

    title: str
    model: str
    task: str
    iterations: list[IterationResult]
    examples: list[ExampleRow]
    summary: dict[str, Any]
    config: dict[str, Any]
    error_types: list[ErrorTypeRow] = field(default_factory=list)
    bstar: list[BStarIteration] = field(default_factory=list)  # with temperature auto

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict` inverts it (int keys and tuples come back)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ReportData:
        """Rebuild from `to_dict()` output (also after a JSON round-trip)."""
        _require_keys(raw, cls, "report data")
        return cls(
            title=str(raw["title"]),
            model=str(raw["model"]),
            task=str(raw["task"]),
            iterations=[_read_iteration(item) for item in raw["iterations"]],
            examples=[_read_example(item) for item in raw["examples"]],
            summary=dict(raw["summary"]),
            config=dict(raw["config"]),
            error_types=[_read_error_type(item) for item in raw.get("error_types", [])],
            bstar=[BStarIteration.from_dict(item) for item in raw.get("bstar", [])],
        )


def write_report_data(data: ReportData, path: str | Path) -> Path:
    """Save `data` as indented JSON at `path` (parents created, atomically); returns the path."""
    return write_json(path, data.to_dict())


def read_report_data(path: str | Path) -> ReportData:
    """Load what `write_report_data` saved; a missing or damaged file raises a user error."""
    source = Path(path)
    if not source.is_file():
        raise RunDirError(
            f"no report data at {source}; a loop run writes {REPORT_DATA_FILE} into its run "
            "directory (run `reasonloop run CONFIG` or `reasonloop demo` first)"
        )
    raw = read_json(source)
    if not isinstance(raw, dict):
        raise DataError(f"{source} must hold a JSON object, not {type(raw).__name__}")
    return ReportData.from_dict(raw)


def _read_iteration(raw: dict[str, Any]) -> IterationResult:
    _require_keys(raw, IterationResult, "iteration result")
    return IterationResult(
        iteration=int(raw["iteration"]),
        accuracy=float(raw["accuracy"]),
        ci_low=float(raw["ci_low"]),
        ci_high=float(raw["ci_high"]),
        n_test=int(raw["n_test"]),
        # JSON object keys are strings; k is an int.
        pass_at_k={int(k): float(v) for k, v in raw["pass_at_k"].items()},
        difficulty_counts={str(k): int(v) for k, v in raw["difficulty_counts"].items()},
        status_counts={str(k): int(v) for k, v in raw["status_counts"].items()},
        train_losses=[(int(step), float(loss)) for step, loss in raw["train_losses"]],
        n_train_rows=int(raw["n_train_rows"]),
        seconds=float(raw["seconds"]),
        judged=int(raw.get("judged", 0)),
        error_types={str(k): int(v) for k, v in raw.get("error_types", {}).items()},
        permissive_accuracy=_optional_float(raw.get("permissive_accuracy")),
        rationales_dropped=int(raw.get("rationales_dropped", 0)),
        pass_at_k_ci={
            int(k): (float(low), float(high))
            for k, (low, high) in raw.get("pass_at_k_ci", {}).items()
        },
        generator_levels=[GeneratorLevel.from_dict(row) for row in raw.get("generator_levels", [])],
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _read_error_type(raw: dict[str, Any]) -> ErrorTypeRow:
    _require_keys(raw, ErrorTypeRow, "error type row")
    answer = raw["wrong_answer"]
    return ErrorTypeRow(
        iteration=int(raw["iteration"]),
        type=str(raw["type"]),
        count=int(raw["count"]),
        keyphrases=[str(k) for k in raw["keyphrases"]],
        question=str(raw["question"]),
        gold=str(raw["gold"]),
        wrong_answer=None if answer is None else str(answer),
    )


def _read_example(raw: dict[str, Any]) -> ExampleRow:
    _require_keys(raw, ExampleRow, "example row")
    answer = raw["answer"]
    return ExampleRow(
        iteration=int(raw["iteration"]),
        problem_id=str(raw["problem_id"]),
        question=str(raw["question"]),
        gold=str(raw["gold"]),
        response=str(raw["response"]),
        answer=None if answer is None else str(answer),
        status=str(raw["status"]),
        correct=bool(raw["correct"]),
    )


def _require_keys(raw: Any, cls: type, what: str) -> None:
    if not isinstance(raw, dict):
        raise DataError(f"{what} must be a JSON object, not {type(raw).__name__}")
    required = [f for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING]
    missing = [f.name for f in required if f.name not in raw]
    if missing:
        raise DataError(f"{what} is missing {', '.join(missing)}; re-run the loop to rewrite it")
