"""The stages of one loop iteration, each a call into the stage's library function.

problems -> sample (+ difficulty-aware resample) -> profile -> build -> train -> evaluate.
Every function here takes the loop's config and plain inputs and writes under the directory
it is given; the work itself lives in `reasonloop.sample`, `.profile`, `.curate`, `.dataset`,
`.train` and `.evaluate`, which the CLI calls too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.curate.resample import resample_run
from reasonloop.dataset.io import read_dataset, write_dataset
from reasonloop.dataset.rows import DatasetKind, build_rows
from reasonloop.errors import ConfigError, DataError, EmptyDatasetError
from reasonloop.evaluate.heldout import HeldoutEval, evaluate_heldout
from reasonloop.files import read_jsonl, write_jsonl
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.records import SelectRecord
from reasonloop.profile.difficulty import DifficultyCuts
from reasonloop.profile.summary import RunProfile, profile_run, write_run_profile
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks import Problem, load_problems, split_problems
from reasonloop.train.result import TrainResult

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


def prepare_problems(config: LoopConfig) -> tuple[list[Problem], list[Problem]]:
    """(train, test) problems, disjoint by id and question text."""
    source = config.data or config.task
    options: dict[str, Any] = {}
    if config.data is not None:
        options = {
            "format": config.format,
            "question_field": config.question_field,
            "answer_field": config.answer_field,
        }
    if config.test_data is not None:
        train = load_problems(source, limit=config.n_train, **options)
        test = load_problems(config.test_data, limit=config.n_test, **options)
        return train, _drop_overlap(test, train)
    wanted = config.n_train + config.n_test if config.n_train else None
    problems = load_problems(source, limit=wanted, **options)
    if len(problems) <= config.n_test:
        raise DataError(
            f"{source} has {len(problems)} problems, not enough for n_test={config.n_test} "
            "held-out problems plus a training set"
        )
    train, test = split_problems(problems, config.n_test, seed=config.seed)
    return train, test


def _drop_overlap(test: list[Problem], train: list[Problem]) -> list[Problem]:
    seen = {p.id for p in train} | {" ".join(p.question.lower().split()) for p in train}
    return [
        p for p in test if p.id not in seen and " ".join(p.question.lower().split()) not in seen
    ]


def write_problems(problems: Sequence[Problem], path: Path) -> None:
    write_jsonl(path, (problem.to_dict() for problem in problems))


def read_problems(path: Path) -> list[Problem]:
    return [Problem.from_dict(row) for row in read_jsonl(path)]


def sampling_params(config: LoopConfig, temperature: float | None = None) -> SamplingParams:
    """The sample stage's params, at `temperature` when given (B-STaR's sweep and choice)."""
    s = config.sampling
    chosen = s.temperature if temperature is None else temperature
    if isinstance(chosen, str):  # "auto": the iteration's B-STaR stage replaces it first
        raise ConfigError(
            "sampling.temperature is auto: sample at the temperature the B-STaR stage chose "
            "(loop.balance_stage.sample_at)"
        )
    return SamplingParams(s.max_new_tokens, chosen, s.top_p, seed=config.seed)


def sample_stage(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    template: PromptTemplate,
    config: LoopConfig,
    run_dir: Path,
    *,
    progress: bool,
    judge: ModelJudge | None = None,
) -> dict[str, list[GradedSample]]:
    """k samples per training problem, then (if budgeted) extra samples for hard problems."""
    params = sampling_params(config)
    settings = sample_settings(config, template, spec, progress=progress, judge=judge)
    fingerprint = RunFingerprint.for_sampler("sample", sampler, spec, template, params)
    with RunStore.open(run_dir, fingerprint) as store:
        sample_problems(problems, sampler, params, store, k=config.sampling.k, settings=settings)
        if config.resample.budget > 0:
            resample_run(
                store,
                sampler,
                params,
                settings,
                budget=config.resample.budget,
                cuts=cuts_of(config),
                base_max_new_tokens=config.sampling.max_new_tokens,
                long_factor=config.resample.long_factor,
            )
        return store.samples_by_problem()


def sample_settings(
    config: LoopConfig,
    template: PromptTemplate,
    spec: SamplerSpec,
    *,
    progress: bool,
    judge: ModelJudge | None = None,
) -> DrawSettings:
    """How the sample stage draws (its samples, the resampled ones, the rationales):
    `sampling.batch_size` at a time, on the configured executor."""
    runner = batch_runner(config.executor, spec)
    batch_size = config.sampling.batch_size
    return DrawSettings(template, batch_size, progress, judge=judge, runner=runner)


def cuts_of(config: LoopConfig) -> DifficultyCuts:
    return DifficultyCuts(hard=config.hard_cut, medium=config.medium_cut)


def profile_stage(
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    config: LoopConfig,
    path: Path,
    problems: Sequence[Problem] = (),
) -> RunProfile:
    """The iteration's profile.json; `problems` add their generator levels (rg: tasks)."""
    profile = profile_run(samples_by_problem, cuts_of(config), problems=problems)
    write_run_profile(profile, path)
    return profile


def build_stage(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    config: LoopConfig,
    path: Path,
    extra_rows: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The training rows of this iteration, in the format `train.method` consumes, followed by
    `extra_rows` (already in that format). None of either is no rows, and no file at `path`:
    the loop stops there and says why (`dataset.rows.EMPTY_BECAUSE`)."""
    b = config.build
    method = config.train.method
    try:
        rows = build_rows(
            cast(DatasetKind, method),  # prm and orm are refused when the config is read
            problems,
            samples_by_problem,
            max_per_problem=b.max_pairs_per_problem if method == "dpo" else b.max_per_problem,
            balance=b.balance,
            seed=config.seed,
        )
    except EmptyDatasetError:
        rows = []  # the synthesized rows may still give the iteration something to train on
    rows = [*rows, *extra_rows]
    if rows:
        write_dataset(rows, path)
    return rows


SELECTED = "selected_rows.jsonl"  # in the select stage's directory: what training reads


def select_rows(
    model: str, rows_path: Path, config: LoopConfig, out_dir: Path, *, progress: bool
) -> SelectRecord:
    """Keep the built SFT rows that help the training task most (`reasonloop select`): the
    rows of `select.val_problems` training problems are the target and leave the pool, the
    selected rows (with the drawn ones, a summary and a plot page) land in `out_dir`."""
    from dataclasses import replace

    from reasonloop.curate.select import (
        FeatureConfig,
        LoraShape,
        SelectConfig,
        WarmupConfig,
        select_examples,
        write_selection,
    )
    from reasonloop.curate.select.bandit import BanditConfig
    from reasonloop.curate.select.methods import METHODS
    from reasonloop.curate.select.rows import split_validation

    s = config.select
    method = METHODS[METHODS.index(s.method)]  # a ValueError here: check_select let it by
    rows = read_dataset(rows_path)
    val_problems = validation_size(rows, s.val_problems)
    if val_problems == 0:  # one solved problem: no target to select for, so every row trains
        write_dataset(rows, out_dir / SELECTED)
        return SelectRecord(len(rows), 0, len(rows), 0, val_problems=0)
    pool, target = split_validation(rows, val_problems, seed=config.seed)
    select_config = SelectConfig(
        method=method,
        budget=s.budget,
        top=s.top,
        cache_dir=str(out_dir / "cache"),
        features=FeatureConfig(
            s.dim, max_length=s.max_length, seed=config.seed, show_progress=progress
        ),
        lora=LoraShape(seed=config.seed),
        warmup=WarmupConfig(checkpoints=s.checkpoints),
        bandit=BanditConfig(seed=config.seed),
    )
    if s.clusters is not None:
        select_config = replace(select_config, clusters=s.clusters)
    selection = select_examples(pool, target, model, select_config)
    write_selection(selection, pool, out_dir / SELECTED)
    return SelectRecord(
        pool=len(pool),
        target=len(target),
        selected=len(selection.selected),
        gradients=selection.gradients_used,
        val_problems=val_problems,
    )


def validation_size(rows: Sequence[Mapping[str, Any]], wanted: int) -> int:
    """How many problems' rows become the selection's target: `wanted` (select.val_problems),
    but at most half the problems that have rows, so that a run that solved few problems
    still has a pool to select from (0: one problem or none, nothing to select for).

    >>> rows = [{"problem_id": p} for p in "aabcd"]
    >>> validation_size(rows, 16), validation_size(rows, 1), validation_size(rows[:2], 16)
    (2, 1, 0)
    """
    problems = len({str(row["problem_id"]) for row in rows if "problem_id" in row})
    return min(wanted, problems // 2)


def train_stage(
    model: str, rows_path: Path, config: LoopConfig, out_dir: Path, *, progress: bool = False
) -> TrainResult:
    """Fine-tune `model` on the built rows through TRL; the result is a plain HF directory.
    With `progress`, a labelled bar shows the steps, the time left and the loss."""
    from reasonloop.train import train

    rows = read_dataset(rows_path)
    options = {"seed": config.seed, "show_progress": progress, **config.train.options}
    return train(config.train.method, model, rows, out_dir, options)


def eval_stage(
    problems: Sequence[Problem],
    sampler: Sampler,
    spec: SamplerSpec,
    template: PromptTemplate,
    config: LoopConfig,
    eval_dir: Path,
    *,
    progress: bool,
    sampled: bool,
    judge: ModelJudge | None = None,
) -> HeldoutEval:
    """Greedy accuracy; with `sampled`, also `eval.k` samples per problem for pass@k."""
    e = config.eval
    runner = batch_runner(config.executor, spec)
    settings = DrawSettings(template, e.batch_size, progress, judge=judge, runner=runner)
    return evaluate_heldout(
        problems,
        sampler,
        spec,
        eval_dir,
        settings,
        max_new_tokens=e.max_new_tokens,
        seed=config.seed,
        k=e.k if sampled else 0,
        temperature=e.temperature,
    )
