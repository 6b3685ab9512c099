"""The self-improvement loop: evaluate the base model, then per iteration sample -> profile ->
build -> train -> evaluate, each stage resumable from the run directory.

Layout of a run directory:

    config.yaml  stages.json  train.jsonl  test.jsonl  models/base/
    iter-0/eval/                      baseline evaluation on the held-out problems
    iter-N/samples/  profile.json  train_rows.jsonl  model/  eval/
                                      (model/ keeps its weights in the final iteration only,
                                      unless `keep_models: all`; `loop.retention`)
    models/engine/                    CPU engine copies of trained models (backend ctranslate2)
    report_data.json  report.html  summary.json
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.backends.base import Sampler
from reasonloop.backends.hf_models import prepare_model_dir
from reasonloop.curate.rationalize import (
    count_dropped_rationales,
    rationalize,
    read_rationales,
    unsolved_problems,
)
from reasonloop.errors import RunDirError
from reasonloop.files import hash_file
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.identity import claim_stage_dir, hash_model, stage_identity
from reasonloop.loop.ledger import Ledger, claim_run_dir
from reasonloop.loop.models import SamplerCache
from reasonloop.loop.outputs import write_outputs
from reasonloop.loop.retention import mark_restored, remove_weights, weights_removed
from reasonloop.loop.stages import (
    SELECTED,
    build_stage,
    eval_stage,
    prepare_problems,
    profile_stage,
    read_problems,
    sample_stage,
    sampling_params,
    select_stage,
    train_stage,
    write_problems,
)
from reasonloop.prompts import PromptTemplate, load_template
from reasonloop.tasks import Problem

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge

Notify = Callable[[str], None]


@dataclass(frozen=True)
class _Run:
    """What every stage of one run shares."""

    config: LoopConfig
    run_dir: Path
    ledger: Ledger
    samplers: SamplerCache
    template: PromptTemplate
    say: Notify
    progress: bool
    judge: ModelJudge | None = None  # asked where the rule cannot decide (config `judge`)
    # model directory -> how to train its weights again after `keep_models: final` removed them
    restorers: dict[str, Callable[[], object]] = field(default_factory=dict)

    def timed(
        self,
        stage: str,
        work: Callable[[], dict[str, Any]],
        identity: str | Callable[[], str],
        dirs: Sequence[Path] = (),
        needs: Sequence[str] = (),
    ) -> None:
        """Run `work` unless the ledger says `stage` is done from the same inputs (`identity`);
        then record it. The stage's `dirs` are claimed for those inputs first: results of
        other inputs there are moved aside, an interrupted attempt at the same ones resumes.
        The models in `needs` are read by `work`: weights a run removed are trained again
        first (and the identity, when a callable, is taken again from the weights made)."""
        inputs = identity() if callable(identity) else identity
        if self.ledger.done(stage, inputs):
            self.say(f"[{stage}] done already, skipped")
            return
        for model in needs:
            self.ensure_weights(model)
        inputs = identity() if callable(identity) else identity
        if stage in self.ledger.stages:
            self.say(f"[{stage}] its inputs changed: redoing it")
        for directory in dirs:
            claim_stage_dir(directory, inputs)
        self.say(f"[{stage}] ...")
        start = time.perf_counter()
        facts = work()
        seconds = time.perf_counter() - start
        self.ledger.record(stage, seconds, inputs, **facts)
        self.say(f"[{stage}] finished in {seconds:.1f} s")

    def ensure_weights(self, model: str) -> None:
        """Make `model`'s weights present: weights removed after an earlier iteration
        (`keep_models: final`) are trained again from the same inputs."""
        removed = weights_removed(model)
        if removed is None:
            return
        restore = self.restorers.get(_key(model))
        if restore is None:
            raise RunDirError(
                f"the weights of {model} were removed and this run cannot train them again; "
                "re-run with --force to redo the iterations after it"
            )
        self.say(f"[{model}] its weights were removed (keep_models: final): training again")
        restore()
        mark_restored(model)
        if hash_model(model) != removed:
            self.say(f"[{model}] the weights trained again differ: the stages reading them rerun")

    def samples_from(self, model: str) -> list[str]:
        """The models whose weights sampling reads: the loop's `model`, unless the config
        names the backend's own model (a teacher, a server)."""
        return [model] if self.config.backend.model is None else []

    def sampler(self, model: str) -> Sampler:
        """The sampler of `model`, making its engine copy first if it is missing (removed
        with the weights, or deleted by hand)."""
        if self.samplers.converts and not self.samplers.engine_ready(model):
            engine_dir, _ = self.samplers.convert(model, self.engine_cache(model))
            self.samplers.use_converted(model, engine_dir)
        return self.samplers.get(model)

    def engine_cache(self, model: str) -> Path | None:
        """Where the engine copy of `model` goes: beside the run for the models it trained,
        the user's cache for the base model."""
        trained = Path(_key(model)).parent.parent == Path(_key(self.run_dir))
        return self.run_dir / "models" / "engine" if trained else None

    def identity(self, *sections: str, **inputs: Any) -> str:
        """The identity of a stage reading these config `sections` and `inputs`."""
        config = self.config.to_dict()
        return stage_identity(**{name: config.get(name) for name in sections}, **inputs)

    def problems_hash(self, name: str) -> str:
        return hash_file(self.run_dir / name)


def run_loop(
    config: LoopConfig,
    run_dir: str | Path,
    *,
    force: bool = False,
    progress: bool = True,
    notify: Notify | None = None,
) -> dict[str, Any]:
    """Run (or resume) the loop in `run_dir` and return its summary (also in summary.json)."""
    run_dir = Path(run_dir)
    say = notify or (lambda message: None)
    claim_run_dir(run_dir, config.to_dict(), force=force)
    ledger = Ledger.open(run_dir)
    run = _Run(
        config=config,
        run_dir=run_dir,
        ledger=ledger,
        samplers=SamplerCache(
            config.backend, max(config.sampling.batch_size, config.eval.batch_size)
        ),
        template=load_template(config.template),
        say=say,
        progress=progress,
        judge=judge_of(config),
    )
    train, test = _problems_stage(run)
    model = _base_model_stage(run)
    _engine_stage(run, "base-model/convert", model, None)  # into the user's cache
    _eval_iteration(run, 0, model, test)
    for iteration in range(1, config.iterations + 1):
        model = _train_iteration(run, iteration, model, train)
        if config.keep_models == "final" and iteration > 1:
            _release_model(run, iteration - 1)
        _engine_stage(run, f"iter-{iteration}/convert", model, run.engine_cache(model))
        _eval_iteration(run, iteration, model, test)
    run.ensure_weights(model)  # the final model stays whole, even where a shorter re-run ends
    return write_outputs(config, run_dir, ledger, test, final_model=model)


def _release_model(run: _Run, iteration: int) -> None:
    """Remove iteration `iteration`'s weights and engine copy: the iteration after it has
    trained on them, and no later stage reads them (`loop.retention`)."""
    model_dir = run.run_dir / f"iter-{iteration}" / "model"
    if not model_dir.is_dir():
        return
    engine = run.ledger.stages.get(f"iter-{iteration}/convert", {}).get("engine_dir")
    removed = remove_weights(model_dir, engine)
    if removed.bytes:
        run.say(
            f"[iter-{iteration}/model] weights removed ({removed.bytes / 1e6:.0f} MB freed; "
            "keep_models: all keeps every iteration's model)"
        )


def judge_of(config: LoopConfig) -> ModelJudge | None:
    """The config's model judge (loaded on its first question), or None when it is off."""
    j = config.judge
    if j.model is None:
        return None
    from reasonloop.verify.judge import load_judge

    return load_judge(j.model, backend=j.backend, template=j.template, **j.options)


def _problems_stage(run: _Run) -> tuple[list[Problem], list[Problem]]:
    def work() -> dict[str, Any]:
        train, test = prepare_problems(run.config)
        write_problems(train, run.run_dir / "train.jsonl")
        write_problems(test, run.run_dir / "test.jsonl")
        run.say(f"[problems] {len(train)} train, {len(test)} held-out test problems")
        return {"n_train": len(train), "n_test": len(test)}

    problem_fields = ("task", "data", "format", "question_field", "answer_field", "test_data")
    run.timed("problems", work, run.identity(*problem_fields, "n_train", "n_test", "seed"))
    return read_problems(run.run_dir / "train.jsonl"), read_problems(run.run_dir / "test.jsonl")


def _base_model_stage(run: _Run) -> str:
    def work() -> dict[str, Any]:
        return {"model_dir": prepare_model_dir(run.config.model, run.run_dir / "models" / "base")}

    run.timed("base-model", work, run.identity("model"))
    return str(run.ledger.stages["base-model"]["model_dir"])


def _engine_stage(run: _Run, stage: str, model: str, cache_dir: Path | None) -> None:
    """Convert `model` for the CPU engine when the loop samples on it. The copy is cached by
    a hash of the weights, so the same weights are never converted twice (the base model
    once per machine, in the user's cache; trained weights under the run directory)."""
    if not run.samplers.converts:
        return

    def work() -> dict[str, Any]:
        engine_dir, cached = run.samplers.convert(model, cache_dir)
        return {"engine_dir": engine_dir, "cached": cached}

    def identity() -> str:
        return run.identity("backend", model=hash_model(model))

    run.timed(stage, work, identity, needs=[model])
    run.samplers.use_converted(model, str(run.ledger.stages[stage]["engine_dir"]))


def _eval_iteration(run: _Run, iteration: int, model: str, test: list[Problem]) -> None:
    eval_dir = run.run_dir / f"iter-{iteration}" / "eval"

    def work() -> dict[str, Any]:
        eval_dir.mkdir(parents=True, exist_ok=True)
        sampler = run.sampler(model)
        # pass@k curves are drawn for the base and the final model: sampling every
        # iteration's model k times would cost more than the training.
        ends = iteration in (0, run.config.iterations)
        result = eval_stage(
            test,
            sampler,
            run.samplers.spec(model),
            run.template,
            run.config,
            eval_dir,
            progress=run.progress,
            sampled=ends,
            judge=run.judge,
        )
        accuracy = result.greedy.accuracy
        run.say(
            f"[iter-{iteration}/eval] held-out accuracy {accuracy.value:.1%} "
            f"(95% CI {accuracy.low:.1%}-{accuracy.high:.1%}, n={accuracy.n})"
        )
        return {"accuracy": accuracy.value}

    def identity() -> str:
        return run.identity(
            "eval",
            "backend",
            "template",
            "judge",
            "seed",
            model=hash_model(model),
            test=run.problems_hash("test.jsonl"),
            sampled=iteration in (0, run.config.iterations),
        )

    run.timed(f"iter-{iteration}/eval", work, identity, [eval_dir], needs=run.samples_from(model))


def _train_iteration(run: _Run, iteration: int, model: str, train: list[Problem]) -> str:
    """Sample with `model`, build a dataset, train; returns the new model's directory."""
    it_dir = run.run_dir / f"iter-{iteration}"
    stage = f"iter-{iteration}"
    config, say = run.config, run.say

    def sample() -> dict[str, Any]:
        sampler, spec = run.sampler(model), run.samplers.spec(model)
        samples = sample_stage(
            train,
            sampler,
            spec,
            run.template,
            config,
            it_dir / "samples",
            progress=run.progress,
            judge=run.judge,
        )
        profile = profile_stage(samples, config, it_dir / "profile.json")
        n = sum(len(s) for s in samples.values())
        correct = sum(x.correct for s in samples.values() for x in s)
        say(f"[{stage}/sample] {n} samples, {correct} correct; levels {profile.difficulty.counts}")
        facts: dict[str, Any] = {"samples": n, "correct": correct}
        if run.judge is not None:
            facts["judged"] = sum(x.decided_by == "judge" for s in samples.values() for x in s)
            say(f"[{stage}/sample] {facts['judged']} graded by the judge")
        if config.sampling.rationalize > 0 and config.train.method == "sft":
            unsolved = unsolved_problems(train, samples)
            found = rationalize(
                unsolved,
                sampler,
                spec,
                run.template,
                sampling_params(config),
                it_dir / "rationales",
                k=config.sampling.rationalize,
                batch_size=config.sampling.batch_size,
                progress=run.progress,
                executor=config.executor,
            )
            facts["rationales"] = sum(len(group) for group in found.values())
            facts["rationalized_problems"] = sum(1 for group in found.values() if group)
            dropped = count_dropped_rationales(unsolved, it_dir / "rationales")
            facts["rationales_dropped"] = sum(dropped.values())
            say(
                f"[{stage}/sample] rationalized {facts['rationalized_problems']} of "
                f"{len(unsolved)} unsolved problems ({facts['rationales']} verified solutions; "
                f"{facts['rationales_dropped']} more dropped: {dropped or 'none'})"
            )
        return facts

    def synthesize() -> dict[str, Any]:
        from reasonloop.curate.synthesize.iteration import synthesize_iteration
        from reasonloop.curate.synthesize.pipeline import SynthesisConfig

        s = config.synthesize
        result = synthesize_iteration(
            it_dir / "samples",
            it_dir / "synth",
            instructor=s.instructor,
            score=s.score,
            model_dir=model,
            sampler=run.sampler(model),
            tests=read_problems(run.run_dir / "test.jsonl"),
            config=SynthesisConfig(
                budget=s.budget, keep=s.keep, dev_size=s.dev_size, seed=config.seed
            ),
            progress=run.progress,
        )
        say(
            f"[{stage}/synthesize] {len(result.types)} error types, "
            f"{len(result.problems)} new problems, {len(result.kept_rows)} kept"
        )
        return {"error_types": len(result.types), "kept": len(result.kept_rows)}

    def build() -> dict[str, Any]:
        from reasonloop.sample.store import RunStore

        with RunStore.open_existing(it_dir / "samples") as store:
            samples = store.samples_by_problem()
        if config.train.method == "sft":
            rationales = read_rationales(train, run.template, it_dir / "rationales")
            samples = {pid: [*samples.get(pid, []), *rationales.get(pid, [])] for pid in samples}
        from reasonloop.curate.synthesize.iteration import read_kept_rows

        extra = read_kept_rows(it_dir / "synth") if config.synthesize.budget > 0 else []
        rows = build_stage(train, samples, config, it_dir / "train_rows.jsonl", extra)
        say(f"[{stage}/build] {len(rows)} {config.train.method} rows")
        return {"rows": len(rows)}

    selecting = config.select.method is not None
    rows_path = it_dir / "select" / SELECTED if selecting else it_dir / "train_rows.jsonl"

    def choose() -> dict[str, Any]:
        done = select_stage(
            model, it_dir / "train_rows.jsonl", config, it_dir / "select", progress=run.progress
        )
        say(f"[{stage}/select] {done['selected']} of {done['pool']} rows ({config.select.method})")
        return done

    def fit() -> dict[str, Any]:
        result = train_stage(model, rows_path, config, it_dir / "model")
        last = result.losses[-1][1] if result.losses else float("nan")
        say(f"[{stage}/train] {result.steps} steps, last loss {last:.3f}")
        if result.warning:
            say(f"[{stage}/train] {result.warning}")
        return {"steps": result.steps, "model_dir": result.output_dir}

    def sampled() -> str:
        return run.identity(
            "sampling",
            "resample",
            "backend",
            "template",
            "judge",
            "seed",
            "hard_cut",
            "medium_cut",
            method=config.train.method,  # rationales are drawn for SFT only
            model=hash_model(model),
            train=run.problems_hash("train.jsonl"),
        )

    def trained() -> str:
        rows = hash_file(rows_path)
        sections = ("train", "seed", "select") if selecting else ("train", "seed")
        return run.identity(*sections, model=hash_model(model), rows=rows)

    def train_again() -> None:
        run.ensure_weights(model)
        fit()

    run.restorers[_key(it_dir / "model")] = train_again
    sample_dirs = [it_dir / "samples", it_dir / "rationales"]
    run.timed(f"{stage}/sample", sample, sampled, sample_dirs, needs=run.samples_from(model))
    synthesized = run.identity("synthesize", "seed", samples=sampled())
    if config.synthesize.budget > 0 and config.train.method == "sft":
        synth_dirs = [it_dir / "synth"]
        run.timed(f"{stage}/synthesize", synthesize, synthesized, synth_dirs, needs=[model])
    built = run.identity(
        "build", "seed", method=config.train.method, samples=sampled(), synthesized=synthesized
    )
    run.timed(f"{stage}/build", build, built)
    if selecting:
        chosen = run.identity("select", "seed", model=hash_model(model), built=built)
        run.timed(f"{stage}/select", choose, chosen, [it_dir / "select"], needs=[model])
    run.timed(f"{stage}/train", fit, trained, [it_dir / "model"], needs=[model])
    return str(run.ledger.stages[f"{stage}/train"]["model_dir"])


def _key(model: str | Path) -> str:
    """One spelling of a model directory (relative or absolute, as the ledger has it)."""
    return str(Path(model).resolve())
