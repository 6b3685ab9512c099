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

from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.backends.hf_models import prepare_model_dir
from reasonloop.backends.source import check_model_source
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.context import LoopRun, Notify
from reasonloop.loop.identity import hash_model
from reasonloop.loop.iteration import nothing_to_train_on, train_iteration
from reasonloop.loop.ledger import Ledger, claim_run_dir
from reasonloop.loop.models import SamplerCache
from reasonloop.loop.records import EngineRecord, EvalRecord, ModelRecord, ProblemsRecord
from reasonloop.loop.results import RunProblems, write_results
from reasonloop.loop.retention import remove_weights
from reasonloop.loop.stages import prepare_problems, read_problems, write_problems
from reasonloop.loop.summary import LoopSummary
from reasonloop.loop.warmup import time_first_batch
from reasonloop.loop.workload import Workload, count_workload, describe_time_left
from reasonloop.prompts import load_template
from reasonloop.tasks import Problem

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


def run_loop(
    config: LoopConfig,
    run_dir: str | Path,
    *,
    force: bool = False,
    progress: bool = True,
    notify: Notify | None = None,
) -> LoopSummary:
    """Run (or resume) the loop in `run_dir` and return its summary (also in summary.json)."""
    run_dir = Path(run_dir)
    say = notify or (lambda message: None)
    check_model_source(config.model)  # a mistyped model fails now, naming close ones
    claim_run_dir(run_dir, config.to_dict(), force=force)
    ledger = Ledger.open(run_dir)
    run = LoopRun(
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
    workload = count_workload(config, len(train), len(test))
    say(f"[plan] {workload.describe()}")
    if config.train.start == "base" and config.iterations > 1:
        say("[plan] each iteration trains the base model again (train.start: base)")
    model = base = _base_model_stage(run)
    _engine_stage(run, "base-model/convert", model, None)  # into the user's cache
    _eval_iteration(run, 0, model, test, workload)
    drawn = len(test) * (1 + config.eval.k)  # the base model's greedy and sampled answers
    say(f"[estimate] {describe_time_left(workload, drawn, ledger.seconds('iter-0/eval'))}")
    done, stopped = 0, None
    for iteration in range(1, config.iterations + 1):
        trained = train_iteration(run, iteration, model, train, base)
        if trained is None:  # the summary and the report cover the iterations before it
            stopped = f"iteration {iteration}: {nothing_to_train_on(config)}"
            break
        model, done = trained, iteration
        if config.keep_models == "final" and iteration > 1:
            _release_model(run, iteration - 1)
        _engine_stage(run, f"iter-{iteration}/convert", model, run.engine_cache(model))
        _eval_iteration(run, iteration, model, test)
    run.ensure_weights(model)  # the final model stays whole, even where a shorter re-run ends
    problems = RunProblems(train, test)
    return write_results(
        config, run_dir, ledger, problems, final_model=model, iterations=done, stopped=stopped
    )


def _release_model(run: LoopRun, iteration: int) -> None:
    """Remove iteration `iteration`'s weights and engine copy: the iteration after it has
    trained on them, and no later stage reads them (`loop.retention`)."""
    model_dir = run.run_dir / f"iter-{iteration}" / "model"
    if not model_dir.is_dir():
        return
    engine = run.ledger.find(f"iter-{iteration}/convert", EngineRecord)
    removed = remove_weights(model_dir, None if engine is None else engine.engine_dir)
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


def _problems_stage(run: LoopRun) -> tuple[list[Problem], list[Problem]]:
    problem_fields = ("task", "data", "format", "question_field", "answer_field", "test_data")
    identity = run.identity(*problem_fields, "n_train", "n_test", "seed")
    run.timed("problems", ProblemsRecord, lambda: _write_problems(run), identity)
    return read_problems(run.run_dir / "train.jsonl"), read_problems(run.run_dir / "test.jsonl")


def _write_problems(run: LoopRun) -> ProblemsRecord:
    train, test = prepare_problems(run.config)
    write_problems(train, run.run_dir / "train.jsonl")
    write_problems(test, run.run_dir / "test.jsonl")
    run.say(f"[problems] {len(train)} train, {len(test)} held-out test problems")
    return ProblemsRecord(n_train=len(train), n_test=len(test))


def _base_model_stage(run: LoopRun) -> str:
    def work() -> ModelRecord:
        return ModelRecord(prepare_model_dir(run.config.model, run.run_dir / "models" / "base"))

    return run.timed("base-model", ModelRecord, work, run.identity("model")).model_dir


def _engine_stage(run: LoopRun, stage: str, model: str, cache_dir: Path | None) -> None:
    """Convert `model` for the CPU engine when the loop samples on it. The copy is cached by
    a hash of the weights, so the same weights are never converted twice (the base model
    once per machine, in the user's cache; trained weights under the run directory)."""
    if not run.samplers.converts:
        return

    def work() -> EngineRecord:
        engine_dir, cached = run.samplers.convert(model, cache_dir)
        return EngineRecord(engine_dir=engine_dir, cached=cached)

    def identity() -> str:
        return run.identity("backend", model=hash_model(model))

    record = run.timed(stage, EngineRecord, work, identity, needs=[model])
    run.samplers.use_converted(model, record.engine_dir)


def _eval_iteration(
    run: LoopRun,
    iteration: int,
    model: str,
    test: list[Problem],
    workload: Workload | None = None,
) -> None:
    """Evaluate `model` on the held-out problems; with the run's `workload` (the base model's
    evaluation), time its first batch and print the run's expected time first."""
    eval_dir = run.run_dir / f"iter-{iteration}" / "eval"
    # pass@k curves are drawn for the base and the final model: sampling every
    # iteration's model k times would cost more than the training.
    ends = iteration in (0, run.config.iterations)

    def work() -> EvalRecord:
        eval_dir.mkdir(parents=True, exist_ok=True)
        if workload is not None:
            warm_up = time_first_batch(run, model, test, eval_dir)
            run.say(f"[estimate] {warm_up.describe(workload)}")
        result = run.evaluate(model, test, eval_dir, sampled=ends)
        accuracy = result.greedy.accuracy
        run.say(
            f"[iter-{iteration}/eval] held-out accuracy {accuracy.value:.1%} "
            f"(95% CI {accuracy.low:.1%}-{accuracy.high:.1%}, n={accuracy.n})"
        )
        return EvalRecord(accuracy=accuracy.value)

    def identity() -> str:
        return run.identity(
            "eval",
            "backend",
            "template",
            "judge",
            "seed",
            model=hash_model(model),
            test=run.problems_hash("test.jsonl"),
            sampled=ends,
        )

    stage = f"iter-{iteration}/eval"
    run.timed(stage, EvalRecord, work, identity, [eval_dir], needs=run.samples_from(model))
