"""GRPO on prompt-only rows through TRL's `GRPOTrainer`, rewarded by the math verifier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.hf_models import load_hf_model
from reasonloop.backends.source import resolve_model_source
from reasonloop.errors import ConfigError
from reasonloop.train.config import GRPOTrainConfig, grpo_vllm_arguments
from reasonloop.train.prepare import (
    check_rows,
    load_chat_tokenizer,
    lora_config,
    quiet_trainer,
    trainer_arguments,
)

COLUMNS = ("prompt", "solution")


def make_grpo_trainer(
    model: str,
    dataset_rows: Sequence[Mapping[str, Any]],
    output_dir: str | Path,
    config: GRPOTrainConfig,
) -> Any:
    """A ready `trl.GRPOTrainer` with `reasonloop.rewards.math_reward` as the reward (or,
    with `config.prm`, PURE's credit from a process reward model: `prm_reward`).

    The rows' `solution` column reaches the reward as its `solution` argument (TRL passes
    every extra column through). With `beta > 0` and no LoRA, TRL loads a reference model
    from the model's path; `model_init_kwargs` carries the GGUF file name for that load.
    """
    from trl import GRPOConfig, GRPOTrainer  # type: ignore[attr-defined]

    from reasonloop.dataset.io import to_hf_dataset
    from reasonloop.rewards import math_reward

    check_rows(dataset_rows, COLUMNS, "grpo")
    check_vllm_device(config)
    source = resolve_model_source(model)
    tokenizer = load_chat_tokenizer(source)
    needs_reference = config.beta > 0 and not config.lora
    init_kwargs = {"gguf_file": source.gguf_file} if needs_reference and source.gguf_file else None
    args = GRPOConfig(
        **trainer_arguments(config, output_dir, GRPOConfig),
        num_generations=config.num_generations,
        max_completion_length=config.max_completion_length,
        temperature=config.temperature,
        beta=config.beta,
        model_init_kwargs=init_kwargs,
        # With a PRM, steps per response ride along at weight 0: logged, never rewarded.
        reward_weights=[1.0, 0.0] if config.prm else None,
        **grpo_vllm_arguments(config),
    )
    trainer = GRPOTrainer(
        model=load_hf_model(source),
        reward_funcs=reward_functions(config, math_reward),
        args=args,
        train_dataset=to_hf_dataset(dataset_rows),
        processing_class=tokenizer,
        peft_config=lora_config(config),
    )
    return quiet_trainer(trainer, config)


def reward_functions(config: GRPOTrainConfig, verifier_reward: Any) -> list[Any]:
    """The verifier's reward; or, with `config.prm`, the PRM's reward and the steps per
    response (weight 0, logged only)."""
    if not config.prm:
        return [verifier_reward]
    from reasonloop.rewards.pure import steps_per_response

    return [prm_reward(config), steps_per_response]


def prm_reward(config: GRPOTrainConfig) -> Any:
    """PURE's reward from the PRM at `config.prm` (min- or sum-form credit, with or without
    the verifier's reward)."""
    from reasonloop.rewards.prm import PRMScorer
    from reasonloop.rewards.pure import Credit, PRMReward

    assert config.prm is not None
    credit: Credit = "min" if config.prm_credit == "min" else "sum"
    return PRMReward(
        PRMScorer(config.prm, cache=None), credit=credit, verifiable=config.prm_verifiable
    )


def check_vllm_device(config: GRPOTrainConfig) -> None:
    """A clear error before any loading when vLLM generation is asked for without a GPU."""
    if config.vllm == "off":
        return
    import torch

    if not torch.cuda.is_available():
        raise ConfigError(
            f"vllm: {config.vllm} generates on a CUDA GPU and none is available here; "
            "set vllm: off (--vllm off) to train with plain generation"
        )
