"""The B-STaR sweep: sample a dev subset of the training problems at each temperature of a
grid, score every response, and choose the temperature and threshold of highest balance
(`curate.bstar.balance`). The loop then samples the training problems at that temperature
and keeps the responses scoring at least that threshold.

    bstar/t0.50/ ... bstar/t1.20/   the dev samples at each temperature (run stores: a
                                    killed sweep resumes where it stopped)
    bstar/balance.json              the T x tau grid, the chosen point, and each
                                    temperature's exploration and exploitation measures

Every temperature draws the same (problem, sample index) pairs with the same per-sample
seeds, so the temperatures differ by the temperature alone, not by which seeds they drew.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.curate.bstar.balance import (
    GridPoint,
    Queries,
    ScoredResponse,
    choose_point,
    combined_score,
    sweep_balance,
    verifier_score,
)
from reasonloop.curate.bstar.measures import TemperatureMeasures, measure_temperature
from reasonloop.errors import RunDirError
from reasonloop.files import read_json, write_json
from reasonloop.rewards.step_scores import StepScorer, score_rows
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem

BALANCE_FILE = "balance.json"

VERIFIER, COMBINED = "verifier", "prm_min/5+outcome"  # the two rewards the threshold cuts


@dataclass(frozen=True)
class SweepSettings:
    """`k` samples of each of `dev_size` training problems at every one of `temperatures`;
    `n_star` distinct correct responses per query earn full exploration credit."""

    temperatures: tuple[float, ...]
    dev_size: int
    k: int
    n_star: int


@dataclass(frozen=True)
class BalanceResult:
    """What one sweep found: the whole grid, its best point, and the measures at each
    temperature (`curate.bstar.measures`)."""

    grid: list[GridPoint]
    chosen: GridPoint
    n_star: int
    dev_problems: int
    samples_per_query: int
    score: str
    measures: list[TemperatureMeasures]

    def to_dict(self) -> dict[str, Any]:
        return {
            "grid": [asdict(p) for p in self.grid],
            "chosen": {"temperature": self.chosen.temperature, "tau": self.chosen.tau},
            "balance": self.chosen.balance,
            "n_star": self.n_star,
            "dev_problems": self.dev_problems,
            "samples_per_query": self.samples_per_query,
            "score": self.score,
            "measures": [asdict(m) for m in self.measures],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BalanceResult:
        grid = [GridPoint(**p) for p in data["grid"]]
        chosen = data["chosen"]
        return cls(
            grid=grid,
            chosen=GridPoint(chosen["temperature"], chosen["tau"], float(data["balance"])),
            n_star=int(data["n_star"]),
            dev_problems=int(data["dev_problems"]),
            samples_per_query=int(data["samples_per_query"]),
            score=str(data["score"]),
            measures=[TemperatureMeasures(**m) for m in data["measures"]],
        )


def choose_dev_problems(problems: Sequence[Problem], size: int, seed: int) -> list[Problem]:
    """`size` of the problems, drawn by `seed`, in their order (all when there are fewer).

    >>> ps = [Problem(str(i), f"What is {i} + 1?", str(i + 1)) for i in range(10)]
    >>> [p.id for p in choose_dev_problems(ps, 3, seed=0)] == [
    ...     p.id for p in choose_dev_problems(ps, 3, seed=0)]
    True
    >>> len(choose_dev_problems(ps, 50, seed=0))
    10
    """
    if size >= len(problems):
        return list(problems)
    chosen = sorted(random.Random(seed).sample(range(len(problems)), size))
    return [problems[i] for i in chosen]


def sweep_temperatures(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    params: SamplingParams,
    out_dir: Path,
    draw: DrawSettings,
    settings: SweepSettings,
    prm: StepScorer | None = None,
) -> BalanceResult:
    """Sample `problems` (the dev subset) at each temperature into `out_dir`, sweep the
    threshold, and write and return the result (`balance.json`). `params` gives everything
    but the temperature: the token budget, top-p, the seed. The reward is the verifier's 0/1,
    or with a process reward model `prm` the paper's PRM_min / 5 + outcome."""
    by_temperature: dict[float, Queries] = {}
    for temperature in settings.temperatures:
        drawn = draw_at(
            problems,
            sampler,
            spec,
            replace(params, temperature=temperature),
            out_dir / f"t{temperature:.2f}",
            draw,
            settings.k,
        )
        by_temperature[temperature] = score_samples(drawn, prm)
    grid = sweep_balance(by_temperature, settings.n_star)
    result = BalanceResult(
        grid=grid,
        chosen=choose_point(grid),
        n_star=settings.n_star,
        dev_problems=len(problems),
        samples_per_query=settings.k,
        score=VERIFIER if prm is None else COMBINED,
        measures=[measure_temperature(t, q) for t, q in sorted(by_temperature.items())],
    )
    write_json(out_dir / BALANCE_FILE, result.to_dict())
    return result


def draw_at(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    params: SamplingParams,
    run_dir: Path,
    draw: DrawSettings,
    k: int,
) -> dict[str, list[GradedSample]]:
    """`k` graded samples per problem under `params` (resuming what `run_dir` holds)."""
    fingerprint = RunFingerprint.for_sampler("sample", sampler, spec, draw.template, params)
    with RunStore.open(run_dir, fingerprint) as store:
        sample_problems(problems, sampler, params, store, k=k, settings=draw)
        return store.samples_by_problem()


def score_samples(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], prm: StepScorer | None = None
) -> dict[str, list[ScoredResponse]]:
    """Each sample as the balance score reads it: text, verdict, reward (the verifier's 0/1;
    with `prm`, the lowest step score / 5 + the outcome, as the paper combines them)."""
    lowest = {} if prm is None else lowest_step_scores(samples_by_problem, prm)
    return {
        pid: [
            ScoredResponse(
                s.response,
                s.correct,
                verifier_score(s.correct)
                if prm is None
                else combined_score(lowest.get((pid, s.sample_index), 0.0), s.correct),
            )
            for s in group
        ]
        for pid, group in samples_by_problem.items()
    }


def lowest_step_scores(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], prm: StepScorer
) -> dict[tuple[str, int], float]:
    """The PRM's lowest step score of each non-empty response, by (problem, sample index),
    in one batch. An empty response has no step to score and is left out (it scores 0)."""
    keys = [
        (pid, s) for pid, group in samples_by_problem.items() for s in group if s.response.strip()
    ]
    rows = [{"prompt": s.prompt, "response": s.response} for _, s in keys]
    scored = score_rows(prm, rows) if rows else []
    return {
        (pid, s.sample_index): float(row["min"]) for (pid, s), row in zip(keys, scored, strict=True)
    }


def keep_above(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    tau: float,
    prm: StepScorer | None = None,
) -> dict[str, list[GradedSample]]:
    """The samples whose reward is at least the chosen threshold `tau` (what B-STaR trains
    on). With the verifier's 0/1 score and tau = 1 these are the correct ones, which the
    SFT builder keeps anyway; the PRM's combined score makes the cut matter."""
    scored = score_samples(samples_by_problem, prm)
    return {
        pid: [s for s, r in zip(group, scored[pid], strict=True) if r.score >= tau]
        for pid, group in samples_by_problem.items()
    }


def read_balance(directory: Path) -> BalanceResult:
    """The sweep result in `directory` (an iteration's bstar/)."""
    path = directory / BALANCE_FILE
    if not path.is_file():
        raise RunDirError(f"{path} is missing; run the loop again to redo the B-STaR stage")
    return BalanceResult.from_dict(read_json(path))
