"""GRPO's vLLM switch: config -> TRL GRPOConfig keywords; off on a CPU; checked options."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.train.config import GRPOTrainConfig, grpo_vllm_arguments, train_config_from_dict


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, {"use_vllm": False}),
        ({"vllm": "off"}, {"use_vllm": False}),
        (
            {"vllm": "colocate"},
            {"use_vllm": True, "vllm_mode": "colocate", "vllm_gpu_memory_utilization": 0.3},
        ),
        (
            {"vllm": "colocate", "vllm_gpu_memory_utilization": 0.5},
            {"use_vllm": True, "vllm_mode": "colocate", "vllm_gpu_memory_utilization": 0.5},
        ),
        ({"vllm": "server"}, {"use_vllm": True, "vllm_mode": "server"}),
        (
            {"vllm": "server", "vllm_server_url": "http://gpu-node:8000"},
            {
                "use_vllm": True,
                "vllm_mode": "server",
                "vllm_server_base_url": "http://gpu-node:8000",
            },
        ),
    ],
)
def test_vllm_modes_map_to_trl_grpo_config(options: dict[str, Any], expected: Any) -> None:
    config = train_config_from_dict("grpo", options)
    assert isinstance(config, GRPOTrainConfig)
    assert grpo_vllm_arguments(config) == expected


def test_the_mapped_keywords_are_trl_grpo_config_fields() -> None:
    trl = pytest.importorskip("trl")
    from dataclasses import fields

    known = {f.name for f in fields(trl.GRPOConfig)}
    for config in (
        GRPOTrainConfig(vllm="colocate"),
        GRPOTrainConfig(vllm="server", vllm_server_url="http://h:1"),
    ):
        assert set(grpo_vllm_arguments(config)) <= known


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"vllm": "remote"}, "vllm must be one of off, colocate, server"),
        ({"vllm": "colocate", "vllm_server_url": "http://h:1"}, "applies to vllm: server only"),
        ({"vllm": "colocate", "vllm_gpu_memory_utilization": 0.0}, r"must be in \(0, 1\]"),
    ],
)
def test_bad_vllm_options_name_the_option(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        train_config_from_dict("grpo", options)


def test_vllm_generation_without_a_gpu_is_a_clear_error() -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a GPU is here")
    from reasonloop.train.grpo import check_vllm_device

    check_vllm_device(GRPOTrainConfig())  # off: plain generation, fine on a CPU
    with pytest.raises(ConfigError, match="set vllm: off"):
        check_vllm_device(GRPOTrainConfig(vllm="colocate"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["grpo", "--vllm", "colocate"], "colocate"),
        (["grpo", "--vllm", "server", "--vllm-server-url", "http://h:8000"], "server"),
        (["grpo"], "off"),
    ],
)
def test_train_cli_sets_the_vllm_mode(argv: list[str], expected: str) -> None:
    from reasonloop.cli.train import add_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args([*argv, "--model", "m", "--data", "d.jsonl", "--out", "o"])
    assert config_from_args(args).vllm == expected


def test_train_cli_refuses_vllm_for_sft() -> None:
    from reasonloop.cli.train import add_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    argv = ["sft", "--vllm", "colocate", "--model", "m", "--data", "d", "--out", "o"]
    args = parser.parse_args(argv)
    with pytest.raises(ConfigError, match="--vllm does not apply to sft"):
        config_from_args(args)
