"""B-STaR in the loop: with `sampling.temperature: auto`, each iteration first measures the
balance score of its model on a dev subset of the training problems at every temperature of
`bstar.temperatures`, then samples at the best one and keeps responses scoring at least the
best threshold (`reasonloop.curate.bstar`).

    iter-N/bstar/t0.50/ ...      the dev samples at each temperature
    iter-N/bstar/balance.json    the T x tau grid, the choice, the measures per temperature

The stage is a ledger stage like the others: its identity names the model's weights, the
training problems and the config sections it reads, so a resumed run reuses its choice and a
changed model or grid redoes it. The choice enters the iteration's config (the sample stage's
identity and its samples' fingerprint record the chosen temperature), so nothing downstream
is reused from another temperature.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from reasonloop.curate.bstar import (
    BalanceResult,
    SweepSettings,
    choose_dev_problems,
    read_balance,
    sweep_temperatures,
)
from reasonloop.loop.context import LoopRun
from reasonloop.loop.identity import hash_model
from reasonloop.loop.records import BStarRecord
from reasonloop.loop.stages import sample_settings, sampling_params
from reasonloop.report.bstar import BStarIteration
from reasonloop.rewards.step_scores import StepScorer
from reasonloop.tasks import Problem


def balance_stage(run: LoopRun, number: int, model: str, problems: list[Problem]) -> BStarRecord:
    """Iteration `number`'s B-STaR stage (or its ledger record, when it is done already)."""
    stage = f"iter-{number}/bstar"
    out_dir = run.run_dir / f"iter-{number}" / "bstar"
    identity = partial(balance_identity, run, model)
    work = partial(sweep_iteration, run, stage, model, problems)
    return run.timed(stage, BStarRecord, work, identity, [out_dir], run.samples_from(model))


def sweep_iteration(run: LoopRun, stage: str, model: str, problems: list[Problem]) -> BStarRecord:
    """Sample the dev problems at every temperature of the grid and choose."""
    config = run.config
    b = config.bstar
    dev = choose_dev_problems(problems, b.dev_size, config.seed)
    spec = run.samplers.spec(model)
    result = sweep_temperatures(
        dev,
        run.sampler(model),
        spec,
        sampling_params(config, temperature=b.temperatures[0]),  # each temperature replaces it
        run.run_dir / stage,
        sample_settings(config, run.template, spec, progress=run.progress, judge=run.judge),
        SweepSettings(tuple(b.temperatures), b.dev_size, b.k, b.n_star),
        load_prm(b.prm),
    )
    chosen = result.chosen
    run.say(
        f"[{stage}] {len(dev)} dev problems x {b.k} samples at {len(b.temperatures)} "
        f"temperatures: T* = {chosen.temperature:g}, tau* = {chosen.tau:g} "
        f"(balance {chosen.balance:.3f}, n* = {b.n_star})"
    )
    return BStarRecord(
        temperature=chosen.temperature,
        tau=chosen.tau,
        balance=chosen.balance,
        dev_problems=len(dev),
    )


def balance_identity(run: LoopRun, model: str) -> str:
    """What the stage reads: the sampling and B-STaR sections, the model's weights, the
    training problems (the dev subset is drawn from them by the seed), the PRM's weights."""
    prm = run.config.bstar.prm
    return run.identity(
        "sampling",
        "bstar",
        "backend",
        "template",
        "judge",
        "seed",
        model=hash_model(model),
        train=run.problems_hash("train.jsonl"),
        **({} if prm is None else {"prm": hash_model(prm)}),
    )


def load_prm(path: str | None) -> StepScorer | None:
    """The process reward model of `bstar.prm` (None: the verifier's 0/1 is the reward)."""
    if path is None:
        return None
    from reasonloop.rewards.prm import PRMScorer  # torch and transformers: only when asked

    return PRMScorer(path)


def sample_at(run: LoopRun, temperature: float) -> LoopRun:
    """`run` with its sampling at the chosen `temperature`: what the iteration's sample
    stage (its identity, its samples' fingerprint) and rationalization then use."""
    config = run.config
    sampling = replace(config.sampling, temperature=temperature)
    return replace(run, config=replace(config, sampling=sampling))


def read_bstar_rows(run_dir: Path, iterations: int) -> list[BStarIteration]:
    """The report's B-STaR rows of the first `iterations` iterations (those that ran it)."""
    dirs = [(i, run_dir / f"iter-{i}" / "bstar") for i in range(1, iterations + 1)]
    return [report_row(i, read_balance(d)) for i, d in dirs if d.is_dir()]


def report_row(iteration: int, result: BalanceResult) -> BStarIteration:
    """One sweep as the report shows it: the choice, the surface's row at the chosen
    threshold, and each temperature's measures, in temperature order."""
    chosen = result.chosen
    row = sorted((p.temperature, p.balance) for p in result.grid if p.tau == chosen.tau)
    measures = sorted(result.measures, key=lambda m: m.temperature)
    return BStarIteration(
        iteration=iteration,
        temperature=chosen.temperature,
        tau=chosen.tau,
        balance=chosen.balance,
        n_star=result.n_star,
        dev_problems=result.dev_problems,
        samples_per_query=result.samples_per_query,
        temperatures=[t for t, _ in row],
        balance_at_tau=[b for _, b in row],
        pass_at_k=[m.pass_at_k for m in measures],
        distinct_correct=[m.distinct_correct for m in measures],
        best_of_k=[m.best_of_k for m in measures],
    )
