"""The held-out evaluation of one model: greedy accuracy, plus sampled pass@k when asked.

Written as `eval.json` next to the two sample stores (greedy/ and sampled/); the loop calls
`evaluate_heldout` once per iteration and the report reads `read_heldout` back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.errors import DataError
from reasonloop.evaluate.measure import EvalReport, evaluate
from reasonloop.files import read_json, write_json
from reasonloop.profile.generator_levels import (
    GeneratorLevel,
    generator_level_of,
    group_by_generator_level,
)
from reasonloop.profile.significance import PairedComparison, mcnemar_exact, paired_bootstrap
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.tasks.problem import Problem

if TYPE_CHECKING:
    pass

EVAL_JSON = "eval.json"


@dataclass(frozen=True)
class HeldoutEval:
    """Greedy accuracy on the held-out set, and the sampled evaluation (pass@k) if asked."""

    greedy: EvalReport
    sampled: EvalReport | None

    @property
    def pass_at_k(self) -> dict[int, float]:
        """pass@k of the sampled evaluation, else the greedy one's (pass@1)."""
        return dict((self.sampled or self.greedy).pass_at_k)

    def to_dict(self) -> dict[str, Any]:
        return {
            "greedy": self.greedy.to_dict(),
            "sampled": None if self.sampled is None else self.sampled.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HeldoutEval:
        sampled = data.get("sampled")
        return cls(
            greedy=EvalReport.from_dict(data["greedy"]),
            sampled=None if sampled is None else EvalReport.from_dict(sampled),
        )


def evaluate_heldout(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    eval_dir: Path,
    settings: DrawSettings,
    *,
    max_new_tokens: int,
    seed: int,
    k: int = 0,
    temperature: float = 0.8,
) -> HeldoutEval:
    """Greedy accuracy; with `k > 1`, also `k` samples per problem at `temperature`, both
    drawn with `settings`."""
    greedy = evaluate(
        problems,
        sampler,
        settings,
        k=1,
        store_dir=eval_dir / "greedy",
        params=SamplingParams(max_new_tokens, 0.0, seed=seed),
        spec=spec,
    )
    sampled = None
    if k > 1:
        params = SamplingParams(max_new_tokens, temperature, seed=seed)
        store_dir = eval_dir / "sampled"
        sampled = evaluate(
            problems, sampler, settings, k=k, params=params, store_dir=store_dir, spec=spec
        )
    result = HeldoutEval(greedy, sampled)
    write_json(eval_dir / EVAL_JSON, result.to_dict())
    return result


def read_heldout(eval_dir: Path) -> HeldoutEval:
    """The `HeldoutEval` saved in `eval_dir`; a missing or damaged one is a `DataError`."""
    path = eval_dir / EVAL_JSON
    if not path.is_file():
        raise DataError(f"{path} does not exist; the evaluation did not finish")
    try:
        return HeldoutEval.from_dict(read_json(path))
    except ValueError as error:
        raise DataError(f"{path} is not an evaluation record ({error})") from error


def compare_heldout(before_dir: Path, after_dir: Path) -> PairedComparison:
    """Is the greedy accuracy change between two held-out evaluations more than noise?

    Exact McNemar on the per-problem greedy outcomes of the problems both evaluated.
    """
    before, after = (greedy_outcomes(d) for d in (before_dir, after_dir))
    return mcnemar_exact(before, after)


def compare_sampled(before_dir: Path, after_dir: Path) -> PairedComparison | None:
    """The paired bootstrap of per-problem sampled pass rates; None without sampled stores."""
    stores = [d / "sampled" for d in (before_dir, after_dir)]
    if not all(store.is_dir() for store in stores):
        return None
    before, after = (_pass_rates(store) for store in stores)
    return paired_bootstrap(before, after)


def accuracy_by_generator_level(
    eval_dir: Path, problems: Sequence[Problem]
) -> tuple[GeneratorLevel, ...]:
    """Greedy held-out accuracy per (task, generator level) of the evaluated `problems` that
    have one (reasoning-gym tasks); empty for problems without generator levels."""
    if not any(generator_level_of(p) is not None for p in problems):
        return ()  # nothing to group: the store is not opened
    outcomes = greedy_outcomes(eval_dir)
    return group_by_generator_level({pid: float(ok) for pid, ok in outcomes.items()}, problems)


def greedy_outcomes(eval_dir: Path) -> dict[str, bool]:
    """{problem id: whether its greedy answer was correct} of a held-out evaluation."""
    return {pid: rate == 1.0 for pid, rate in _pass_rates(eval_dir / "greedy").items()}


def _pass_rates(store_dir: Path) -> dict[str, float]:
    with RunStore.open_existing(store_dir) as store:
        by_problem = store.samples_by_problem(round=0)
    return {pid: sum(s.correct for s in group) / len(group) for pid, group in by_problem.items()}
