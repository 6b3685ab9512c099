"""Models as the loop passes them between stages: plain HF directories on disk."""

from __future__ import annotations

from pathlib import Path

from reasonloop.backends.base import Sampler
from reasonloop.backends.registry import load_sampler
from reasonloop.loop.config import BackendConfig
from reasonloop.train.common import DEFAULT_MODEL, load_model, load_tokenizer, resolve_model


def materialize_model(model: str, out_dir: Path) -> str:
    """A directory the sampler and the trainers load fast: `model` itself, unless it is a GGUF.

    The embedded default is converted once into the user's cache (`prepare_default_model`);
    any other GGUF file is de-quantized once into `out_dir`.
    """
    source = resolve_model(model)
    if source.gguf_file is None:
        return source.path
    from reasonloop.backends.default import prepare_default_model
    from reasonloop.backends.transformers import forget_gguf_origin  # imports torch

    if model == DEFAULT_MODEL:
        return prepare_default_model()
    if (out_dir / "config.json").is_file():
        return str(out_dir)
    loaded = load_model(source)
    forget_gguf_origin(loaded)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    loaded.save_pretrained(tmp)
    load_tokenizer(source).save_pretrained(tmp)
    tmp.rename(out_dir)  # atomic: a killed conversion never leaves a half-written model
    return str(out_dir)


class SamplerCache:
    """Keeps the one sampler in use, so evaluating a model and then sampling from it for the
    next iteration loads it once (state: the loaded model)."""

    def __init__(self, backend: BackendConfig, batch_size: int) -> None:
        self._backend = backend
        self._batch_size = batch_size
        self._model: str | None = None
        self._sampler: Sampler | None = None

    def get(self, model_dir: str) -> Sampler:
        """The sampler for the loop's current model `model_dir` (or the configured model)."""
        model = self._backend.model or model_dir
        if self._sampler is None or self._model != model:
            self._sampler = None  # free the previous model first
            options = dict(self._backend.options)
            if self._backend.name in ("transformers", "default"):
                options.setdefault("batch_size", self._batch_size)
            self._sampler = load_sampler(self._backend.name, model, **options)
            self._model = model
        return self._sampler
