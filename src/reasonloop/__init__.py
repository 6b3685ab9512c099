"""reasonloop: verify math answers, sample, profile difficulty, curate data, train through TRL,
evaluate.

One package per stage, in the order data flows through them (what each holds -> what it
hands to the next):

    tasks      problem files, HF datasets, built-in generators       -> Problem
    verify     read a response's final answer, compare with the gold -> Verdict
    backends   one Sampler (CTranslate2, transformers, vLLM, OpenAI, fake) -> completions
    sample     plan, draw and grade k responses per problem          -> a run store of samples
    scale      the same draw and grading on Ray actors               -> the same run store
               (and a whole dataset file graded offline)
    steps      steps of a response, step values by rollouts          -> values.jsonl
    profile    pass rates, difficulty levels, pass@k, maj@k          -> profile.json
    curate     resampling, STaR rationales, select, synthesize       -> more samples, chosen rows
    dataset    SFT / DPO / GRPO / verl rows, step-DPO / PRM rows     -> a training set
    train      train(method, ...) through TRL                        -> a model directory
    evaluate   held-out accuracy with intervals and paired tests     -> eval.json
    safety     harmful/benign request sets, refusal targets, the judge -> safety rows, verdicts
    report     plots and the HTML page                               -> report.html
    loop       the stages in order, resumable                        -> a run directory
    cli        one command per stage and one for the loop; only the CLI prints

The names below are loaded on first use (PEP 562), so `import reasonloop.verify` (which runs
this file first) pays for nothing else, and importing the package loads no torch,
transformers or TRL. The subpackages `reasonloop.verify` and `reasonloop.evaluate` keep
their names: import their functions from them (`from reasonloop.verify import verify`).
"""

# No `from __future__ import annotations` and private module aliases: every public name of
# this namespace is in __all__ (a test checks).
import importlib as _importlib
import typing as _typing

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "ConfigError": "reasonloop.errors",
    "DataError": "reasonloop.errors",
    "ReasonloopError": "reasonloop.errors",
    "RunDirError": "reasonloop.errors",
    "SamplingParams": "reasonloop.backends.base",
    "load_sampler": "reasonloop.backends.registry",
    "resolve_model_source": "reasonloop.backends.source",
    "GradedSample": "reasonloop.sample.record",
    "RunFingerprint": "reasonloop.sample.fingerprint",
    "RunStore": "reasonloop.sample.store",
    "sample_problems": "reasonloop.sample.draw",
    "DrawSettings": "reasonloop.sample.plan",
    "profile_difficulty": "reasonloop.profile.difficulty",
    "profile_run": "reasonloop.profile.summary",
    "accuracy_with_ci": "reasonloop.profile.metrics",
    "estimate_pass_at_k": "reasonloop.profile.metrics",
    "plan_resampling": "reasonloop.curate.resample",
    "resample_run": "reasonloop.curate.resample",
    "rationalize": "reasonloop.curate.rationalize",
    "build_dpo_pairs": "reasonloop.dataset.dpo",
    "build_grpo_prompts": "reasonloop.dataset.grpo",
    "build_rows": "reasonloop.dataset.rows",
    "build_sft_dataset": "reasonloop.dataset.sft",
    "LoopConfig": "reasonloop.loop.config",
    "load_config": "reasonloop.loop.config",
    "run_loop": "reasonloop.loop.run",
    "PromptTemplate": "reasonloop.prompts",
    "load_template": "reasonloop.prompts",
    "math_reward": "reasonloop.rewards",
    "Problem": "reasonloop.tasks.problem",
    "generate_task": "reasonloop.tasks.procedural",
    "load_problems": "reasonloop.tasks.sources",
    "Status": "reasonloop.verify",
    "Verdict": "reasonloop.verify",
    "extract_answer": "reasonloop.verify",
    "verify_batch": "reasonloop.verify",
}

# Written out (not derived from _EXPORTS) so linters and type checkers see the re-exports.
__all__ = [
    "__version__",
    "ConfigError",
    "DataError",
    "DrawSettings",
    "GradedSample",
    "LoopConfig",
    "Problem",
    "PromptTemplate",
    "ReasonloopError",
    "RunDirError",
    "RunFingerprint",
    "RunStore",
    "SamplingParams",
    "Status",
    "Verdict",
    "accuracy_with_ci",
    "build_dpo_pairs",
    "build_grpo_prompts",
    "build_rows",
    "build_sft_dataset",
    "estimate_pass_at_k",
    "extract_answer",
    "generate_task",
    "load_config",
    "load_problems",
    "load_sampler",
    "load_template",
    "math_reward",
    "plan_resampling",
    "profile_difficulty",
    "profile_run",
    "rationalize",
    "resample_run",
    "resolve_model_source",
    "run_loop",
    "sample_problems",
    "verify_batch",
]


def __getattr__(name: str) -> _typing.Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reasonloop' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if _typing.TYPE_CHECKING:
    from reasonloop.backends.base import SamplingParams
    from reasonloop.backends.registry import load_sampler
    from reasonloop.backends.source import resolve_model_source
    from reasonloop.curate.rationalize import rationalize
    from reasonloop.curate.resample import plan_resampling, resample_run
    from reasonloop.dataset.dpo import build_dpo_pairs
    from reasonloop.dataset.grpo import build_grpo_prompts
    from reasonloop.dataset.rows import build_rows
    from reasonloop.dataset.sft import build_sft_dataset
    from reasonloop.errors import ConfigError, DataError, ReasonloopError, RunDirError
    from reasonloop.loop.config import LoopConfig, load_config
    from reasonloop.loop.run import run_loop
    from reasonloop.profile.difficulty import profile_difficulty
    from reasonloop.profile.metrics import accuracy_with_ci, estimate_pass_at_k
    from reasonloop.profile.summary import profile_run
    from reasonloop.prompts import PromptTemplate, load_template
    from reasonloop.rewards import math_reward
    from reasonloop.sample.draw import sample_problems
    from reasonloop.sample.fingerprint import RunFingerprint
    from reasonloop.sample.plan import DrawSettings
    from reasonloop.sample.record import GradedSample
    from reasonloop.sample.store import RunStore
    from reasonloop.tasks.problem import Problem
    from reasonloop.tasks.procedural import generate_task
    from reasonloop.tasks.sources import load_problems
    from reasonloop.verify import Status, Verdict, extract_answer, verify_batch
