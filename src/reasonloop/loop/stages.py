"""The stages of one loop iteration, each reading the previous stage's artifacts.

problems -> sample (+ difficulty-aware resample) -> profile -> build -> train -> evaluate.
Every function here takes plain inputs and writes under the directory it is given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.build.dpo import build_dpo_pairs
from reasonloop.build.grpo import build_grpo_prompts
from reasonloop.build.io import read_dataset, write_dataset
from reasonloop.build.sft import build_sft_dataset
from reasonloop.errors import DataError
from reasonloop.evaluate.measure import EvalReport, evaluate
from reasonloop.loop.config import LoopConfig, sample_fingerprint
from reasonloop.profile.difficulty import DifficultyCuts, DifficultyProfile, plan_resampling
from reasonloop.profile.difficulty import profile_difficulty as profile_samples
from reasonloop.prompts import PromptTemplate
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem, load_problems, split_problems
from reasonloop.train.result import TrainResult


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
    with path.open("w", encoding="utf-8") as file:
        for problem in problems:
            file.write(json.dumps(problem.to_dict()) + "\n")


def read_problems(path: Path) -> list[Problem]:
    problems = []
    with path.open(encoding="utf-8") as file:
        for line in file:
            row = json.loads(line)
            problems.append(
                Problem(row["id"], row["question"], row["gold"], row["source"], row["meta"])
            )
    return problems


def sample_stage(
    problems: Sequence[Problem],
    sampler: Sampler,
    template: PromptTemplate,
    config: LoopConfig,
    run_dir: Path,
    *,
    progress: bool,
) -> dict[str, list[GradedSample]]:
    """k samples per training problem, then (if budgeted) extra samples for hard problems."""
    s = config.sampling
    params = SamplingParams(s.max_new_tokens, s.temperature, s.top_p, seed=config.seed)
    fingerprint = sample_fingerprint(config, sampler.model_id, template.fingerprint())
    with RunStore.open(run_dir, fingerprint) as store:
        common: dict[str, Any] = {
            "template": template,
            "batch_size": s.batch_size,
            "progress": progress,
        }
        sample_problems(problems, sampler, params, store, k=s.k, **common)
        if config.resample.budget > 0:
            profile = profile_samples(store.samples_by_problem(round=0), cuts_of(config))
            plan = plan_resampling(
                profile,
                budget=config.resample.budget,
                base_max_new_tokens=s.max_new_tokens,
                long_factor=config.resample.long_factor,
            )
            chosen = [p for p in problems if plan.extra_k.get(p.id, 0) > 0]
            if chosen:
                k = {p.id: plan.extra_k[p.id] for p in chosen}
                budgets = {p.id: plan.max_new_tokens[p.id] for p in chosen}
                sample_problems(
                    chosen, sampler, params, store, k=k, round=1, max_new_tokens=budgets, **common
                )
        return store.samples_by_problem()


def cuts_of(config: LoopConfig) -> DifficultyCuts:
    return DifficultyCuts(hard=config.hard_cut, medium=config.medium_cut)


def profile_stage(
    samples_by_problem: Mapping[str, Sequence[GradedSample]], config: LoopConfig, path: Path
) -> DifficultyProfile:
    profile = profile_samples(samples_by_problem, cuts_of(config))
    path.write_text(json.dumps(profile.to_dict(), indent=2), encoding="utf-8")
    return profile


def build_stage(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    config: LoopConfig,
    template: PromptTemplate,
    path: Path,
) -> list[dict[str, Any]]:
    """The training rows of this iteration, in the format `train.method` consumes."""
    b = config.build
    method = config.train.method
    if method == "sft":
        rows = build_sft_dataset(
            problems,
            samples_by_problem,
            max_per_problem=b.max_per_problem,
            balance=b.balance,
            seed=config.seed,
        )
    elif method == "dpo":
        rows = build_dpo_pairs(
            problems,
            samples_by_problem,
            max_pairs_per_problem=b.max_pairs_per_problem,
            seed=config.seed,
        )
    else:
        rows = build_grpo_prompts(problems, samples_by_problem)
    write_dataset(rows, path)
    return rows


def train_stage(model: str, rows_path: Path, config: LoopConfig, out_dir: Path) -> TrainResult:
    """Fine-tune `model` on the built rows through TRL; the result is a plain HF directory."""
    from reasonloop.train import train

    rows = read_dataset(rows_path)
    if not rows:
        raise DataError(
            f"{rows_path} is empty: no training rows this iteration (for SFT: no problem was "
            "solved even once; sample more per problem, or use easier problems)"
        )
    options = {"seed": config.seed, **config.train.options}
    return train(config.train.method, model, rows, out_dir, options)


@dataclass(frozen=True)
class EvalResult:
    """Greedy accuracy on the held-out set, and the sampled evaluation (pass@k) if asked."""

    greedy: EvalReport
    sampled: EvalReport | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "greedy": self.greedy.to_dict(),
            "sampled": None if self.sampled is None else self.sampled.to_dict(),
        }


def eval_stage(
    problems: Sequence[Problem],
    sampler: Sampler,
    template: PromptTemplate,
    config: LoopConfig,
    eval_dir: Path,
    *,
    progress: bool,
    sampled: bool,
) -> EvalResult:
    """Greedy accuracy; with `sampled`, also `eval.k` samples per problem for pass@k."""
    e = config.eval
    common: dict[str, Any] = {
        "template": template,
        "batch_size": e.batch_size,
        "progress": progress,
    }
    greedy = evaluate(
        problems,
        sampler,
        k=1,
        store_dir=eval_dir / "greedy",
        params=SamplingParams(e.max_new_tokens, 0.0, seed=config.seed),
        **common,
    )
    sampled_report = None
    if sampled and e.k > 1:
        params = SamplingParams(e.max_new_tokens, e.temperature, seed=config.seed)
        sampled_report = evaluate(
            problems, sampler, k=e.k, params=params, store_dir=eval_dir / "sampled", **common
        )
    result = EvalResult(greedy, sampled_report)
    (eval_dir / "eval.json").write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    return result
