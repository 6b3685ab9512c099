"""The loop's sampler: one loaded model at a time, reused between evaluating and sampling."""

from __future__ import annotations

from reasonloop.backends.base import Sampler
from reasonloop.loop.config import BackendConfig
from reasonloop.sample.fingerprint import SamplerSpec


class SamplerCache:
    """Keeps the one sampler in use, so evaluating a model and then sampling from it for the
    next iteration loads it once (state: the loaded model)."""

    def __init__(self, backend: BackendConfig, batch_size: int) -> None:
        self._backend = backend
        self._batch_size = batch_size
        self._model: str | None = None
        self._sampler: Sampler | None = None

    def spec(self, model_dir: str) -> SamplerSpec:
        """How the loop builds the sampler of `model_dir` (or of the configured model)."""
        options = dict(self._backend.options)
        if self._backend.name in ("transformers", "default"):
            options.setdefault("batch_size", self._batch_size)
        return SamplerSpec(self._backend.name, self._backend.model or model_dir, options)

    def get(self, model_dir: str) -> Sampler:
        """The sampler for the loop's current model `model_dir` (or the configured model)."""
        spec = self.spec(model_dir)
        if self._sampler is None or self._model != spec.model:
            self._sampler = None  # free the previous model first
            self._sampler = spec.load()
            self._model = spec.model
        return self._sampler
