"""Training options: one frozen dataclass per method, loaded from a mapping (YAML or flags)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from reasonloop.errors import ConfigError

TrainMethod = Literal["sft", "dpo", "grpo", "prm", "orm"]
TRAIN_METHODS: tuple[TrainMethod, ...] = get_args(TrainMethod)
# How GRPO generates its groups: the policy's own generate (off), or TRL's vLLM integration on
# a GPU, inside the training process (colocate) or from a `trl vllm-serve` server (server).
VLLMMode = Literal["off", "colocate", "server"]
VLLM_MODES: tuple[VLLMMode, ...] = get_args(VLLMMode)


@dataclass(frozen=True)
class TrainConfig:
    """Options every trainer takes. `max_steps` (when set) overrides `epochs`.

    The defaults suit a ~100M-parameter model on a few hundred short rows; with `lora=True`
    raise `learning_rate` about tenfold (adapters learn slower than full weights).
    """

    epochs: float = 1.0
    max_steps: int | None = None
    learning_rate: float = 2e-5
    batch_size: int = 8
    gradient_accumulation_steps: int = 1
    max_length: int = 256
    seed: int = 0
    logging_steps: int = 1
    lr_scheduler: str = "linear"
    warmup_steps: int = 0
    gradient_checkpointing: bool = False
    lora: bool = False
    lora_rank: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0
    show_progress: bool = False

    def __post_init__(self) -> None:
        for name in ("batch_size", "gradient_accumulation_steps", "max_length", "logging_steps"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.max_steps is not None and self.max_steps < 1:
            raise ConfigError(f"max_steps must be at least 1 (or unset), got {self.max_steps}")
        if self.epochs <= 0 or self.learning_rate <= 0:
            raise ConfigError("epochs and learning_rate must be positive")
        if self.lora and self.lora_rank < 1:
            raise ConfigError(f"lora_rank must be at least 1, got {self.lora_rank}")


@dataclass(frozen=True)
class SFTTrainConfig(TrainConfig):
    """SFT on prompt-completion rows; the loss covers the completion only (TRL's default)."""


@dataclass(frozen=True)
class DPOTrainConfig(TrainConfig):
    """DPO: `beta` is the strength of the pull towards the reference (starting) model."""

    learning_rate: float = 5e-6
    beta: float = 0.1


@dataclass(frozen=True)
class GRPOTrainConfig(TrainConfig):
    """GRPO: `batch_size` counts completions, so it must hold whole groups of `num_generations`.

    `beta = 0` (TRL's default) drops the KL term and with it the reference model. `vllm`
    generates the groups through TRL's vLLM integration (GPU only; `off` on a CPU);
    `vllm_server_url` names the server of `vllm: server` (None: TRL's default host and port).
    `prm` (a directory from `train --method prm`) rewards by the PRM's step scores instead of
    the verifier alone: PURE's min-form credit (`prm_credit: min`) or the sum-form baseline
    (`sum`), plus the verifier's reward when `prm_verifiable` (`reasonloop.rewards.pure`).
    """

    learning_rate: float = 1e-6
    num_generations: int = 4
    max_completion_length: int = 128
    temperature: float = 1.0
    beta: float = 0.0
    vllm: VLLMMode = "off"
    vllm_server_url: str | None = None
    vllm_gpu_memory_utilization: float = 0.3
    prm: str | None = None
    prm_credit: str = "min"
    prm_verifiable: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.prm_credit not in ("min", "sum"):
            raise ConfigError(f"prm_credit must be min or sum, got {self.prm_credit!r}")
        if self.vllm not in VLLM_MODES:
            raise ConfigError(f"vllm must be one of {', '.join(VLLM_MODES)}, got {self.vllm!r}")
        if self.vllm_server_url is not None and self.vllm != "server":
            raise ConfigError("vllm_server_url applies to vllm: server only")
        if not 0 < self.vllm_gpu_memory_utilization <= 1:
            raise ConfigError(
                "vllm_gpu_memory_utilization must be in (0, 1], "
                f"got {self.vllm_gpu_memory_utilization}"
            )
        if self.num_generations < 2:
            raise ConfigError(f"num_generations must be at least 2, got {self.num_generations}")
        if (self.batch_size * self.gradient_accumulation_steps) % self.num_generations:
            raise ConfigError(
                f"batch_size * gradient_accumulation_steps "
                f"({self.batch_size * self.gradient_accumulation_steps}) must be a multiple of "
                f"num_generations ({self.num_generations})"
            )


@dataclass(frozen=True)
class PRMTrainConfig(TrainConfig):
    """A process reward model on stepwise rows (`prompt`, `completions`, `labels`).

    `step_separator` follows every step (its last token carries the step's label);
    `soft_labels` names a column of floats in [0, 1] to train on instead of the bool `labels`
    (e.g. Math-Shepherd step values). `eval_fraction` of the prompts is held out for the
    validation loss and step accuracy, logged every `eval_every` (a share of the steps when
    below 1, else a step count). Steps are long: `max_length` defaults to 1024 tokens.
    `top_layers` trains only the last N transformer layers and the head (the rest frozen, so
    the backward pass stops early: what makes a CPU run affordable); None trains them all.
    """

    max_length: int = 1024
    step_separator: str = "\n"
    soft_labels: str | None = None
    eval_fraction: float = 0.1
    eval_every: float = 0.5
    top_layers: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.top_layers is not None and (self.top_layers < 0 or self.lora):
            raise ConfigError(
                f"top_layers must be 0 or more and applies without LoRA, got {self.top_layers}"
                f"{' with lora' if self.lora else ''}"
            )
        if not self.step_separator:
            raise ConfigError("step_separator must not be empty")
        if not 0 <= self.eval_fraction < 1:
            raise ConfigError(f"eval_fraction must be in [0, 1), got {self.eval_fraction}")
        if self.eval_every <= 0 or (
            self.eval_every > 1 and self.eval_every != int(self.eval_every)
        ):
            raise ConfigError(
                f"eval_every must be a share of the steps (below 1) or a whole number of "
                f"steps, got {self.eval_every}"
            )


@dataclass(frozen=True)
class ORMTrainConfig(TrainConfig):
    """An outcome reward model on prompt / chosen / rejected pairs (TRL's `RewardTrainer`):
    the pairs `reasonloop build dpo` makes from a run, a correct response over a wrong one.
    `center_rewards_coefficient` (TRL's; e.g. 0.01) keeps the scores centred on zero."""

    learning_rate: float = 1e-5
    max_length: int = 512
    center_rewards_coefficient: float | None = None


def grpo_vllm_arguments(config: GRPOTrainConfig) -> dict[str, Any]:
    """TRL `GRPOConfig` keywords for `config.vllm` (plain generation when off).

    >>> grpo_vllm_arguments(GRPOTrainConfig())
    {'use_vllm': False}
    """
    if config.vllm == "off":
        return {"use_vllm": False}
    arguments: dict[str, Any] = {"use_vllm": True, "vllm_mode": config.vllm}
    if config.vllm == "colocate":
        arguments["vllm_gpu_memory_utilization"] = config.vllm_gpu_memory_utilization
    elif config.vllm_server_url is not None:
        arguments["vllm_server_base_url"] = config.vllm_server_url
    return arguments


CONFIGS: dict[str, type[TrainConfig]] = {
    "sft": SFTTrainConfig,
    "dpo": DPOTrainConfig,
    "grpo": GRPOTrainConfig,
    "prm": PRMTrainConfig,
    "orm": ORMTrainConfig,
}


def train_config_from_dict(kind: str, data: Mapping[str, Any]) -> TrainConfig:
    """The config of trainer `kind` from a mapping (e.g. YAML); unknown keys are an error."""
    if kind not in CONFIGS:
        raise ConfigError(f"unknown trainer {kind!r}; choose one of {', '.join(CONFIGS)}")
    config_class = CONFIGS[kind]
    known = {f.name for f in fields(config_class)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(
            f"unknown {kind} training option(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    return config_class(**data)
