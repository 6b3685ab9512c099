"""The loop's configuration: frozen dataclasses loaded from YAML, with CLI overrides.

YAML holds data only. Unknown keys are an error that names the key and the known ones, so a
typo never silently falls back to a default.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from reasonloop.errors import ConfigError
from reasonloop.loop.safety import SafetyStageConfig
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.steps.plan import DEFAULT_K
from reasonloop.steps.split import SplitRule
from reasonloop.train.config import TrainMethod, train_config_from_dict

# The loop's methods: the trainers', and step-dpo (step values, first-pit pairs, SFT then DPO).
LoopTrainMethod = Literal[TrainMethod, "step-dpo"]


# Trainers whose output scores responses instead of writing them: no loop iteration ends in one.
REWARD_MODELS = ("prm", "orm")


def trainer_of(method: str) -> str:
    """The TRL trainer a loop method ends in, whose options `train.options` holds.

    >>> trainer_of("step-dpo"), trainer_of("sft")
    ('dpo', 'sft')
    """
    return "dpo" if method == "step-dpo" else method


@dataclass(frozen=True)
class SamplingConfig:
    """How each iteration samples the training problems (k responses each).

    `rationalize > 0` (the default) turns on STaR rationalization for SFT: problems no
    sample solved get that many more samples with the gold answer as a hint, and the
    verified ones become training rows under the hint-free prompt. A base model that solves
    almost nothing (SmolLM2-135M on 2-digit addition: ~1%) learns from these alone.
    `temperature: auto` lets B-STaR choose it before each iteration (see `BStarConfig`)."""

    k: int = 8
    rationalize: int = 4
    temperature: float | Literal["auto"] = 0.8
    top_p: float = 1.0
    max_new_tokens: int = 64
    batch_size: int = 32


@dataclass(frozen=True)
class BStarConfig:
    """B-STaR, on while `sampling.temperature` is `auto`: before each iteration samples, `k`
    responses to each of `dev_size` training problems at every temperature of
    `temperatures`; the temperature and reward threshold of highest balance score (`n_star`
    distinct correct responses per problem earn full exploration credit) sample and select
    that iteration's training data (`reasonloop.curate.bstar`). The reward is the verifier's
    0/1, or with `prm` (a process reward model directory, `reasonloop train --method prm`) the
    paper's lowest step score / 5 + outcome."""

    temperatures: list[float] = field(
        default_factory=lambda: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2]
    )
    dev_size: int = 16
    k: int = 16
    n_star: int = 8
    prm: str | None = None


@dataclass(frozen=True)
class BackendConfig:
    """Which backend samples. `model: null` means the loop's current model (the base model,
    then each iteration's fine-tuned directory); naming a model samples from that one
    instead, e.g. a teacher behind a server, or the shipped `fake` backend in tests.

    The default, `ctranslate2`, is the int8 CPU engine: several times faster than
    transformers on a CPU, for Llama, Mistral, Qwen, Gemma and Phi-3 models (another model
    is an error that names `transformers`, which runs any model; `vllm` on a GPU)."""

    name: str = "ctranslate2"
    model: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JudgeConfig:
    """A model judge behind the rule verifier, asked only where the rule cannot decide
    (`reasonloop.verify.judge`); off while `model` is null. `backend` as for sampling
    (`default` = the embedded model; `openai` with `options: {base_url: ...}`)."""

    model: str | None = None
    backend: str = "default"
    template: str = "answer-only"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ResampleConfig:
    """Difficulty-aware resampling: `budget` extra samples, mostly for hard/unsolved problems,
    with `long_factor` times the token budget. `budget = 0` turns it off."""

    budget: int = 0
    long_factor: float = 2.0


@dataclass(frozen=True)
class SynthesizeConfig:
    """Self-Error-Instruct for SFT (`reasonloop synthesize` inside the loop): `budget` new
    problems per iteration written from the iteration's errors by `instructor` ("builtin" or
    a model name), kept when they help the current model as one-shot demonstrations
    (`score`: likelihood or accuracy; `keep`: gain or top:F), added to the SFT rows.
    `budget = 0` turns it off."""

    budget: int = 0
    instructor: str = "builtin"
    score: str = "likelihood"
    keep: str = "gain"
    dev_size: int = 16


@dataclass(frozen=True)
class BuildConfig:
    """Which dataset each iteration builds from its samples (it must match `train.method`)."""

    max_per_problem: int = 4
    balance: str = "difficulty"
    max_pairs_per_problem: int = 4


@dataclass(frozen=True)
class SelectStageConfig:
    """Budgeted data selection before SFT (`reasonloop select`): keep the `top` share of the
    built rows most influential on a validation split of the training problems (the rows of
    `val_problems` of them, which leave the pool; the test split is never touched). `method`:
    clusterucb (spends `budget` x N influence gradients), less (all N) or random; null (the
    default) trains on every built row. `clusters: null` lets the selection choose K.
    `checkpoints`: warm-up checkpoints the influence is summed over (each drawn row then
    costs that many gradients)."""

    method: str | None = None
    budget: float = 0.2
    top: float = 0.05
    clusters: int | None = None
    val_problems: int = 16
    dim: int = 8192
    max_length: int = 128
    checkpoints: int = 1


@dataclass(frozen=True)
class ValuesStageConfig:
    """Step values for `train.method: step-dpo` (`reasonloop values`): `k` rollouts from each
    step prefix of the wrong samples, at most `max_steps` steps a sample (null: all), steps
    split by `split_rule`; first pits found by the `value` (hard: any rollout correct, as
    Setlur et al.; soft: the share)."""

    k: int = DEFAULT_K
    max_steps: int | None = None
    value: Literal["hard", "soft"] = "hard"
    split_rule: SplitRule = "default"


@dataclass(frozen=True)
class TrainStageConfig:
    """`method` picks the TRL trainer; `options` are that trainer's config fields (DPO's for
    step-dpo, whose SFT phase takes the fields SFT shares with them, not the learning rate)."""

    method: LoopTrainMethod = "sft"
    options: dict[str, Any] = field(default_factory=dict)
    # previous: each iteration trains the model the iteration before made (online, as B-STaR);
    # base: each trains the base model again on rows sampled by the latest model (as STaR)
    start: Literal["previous", "base"] = "previous"


@dataclass(frozen=True)
class EvalConfig:
    """Held-out evaluation: greedy accuracy every iteration, plus `k` sampled answers per
    problem for the pass@k curves of the base and the final model (k=0: none)."""

    max_new_tokens: int = 64
    k: int = 0
    temperature: float = 0.8
    batch_size: int = 32
    examples: int = 30


@dataclass(frozen=True)
class LoopConfig:
    """One self-improvement run. `task` is a built-in task spec or reasoning-gym tasks
    (`rg:chain_sum?max_terms=3`, or in YAML `{reasoning_gym: chain_sum, options: {...}}`,
    read into that string); `data` a problem file or
    dataset name (it wins over `task`). `test_data`, when set, is the held-out split;
    otherwise `n_test` problems are split off disjointly from the same source."""

    model: str = "default"
    task: str = "arithmetic:digits=2"
    data: str | None = None
    format: str = "auto"
    question_field: str | None = None
    answer_field: str | None = None
    test_data: str | None = None
    n_train: int = 200
    n_test: int = 100
    seed: int = 0
    iterations: int = 2
    template: str = "default"
    hard_cut: float = 1 / 3
    medium_cut: float = 2 / 3
    backend: BackendConfig = field(default_factory=BackendConfig)
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    bstar: BStarConfig = field(default_factory=BStarConfig)
    resample: ResampleConfig = field(default_factory=ResampleConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    synthesize: SynthesizeConfig = field(default_factory=SynthesizeConfig)
    select: SelectStageConfig = field(default_factory=SelectStageConfig)
    values: ValuesStageConfig = field(default_factory=ValuesStageConfig)
    safety: SafetyStageConfig = field(default_factory=SafetyStageConfig)
    train: TrainStageConfig = field(default_factory=TrainStageConfig)
    eval: EvalConfig = field(default_factory=EvalConfig)
    judge: JudgeConfig = field(default_factory=JudgeConfig)
    executor: ExecutorConfig = field(default_factory=ExecutorConfig)  # where sampling runs
    # Trained models kept on disk: "final" removes an iteration's weights once the next one
    # has trained on them (a re-run that needs them trains them again); "all" keeps them.
    keep_models: Literal["final", "all"] = "final"

    def __post_init__(self) -> None:
        check_config(self)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.judge == JudgeConfig():  # run directories made before the judge existed resume
            del data["judge"]
        if self.bstar == BStarConfig():  # and those made before B-STaR existed
            del data["bstar"]
        elif self.bstar.prm is None:  # and B-STaR runs made before its PRM option
            del data["bstar"]["prm"]
        if self.values == ValuesStageConfig():  # and those made before step values existed
            del data["values"]
        if self.safety == SafetyStageConfig():  # and those made before the safety section
            del data["safety"]
        if self.train.start == "previous":  # and those made before restarts from the base
            del data["train"]["start"]
        if self.select == SelectStageConfig():  # and those made before selection existed
            del data["select"]
        elif self.select.checkpoints == 1:  # and selections made before checkpoints existed
            del data["select"]["checkpoints"]
        # Where a run runs is not what it is: begun on a laptop, it resumes on a Ray cluster;
        # nor what it keeps on disk.
        del data["executor"], data["keep_models"]
        return data


def check_config(config: LoopConfig) -> None:
    """Raise ConfigError for values no run could use."""
    positive = {
        "iterations": config.iterations,
        "n_test": config.n_test,
        "sampling.k": config.sampling.k,
        "sampling.max_new_tokens": config.sampling.max_new_tokens,
        "sampling.batch_size": config.sampling.batch_size,
        "eval.max_new_tokens": config.eval.max_new_tokens,
        "values.k": config.values.k,
    }
    for name, value in positive.items():
        if value < 1:
            raise ConfigError(f"{name} must be at least 1, got {value}")
    if config.data is None and config.n_train < 1:
        raise ConfigError(f"n_train must be at least 1, got {config.n_train}")
    if config.eval.k < 0 or config.resample.budget < 0:
        raise ConfigError("eval.k and resample.budget must not be negative")
    check_select(config)
    check_bstar(config)
    check_task(config)
    # Validates the trainer name and its option names now, not after an hour of sampling.
    train_config_from_dict(trainer_of(config.train.method), config.train.options)
    if config.train.method in REWARD_MODELS:
        raise ConfigError(
            f"train.method {config.train.method} trains a reward model, not the policy the loop "
            "improves; use sft, dpo, grpo or step-dpo (and `reasonloop train --method "
            f"{config.train.method}` outside the loop)"
        )
    if config.values.max_steps is not None and config.values.max_steps < 1:
        raise ConfigError(
            f"values.max_steps must be at least 1 (or null), got {config.values.max_steps}"
        )
    if config.safety.rows and config.train.method != "sft":
        raise ConfigError("safety.rows adds SFT rows: it needs train.method sft (or rows: 0)")


def check_task(config: LoopConfig) -> None:
    """A task spec's generator and options are checked when the config is read: a typo in
    `task: rg:...` fails now, naming the valid names or options, not when the run loads it."""
    if config.data is not None:  # `data` wins over `task`: the task is not used
        return
    from reasonloop.tasks.gym import is_gym_spec, parse_gym_spec
    from reasonloop.tasks.procedural import is_task_spec, parse_task_spec

    try:
        if is_gym_spec(config.task):
            parse_gym_spec(config.task)
        elif is_task_spec(config.task):
            parse_task_spec(config.task)
    except ConfigError as error:
        raise ConfigError(f"task: {error}") from None


def check_bstar(config: LoopConfig) -> None:
    b = config.bstar
    if not b.temperatures or not all(
        isinstance(t, int | float) and not isinstance(t, bool) and t > 0 for t in b.temperatures
    ):
        raise ConfigError(
            f"bstar.temperatures must be a list of temperatures above 0, got {b.temperatures!r}"
        )
    for name in ("dev_size", "k", "n_star"):
        if getattr(b, name) < 1:
            raise ConfigError(f"bstar.{name} must be at least 1, got {getattr(b, name)}")
    if b.prm is not None and not Path(b.prm).is_dir():
        raise ConfigError(
            f"bstar.prm must be a process reward model directory (reasonloop train --method "
            f"prm), got {b.prm!r}; null scores by the verifier alone"
        )


def check_select(config: LoopConfig) -> None:
    s = config.select
    methods = ("clusterucb", "less", "random")
    if s.method is None:
        return
    if s.method not in methods:
        raise ConfigError(
            f"select.method must be one of {', '.join(methods)} or null, got {s.method!r}"
        )
    if config.train.method != "sft":
        raise ConfigError(
            f"select needs train.method sft (it ranks SFT rows), got {config.train.method}"
        )
    for name in ("budget", "top"):
        if not 0.0 < getattr(s, name) <= 1.0:
            raise ConfigError(f"select.{name} must be in (0, 1], got {getattr(s, name)}")
    if s.val_problems < 1 or (s.clusters is not None and s.clusters < 1):
        raise ConfigError("select.val_problems and select.clusters must be at least 1")
    if s.checkpoints < 1:
        raise ConfigError(f"select.checkpoints must be at least 1, got {s.checkpoints}")


def load_config(path: str | Path | None, overrides: Mapping[str, Any] | None = None) -> LoopConfig:
    """The config in `path` (YAML) with dotted `overrides` applied; None means all defaults.

    >>> load_config(None, {"sampling.k": 4}).sampling.k
    4
    """
    data: dict[str, Any] = {}
    if path is not None:
        data = read_yaml(Path(path))
    for dotted, value in (overrides or {}).items():
        set_dotted(data, dotted, value)
    read_task_mapping(data)
    config: LoopConfig = config_from_dict(LoopConfig, data, where="config")
    return config


def apply_overrides(config: LoopConfig, overrides: Mapping[str, Any]) -> LoopConfig:
    """A copy of `config` with dotted `overrides` applied and checked like a YAML file."""
    data = config.to_dict()
    for dotted, value in overrides.items():
        set_dotted(data, dotted, value)
    read_task_mapping(data)
    result: LoopConfig = config_from_dict(LoopConfig, data, where="config")
    return result


def read_task_mapping(data: dict[str, Any]) -> None:
    """`task: {reasoning_gym: chain_sum, options: {...}}` becomes its `rg:` spec string, the
    form the rest of the loop (and the CLI's --task) reads; see `reasonloop.tasks.gym`."""
    task = data.get("task")
    if isinstance(task, Mapping):
        from reasonloop.tasks.gym import spec_from_mapping

        data["task"] = spec_from_mapping(task)


def read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"config file {path} is not valid YAML: {error}") from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config file {path} must hold a mapping of keys, not {type(loaded)}")
    return loaded


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set `data["a"]["b"] = value` for `dotted = "a.b"`."""
    *parents, last = dotted.split(".")
    node = data
    for key in parents:
        child = node.setdefault(key, {})
        if not isinstance(child, dict):
            raise ConfigError(f"cannot set {dotted}: {key} is not a section")
        node = child
    node[last] = value


def parse_override(text: str) -> tuple[str, Any]:
    """`"sampling.k=4"` -> `("sampling.k", 4)`; the value is read as YAML (data only)."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"an override must look like key=value (e.g. sampling.k=4), got {text!r}")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise ConfigError(f"override {text!r}: the value is not valid YAML: {error}") from error
    return key.strip(), value


def config_from_dict(cls: type[Any], data: Mapping[str, Any], *, where: str) -> Any:
    """Build dataclass `cls` from `data`, recursing into nested config sections."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where} must be a mapping, got {data!r}")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown key(s) in {where}: {', '.join(unknown)}; known keys: {', '.join(known)}"
        )
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for name, value in data.items():
        kind = hints[name]
        if isinstance(kind, type) and is_dataclass(kind):
            values[name] = config_from_dict(kind, value, where=f"{where}.{name}")
        else:
            values[name] = coerce(value, kind, f"{where}.{name}")
    try:
        return cls(**values)
    except TypeError as error:
        raise ConfigError(f"{where}: {error}") from error


def coerce(value: Any, kind: Any, where: str) -> Any:
    """Check a YAML scalar against the field's type (ints are accepted where floats are)."""
    if typing.get_origin(kind) is typing.Literal:
        if value in typing.get_args(kind):
            return value
        raise ConfigError(
            f"{where} must be one of {', '.join(map(str, typing.get_args(kind)))}, got {value!r}"
        )
    union = isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union
    allowed = typing.get_args(kind) if union else (kind,)
    for option in allowed:
        if typing.get_origin(option) is typing.Literal:  # `float | Literal["auto"]`
            if value in typing.get_args(option) and not isinstance(value, bool):
                return value
            continue
        if option is type(None) and value is None:
            return None
        if option is float and isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        origin = typing.get_origin(option) or option
        if option is not type(None) and isinstance(value, origin):
            if origin is int and isinstance(value, bool):
                continue
            return value
    raise ConfigError(f"{where} must be of type {kind}, got {value!r}")
