"""The loop config: YAML in, typed dataclasses out, every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.errors import ConfigError
from reasonloop.loop import (
    LoopConfig,
    apply_overrides,
    demo_config,
    example,
    load_config,
    parse_override,
)
from reasonloop.loop.example import render_example


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "loop.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    assert load_config(None) == LoopConfig()


EXAMPLE = Path(__file__).parents[2] / "examples" / "loop.yaml"


def test_the_example_config_is_the_defaults_rendered() -> None:
    assert EXAMPLE.read_text(encoding="utf-8") == render_example(), (
        "examples/loop.yaml differs from LoopConfig's defaults; regenerate it with "
        "`python -m reasonloop.loop.example > examples/loop.yaml`"
    )
    assert load_config(EXAMPLE) == LoopConfig()


def test_the_defaults_sample_on_the_cpu_engine_and_rationalize() -> None:
    config = LoopConfig()
    assert (config.backend.name, config.sampling.rationalize) == ("ctranslate2", 4)


def test_every_key_needs_a_note_to_be_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(example.NOTES, "sampling.k")
    with pytest.raises(KeyError, match="'sampling.k' has no note"):
        render_example()


def test_rendering_a_config_shows_its_values() -> None:
    text = render_example(apply_overrides(LoopConfig(), {"backend.options": {"num_threads": 1}}))
    assert "  options: {num_threads: 1}" in text
    assert "k: 8" in text


def test_yaml_values_and_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "n_train: 50\nsampling:\n  k: 3\n  temperature: 1\n")
    config = load_config(path, {"sampling.k": 5, "train.options": {"epochs": 1}})
    assert (config.n_train, config.sampling.k, config.sampling.temperature) == (50, 5, 1.0)
    assert config.train.options == {"epochs": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("samplng:\n  k: 3\n", "unknown key(s) in config: samplng"),
        ("sampling:\n  kk: 3\n", "unknown key(s) in config.sampling: kk"),
        ("n_test: many\n", "config.n_test must be of type"),
        ("iterations: 0\n", "iterations must be at least 1"),
        ("train:\n  method: ppo\n", "config.train.method must be one of sft, dpo, grpo"),
        ("train:\n  options:\n    lr: 0.1\n", "unknown sft training option(s): lr"),
        ("sampling: 3\n", "config.sampling must be a mapping"),
        ("- a\n- b\n", "must hold a mapping"),
        ("n_train: [1\n", "not valid YAML"),
        ("eval:\n  k: true\n", "config.eval.k must be of type"),
    ],
)
def test_bad_config_is_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sampling.k=4", ("sampling.k", 4)),
        ("model=runs/m1", ("model", "runs/m1")),
        ("eval.temperature=0.5", ("eval.temperature", 0.5)),
        ("data=null", ("data", None)),
    ],
)
def test_parse_override(text: str, expected: tuple[str, object]) -> None:
    assert parse_override(text) == expected


def test_override_without_equals() -> None:
    with pytest.raises(ConfigError, match="key=value"):
        parse_override("sampling.k")


def test_demo_config_overrides_are_checked() -> None:
    config = apply_overrides(demo_config(), {"iterations": 1})
    assert config.iterations == 1 and config.model == "default"
    with pytest.raises(ConfigError, match="unknown key"):
        apply_overrides(demo_config(), {"sampling.topk": 3})
