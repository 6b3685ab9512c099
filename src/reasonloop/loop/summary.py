"""The loop's summary: one typed record, written to `summary.json` and read back as itself.

`run_loop` returns it, the CLI prints from it, and the report shows it as a key/value table.
The JSON keeps the keys it always had (`stopped` only where a run stopped early), so readers
of older summaries keep working; `graders` (added later) names each task's grader: the
verifier (`verify`) or reasoning-gym's `score_answer` (`reasoning_gym`); `train_start` (added
later still) whether each iteration trained the model before it or the base model again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError, RunDirError
from reasonloop.files import read_json, write_json
from reasonloop.profile.significance import PairedComparison

SUMMARY = "summary.json"


@dataclass(frozen=True)
class LoopSummary:
    """What a finished (or early-stopped) loop run measured; accuracies are fractions.

    `significance` is the exact McNemar test of baseline vs final greedy answers;
    `significance_sampled` the paired bootstrap of sampled pass rates (None without them).
    `stopped` says why a run ended before its last iteration (None: it did not).
    """

    baseline_accuracy: float
    final_accuracy: float
    delta_points: float
    baseline_ci: tuple[float, float]
    final_ci: tuple[float, float]
    accuracy_per_iteration: tuple[float, ...]
    baseline_permissive_accuracy: float | None
    final_permissive_accuracy: float | None
    significance: PairedComparison
    significance_sampled: PairedComparison | None
    n_test: int
    n_train: int
    iterations: int
    wall_seconds: float
    model: str
    task: str
    final_model: str
    report: str
    stopped: str | None = None
    graders: Mapping[str, str] = field(default_factory=dict)  # task -> grader
    # each iteration trained the model before it (previous: online) or the base model again
    train_start: str = "previous"

    def headline(self) -> str:
        """The CLI's closing line: baseline -> final accuracy, the change, the time."""
        return (
            f"held-out accuracy {self.baseline_accuracy:.1%} -> {self.final_accuracy:.1%} "
            f"({self.delta_points:+.1f} points, n={self.n_test}) in {self.wall_seconds:.0f} s; "
            f"report: {self.report}"
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of summary.json, keys in their old order (`stopped` only when set)."""
        sampled = self.significance_sampled
        return {
            "baseline_accuracy": self.baseline_accuracy,
            "final_accuracy": self.final_accuracy,
            "delta_points": self.delta_points,
            "baseline_ci": list(self.baseline_ci),
            "final_ci": list(self.final_ci),
            "accuracy_per_iteration": list(self.accuracy_per_iteration),
            "baseline_permissive_accuracy": self.baseline_permissive_accuracy,
            "final_permissive_accuracy": self.final_permissive_accuracy,
            "significance": self.significance.to_dict(),
            "significance_sampled": None if sampled is None else sampled.to_dict(),
            "n_test": self.n_test,
            "n_train": self.n_train,
            "iterations": self.iterations,
            **({} if self.stopped is None else {"stopped": self.stopped}),
            "wall_seconds": self.wall_seconds,
            "model": self.model,
            "task": self.task,
            "graders": dict(self.graders),
            "train_start": self.train_start,
            "final_model": self.final_model,
            "report": self.report,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> LoopSummary:
        """Read back `to_dict()` (summaries written before `graders` read with none)."""
        try:
            sampled = raw.get("significance_sampled")
            return cls(
                baseline_accuracy=float(raw["baseline_accuracy"]),
                final_accuracy=float(raw["final_accuracy"]),
                delta_points=float(raw["delta_points"]),
                baseline_ci=_interval(raw["baseline_ci"]),
                final_ci=_interval(raw["final_ci"]),
                accuracy_per_iteration=tuple(float(a) for a in raw["accuracy_per_iteration"]),
                baseline_permissive_accuracy=_optional_float(raw["baseline_permissive_accuracy"]),
                final_permissive_accuracy=_optional_float(raw["final_permissive_accuracy"]),
                significance=PairedComparison.from_dict(raw["significance"]),
                significance_sampled=None
                if sampled is None
                else PairedComparison.from_dict(sampled),
                n_test=int(raw["n_test"]),
                n_train=int(raw["n_train"]),
                iterations=int(raw["iterations"]),
                wall_seconds=float(raw["wall_seconds"]),
                model=str(raw["model"]),
                task=str(raw["task"]),
                final_model=str(raw["final_model"]),
                report=str(raw["report"]),
                stopped=None if raw.get("stopped") is None else str(raw["stopped"]),
                graders={str(k): str(v) for k, v in (raw.get("graders") or {}).items()},
                train_start=str(raw.get("train_start", "previous")),
            )
        except KeyError as missing:
            message = f"the loop summary has no {missing}; re-run the loop to rewrite it"
            raise DataError(message) from None
        except (AttributeError, TypeError, ValueError) as error:
            raise DataError(f"the loop summary is damaged ({error}); re-run the loop") from error


def write_summary(summary: LoopSummary, run_dir: Path) -> Path:
    """Save `summary` as `run_dir/summary.json` (atomically)."""
    return write_json(run_dir / SUMMARY, summary.to_dict())


def read_summary(run_dir: str | Path) -> LoopSummary:
    """The summary a loop run wrote in `run_dir`; a missing one says how to make it."""
    path = Path(run_dir) / SUMMARY
    if not path.is_file():
        raise RunDirError(
            f"no {SUMMARY} in {run_dir}; a loop run writes it when it ends "
            "(run `reasonloop run CONFIG --out DIR` or `reasonloop demo` first)"
        )
    return LoopSummary.from_dict(read_json(path))


def _interval(value: Any) -> tuple[float, float]:
    low, high = value
    return float(low), float(high)


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)
