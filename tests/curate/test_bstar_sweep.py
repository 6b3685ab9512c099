"""The B-STaR sweep end to end on the fake backend: the dev problems are sampled at each
temperature into their own run store, balance.json holds the interface's keys, the choice is
the argmax of the balance computed again here from the stored samples, and a second call
resumes (draws nothing)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from reasonloop.backends.base import Completion, Conversation, SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.curate.bstar import (
    SweepSettings,
    balance_score,
    choose_dev_problems,
    keep_above,
    read_balance,
    sweep_temperatures,
)
from reasonloop.curate.bstar.sweep import score_samples
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore, read_fingerprint
from reasonloop.tasks import generate_task

# The fake model's accuracy at each temperature: a model that is best a little above 0.5.
ACCURACY = {0.5: 0.3, 0.8: 0.9, 1.1: 0.5}


class TemperatureSampler:
    """The fake arithmetic model whose accuracy depends on the temperature it is asked at
    (the fake itself ignores temperature), counting the conversations it answers."""

    model_id = "fake:arithmetic-by-temperature"

    def __init__(self) -> None:
        self.answered = 0

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        self.answered += len(conversations)
        fake = FakeSampler("arithmetic", accuracy=ACCURACY[round(params.temperature, 2)])
        return fake.generate(conversations, params)


def test_sweep_chooses_the_argmax_and_resumes(tmp_path: Path) -> None:
    problems = generate_task("arithmetic", n=16, seed=3, digits=2)
    dev = choose_dev_problems(problems, 12, seed=0)
    sampler = TemperatureSampler()
    # The fake's right answers are one text per problem (one distinct correct response), so
    # with n* = 1 the balance at tau = 1 is the share of problems some sample solves.
    settings = SweepSettings(tuple(ACCURACY), dev_size=12, k=2, n_star=1)
    spec = SamplerSpec("fake", "arithmetic", {})
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=8)
    params = SamplingParams(max_new_tokens=32, seed=0)
    result = sweep_temperatures(dev, sampler, spec, params, tmp_path, draw, settings)
    assert sampler.answered == 3 * 12 * 2

    on_disk = json.loads((tmp_path / "balance.json").read_text())
    assert {"grid", "chosen", "n_star", "dev_problems"} <= set(on_disk)
    assert set(on_disk["chosen"]) == {"temperature", "tau"}
    assert (on_disk["n_star"], on_disk["dev_problems"]) == (1, 12)
    assert {(p["temperature"], p["tau"]) for p in on_disk["grid"]} == {
        (t, tau) for t in ACCURACY for tau in (0.0, 1.0)
    }
    assert read_balance(tmp_path) == result

    # The balance again, straight from each temperature's stored samples.
    best = {}
    for temperature in ACCURACY:
        run_dir = tmp_path / f"t{temperature:.2f}"
        fingerprint = read_fingerprint(run_dir)
        assert fingerprint is not None and fingerprint.temperature == temperature
        with RunStore.open_existing(run_dir) as store:
            queries = score_samples(store.samples_by_problem())
        best[temperature] = max(balance_score(queries, tau, 1) for tau in (0.0, 1.0))
        assert result.measures[list(ACCURACY).index(temperature)].samples == 24
    assert result.chosen.temperature == max(best, key=lambda t: best[t]) == 0.8
    assert result.chosen.tau == 1.0  # with a 0/1 score, keeping wrong answers never helps
    assert result.chosen.balance == best[0.8]

    again = sweep_temperatures(dev, sampler, spec, params, tmp_path, draw, settings)
    assert again == result and sampler.answered == 3 * 12 * 2  # resumed: nothing drawn


def test_keep_above_cuts_at_the_threshold(tmp_path: Path) -> None:
    problems = generate_task("arithmetic", n=4, seed=1, digits=2)
    spec = SamplerSpec("fake", "arithmetic", {})
    sampler = FakeSampler("arithmetic", accuracy=0.5)
    settings = SweepSettings((0.7,), dev_size=4, k=4, n_star=2)
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=8)
    params = SamplingParams(max_new_tokens=32, seed=0)
    sweep_temperatures(problems, sampler, spec, params, tmp_path, draw, settings)
    with RunStore.open_existing(tmp_path / "t0.70") as store:
        samples = store.samples_by_problem()
    kept = keep_above(samples, 1.0)
    assert all(s.correct for group in kept.values() for s in group)
    assert sum(map(len, kept.values())) == sum(s.correct for g in samples.values() for s in g)
    assert keep_above(samples, 0.0) == samples


def test_a_step_scorer_gives_the_papers_combined_score(tmp_path: Path) -> None:
    # LengthScorer (prm-eval's length baseline) stands in for a trained PRM: a real
    # StepScorer whose step scores are known, c / (c + 64) for a step of c characters.
    from reasonloop.evaluate.prm_eval import LengthScorer
    from reasonloop.steps.split import split_steps

    problems = generate_task("arithmetic", n=4, seed=1, digits=2)
    spec = SamplerSpec("fake", "arithmetic", {})
    sampler = FakeSampler("arithmetic", accuracy=0.5)
    settings = SweepSettings((0.7,), dev_size=4, k=4, n_star=2)
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=8)
    params = SamplingParams(max_new_tokens=32, seed=0)
    result = sweep_temperatures(
        problems, sampler, spec, params, tmp_path, draw, settings, prm=LengthScorer()
    )
    assert result.score == "prm_min/5+outcome"
    with RunStore.open_existing(tmp_path / "t0.70") as store:
        samples = store.samples_by_problem()
    scored = score_samples(samples, LengthScorer())
    for pid, group in samples.items():
        for sample, response in zip(group, scored[pid], strict=True):
            split = split_steps(sample.response)
            lowest = min(
                len(split.text(i)) / (len(split.text(i)) + 64) for i in range(len(split.steps))
            )
            assert response.score == pytest.approx(lowest / 5 + float(sample.correct))
    taus = sorted({p.tau for p in result.grid})
    assert taus == sorted({r.score for rs in scored.values() for r in rs})
    middle = taus[len(taus) // 2]
    kept = keep_above(samples, middle, LengthScorer())
    assert all(
        r.score >= middle
        for pid in kept
        for r in score_samples({pid: kept[pid]}, LengthScorer())[pid]
    )
