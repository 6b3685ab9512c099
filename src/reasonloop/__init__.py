"""reasonloop: verify math answers, sample, profile difficulty, curate data, train through TRL,
evaluate. Importing the package loads no torch, transformers or TRL; backends and trainers are
imported when used.

The subpackages `reasonloop.verify` and `reasonloop.evaluate` keep their names: import their
functions from them (`from reasonloop.verify import verify`).
"""

from __future__ import annotations

from reasonloop.backends import SamplingParams, load_sampler
from reasonloop.build.dpo import build_dpo_pairs
from reasonloop.build.grpo import build_grpo_prompts
from reasonloop.build.sft import build_sft_dataset
from reasonloop.errors import ConfigError, DataError, ReasonloopError, RunDirError
from reasonloop.loop import LoopConfig, load_config, run_loop
from reasonloop.profile.difficulty import plan_resampling, profile_difficulty
from reasonloop.profile.metrics import accuracy_with_ci, estimate_pass_at_k
from reasonloop.prompts import PromptTemplate, load_template
from reasonloop.rewards import math_reward
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem, generate_task, load_problems
from reasonloop.verify import Status, Verdict, extract_answer, verify_batch

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DataError",
    "GradedSample",
    "LoopConfig",
    "Problem",
    "PromptTemplate",
    "ReasonloopError",
    "RunDirError",
    "RunStore",
    "SamplingParams",
    "Status",
    "Verdict",
    "__version__",
    "accuracy_with_ci",
    "build_dpo_pairs",
    "build_grpo_prompts",
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
    "run_loop",
    "sample_problems",
    "verify_batch",
]
