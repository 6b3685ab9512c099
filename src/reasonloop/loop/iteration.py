"""One training iteration of the loop: (B-STaR) -> sample -> (synthesize) -> build -> (select)
-> train.

Each stage is one function of the `Iteration` returning its record (`loop.records`);
`train_iteration` runs them in order through `LoopRun.timed`, which skips a stage the ledger
holds from the same inputs. A stage's identity names everything it reads (config sections,
the model's weights, the identity of the stage before it), so a changed input reruns that
stage and every stage after it.

    iter-N/bstar/                    (balance.json, with `sampling.temperature: auto`)
           samples/ (+ rationales/)  -> profile.json
           synth/                    (SEI rows, when `synthesize.budget` > 0)
           train_rows.jsonl          -> select/selected_rows.jsonl (when `select.method` is set)
           model/
    step-dpo adds samples/values/ (the values stage) and sft_rows.jsonl (`loop.step_dpo`).
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import cast

from reasonloop.curate.bstar import keep_above
from reasonloop.curate.rationalize import (
    count_dropped_rationales,
    rationalize,
    read_rationales,
    unsolved_problems,
)
from reasonloop.dataset.rows import EMPTY_BECAUSE, DatasetKind
from reasonloop.files import hash_file
from reasonloop.loop import step_dpo
from reasonloop.loop.balance_stage import balance_stage, load_prm, sample_at
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.context import Iteration, LoopRun, model_key
from reasonloop.loop.identity import hash_model
from reasonloop.loop.records import (
    BuildRecord,
    SampleRecord,
    SelectRecord,
    SynthesizeRecord,
    TrainRecord,
    ValuesRecord,
)
from reasonloop.loop.safety import safety_rows
from reasonloop.loop.stages import (
    build_stage,
    profile_stage,
    read_problems,
    sample_settings,
    sample_stage,
    sampling_params,
    select_rows,
    train_stage,
)
from reasonloop.sample.record import GradedSample
from reasonloop.steps.rollouts import VALUES_DIR
from reasonloop.tasks import Problem


def train_iteration(
    run: LoopRun, number: int, model: str, problems: list[Problem], base: str | None = None
) -> str | None:
    """Sample with `model`, build a dataset, train `model` on it (or `base`, with
    `train.start: base`); returns the new model's directory, or None when the samples gave
    nothing to train on (`nothing_to_train_on` says why)."""
    tau = None
    if run.config.sampling.temperature == "auto":  # B-STaR chooses temperature and threshold
        balance = balance_stage(run, number, model, problems)
        run, tau = sample_at(run, balance.temperature), balance.tau
    restart = run.config.train.start == "base" and base is not None and base != model
    it = Iteration(run, number, model, problems, tau, base if restart else None)
    config = run.config
    run.restorers[model_key(it.dir / "model")] = partial(train_again, it)
    sampled = partial(sampled_identity, it)
    sample_dirs = [it.dir / "samples", it.dir / "rationales"]
    needs_samples = run.samples_from(model)
    run.timed(
        it.stage("sample"), SampleRecord, partial(sample, it), sampled, sample_dirs, needs_samples
    )
    synthesized = run.identity("synthesize", "seed", samples=sampled())
    if config.synthesize.budget > 0 and it.method == "sft":
        work = partial(synthesize, it)
        run.timed(
            it.stage("synthesize"), SynthesizeRecord, work, synthesized, [it.dir / "synth"], [model]
        )
    threshold: dict[str, object] = {} if it.tau is None else {"tau": it.tau}
    if it.method == "step-dpo":  # the pairs are built from step values
        valued = run.identity("values", "sampling", "seed", samples=sampled())
        values_dir = [it.dir / "samples" / VALUES_DIR]
        value = partial(step_dpo.value_stage, it)
        run.timed(it.stage("values"), ValuesRecord, value, valued, values_dir, [model])
        threshold["values"] = valued
    if config.safety.rows:  # only then, so runs made before the section resume as they were
        threshold["safety"] = run.identity("safety")
    built = run.identity(
        "build", "seed", method=it.method, samples=sampled(), synthesized=synthesized, **threshold
    )
    if run.timed(it.stage("build"), BuildRecord, partial(build, it), built).rows == 0:
        return None
    if it.selecting:
        chosen = run.identity("select", "seed", model=hash_model(model), built=built)
        run.timed(
            it.stage("select"),
            SelectRecord,
            partial(select, it),
            chosen,
            [it.dir / "select"],
            [model],
        )
    trained = partial(trained_identity, it)
    record = run.timed(
        it.stage("train"), TrainRecord, partial(train, it), trained, [it.dir / "model"], [it.start]
    )
    return record.model_dir


def sample(it: Iteration) -> SampleRecord:
    """k graded samples per training problem (and the resampling budget), their profile,
    and for SFT with `sampling.rationalize` the hinted solutions of the unsolved ones."""
    run, config = it.run, it.run.config
    sampler, spec = run.sampler(it.model), run.samplers.spec(it.model)
    samples = sample_stage(
        it.problems,
        sampler,
        spec,
        run.template,
        config,
        it.dir / "samples",
        progress=run.progress,
        judge=run.judge,
    )
    profile = profile_stage(samples, config, it.dir / "profile.json", it.problems)
    n = sum(len(s) for s in samples.values())
    correct = sum(x.correct for s in samples.values() for x in s)
    it.say("sample", f"{n} samples, {correct} correct; levels {profile.difficulty.counts}")
    record = SampleRecord(samples=n, correct=correct)
    if run.judge is not None:
        judged = sum(x.decided_by == "judge" for s in samples.values() for x in s)
        record = replace(record, judged=judged)
        it.say("sample", f"{judged} graded by the judge")
    if config.sampling.rationalize > 0 and it.method == "sft":
        record = rationalize_unsolved(it, samples, record)
    return record


def rationalize_unsolved(
    it: Iteration, samples: dict[str, list[GradedSample]], record: SampleRecord
) -> SampleRecord:
    """STaR's rationalization: hinted samples for the problems no sample solved; `record`
    with their counts."""
    run, config = it.run, it.run.config
    unsolved = unsolved_problems(it.problems, samples)
    spec = run.samplers.spec(it.model)
    found = rationalize(
        unsolved,
        run.sampler(it.model),
        spec,
        sampling_params(config),
        it.dir / "rationales",
        sample_settings(config, run.template, spec, progress=run.progress),
        k=config.sampling.rationalize,
    )
    dropped = count_dropped_rationales(unsolved, it.dir / "rationales")
    record = replace(
        record,
        rationales=sum(len(group) for group in found.values()),
        rationalized_problems=sum(1 for group in found.values() if group),
        rationales_dropped=sum(dropped.values()),
    )
    it.say(
        "sample",
        f"rationalized {record.rationalized_problems} of {len(unsolved)} unsolved problems "
        f"({record.rationales} verified solutions; "
        f"{record.rationales_dropped} more dropped: {dropped or 'none'})",
    )
    return record


def synthesize(it: Iteration) -> SynthesizeRecord:
    """SEI: error types of this iteration's wrong samples, new problems aimed at them."""
    from reasonloop.curate.synthesize.iteration import synthesize_iteration
    from reasonloop.curate.synthesize.pipeline import SynthesisConfig

    run, config = it.run, it.run.config
    s = config.synthesize
    result = synthesize_iteration(
        it.dir / "samples",
        it.dir / "synth",
        instructor=s.instructor,
        score=s.score,
        model_dir=it.model,
        sampler=run.sampler(it.model),
        tests=read_problems(run.run_dir / "test.jsonl"),
        config=SynthesisConfig(budget=s.budget, keep=s.keep, dev_size=s.dev_size, seed=config.seed),
        progress=run.progress,
    )
    it.say(
        "synthesize",
        f"{len(result.types)} error types, {len(result.problems)} new problems, "
        f"{len(result.kept_rows)} kept",
    )
    return SynthesizeRecord(error_types=len(result.types), kept=len(result.kept_rows))


def build(it: Iteration) -> BuildRecord:
    """The training rows of `train.method` from the stored samples (with the verified
    rationales and the synthesized rows, for SFT)."""
    from reasonloop.curate.synthesize.iteration import read_kept_rows
    from reasonloop.sample.store import RunStore

    if it.method == "step-dpo":
        return step_dpo.build_stage(it)
    run, config = it.run, it.run.config
    with RunStore.open_existing(it.dir / "samples") as store:
        samples = store.samples_by_problem()
    if it.method == "sft":
        if it.tau is not None:  # B-STaR keeps the responses scoring at least its threshold
            samples = keep_above(samples, it.tau, load_prm(config.bstar.prm))
        rationales = read_rationales(it.problems, run.template, it.dir / "rationales")
        samples = {pid: [*samples.get(pid, []), *rationales.get(pid, [])] for pid in samples}
    extra = read_kept_rows(it.dir / "synth") if config.synthesize.budget > 0 else []
    if it.method == "sft":  # the safety: section's refusals, mixed into the math rows
        extra = [*extra, *safety_rows(config.safety, config.seed)]
    rows = build_stage(it.problems, samples, config, it.dir / "train_rows.jsonl", extra)
    it.say("build", f"{len(rows)} {it.method} rows" if rows else nothing_to_train_on(config))
    return BuildRecord(rows=len(rows))


def nothing_to_train_on(config: LoopConfig) -> str:
    """Why an iteration built no rows, and what would give it some."""
    method = config.train.method
    fixes = "more samples (sampling.k), a longer token budget (sampling.max_new_tokens)"
    if method == "sft" and config.sampling.rationalize == 0:
        fixes += ", STaR rationalization (sampling.rationalize: 4)"
    return (
        f"nothing to train on: no {method} rows ({EMPTY_BECAUSE[cast(DatasetKind, method)]}); "
        f"the run stops here. Try {fixes} or an easier task"
    )


def select(it: Iteration) -> SelectRecord:
    """The built rows that help the training task most (`select.method`)."""
    run = it.run
    record = select_rows(
        it.model, it.dir / "train_rows.jsonl", run.config, it.dir / "select", progress=run.progress
    )
    it.say("select", f"{record.selected} of {record.pool} rows ({run.config.select.method})")
    wanted = run.config.select.val_problems
    if record.val_problems is not None and record.val_problems < wanted:
        it.say(
            "select",
            f"too few solved problems for select.val_problems={wanted}: the target is "
            f"{record.val_problems} problems' rows"
            + (" (none: every row trains)" if record.val_problems == 0 else ""),
        )
    return record


def train(it: Iteration) -> TrainRecord:
    """Fine-tune the iteration's model on its rows (step-dpo: SFT, then DPO from it)."""
    if it.method == "step-dpo":
        result = step_dpo.train_stage(it)
    else:
        result = train_stage(
            it.start, it.rows_path, it.run.config, it.dir / "model", progress=it.run.progress
        )
    last = result.losses[-1][1] if result.losses else float("nan")
    it.say("train", f"{result.steps} steps, last loss {last:.3f}")
    if result.warning:
        it.say("train", result.warning)
    return TrainRecord(steps=result.steps, model_dir=result.output_dir)


def train_again(it: Iteration) -> None:
    """Train the weights `keep_models: final` removed, from the same inputs."""
    it.run.ensure_weights(it.start)
    train(it)


def sampled_identity(it: Iteration) -> str:
    """What the sample stage reads: its config sections, the model's weights, the problems."""
    return it.run.identity(
        "sampling",
        "resample",
        "backend",
        "template",
        "judge",
        "seed",
        "hard_cut",
        "medium_cut",
        method=it.method,  # rationales are drawn for SFT only
        model=hash_model(it.model),
        train=it.run.problems_hash("train.jsonl"),
    )


def trained_identity(it: Iteration) -> str:
    """What the train stage reads: its config, the model's weights, the rows."""
    sections = ("train", "seed", "select") if it.selecting else ("train", "seed")
    rows = {"rows": hash_file(it.rows_path)}
    if it.method == "step-dpo":
        rows["sft_rows"] = hash_file(it.dir / step_dpo.SFT_ROWS)
    return it.run.identity(*sections, model=hash_model(it.start), **rows)
