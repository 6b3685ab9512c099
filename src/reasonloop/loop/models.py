"""The loop's sampler: one loaded model at a time, reused between evaluating and sampling.

With the CPU engine (`backend.name: ctranslate2`) each model the loop samples from (the base
model, then each iteration's trained weights) is converted once by a stage of its own; the
sampler then loads the converted copy of the model directory it is asked for.
"""

from __future__ import annotations

from pathlib import Path

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
        self._converted: dict[str, str] = {}  # model directory -> its engine copy

    @property
    def converts(self) -> bool:
        """Whether the loop's own models must be converted for the CPU engine first."""
        return self._backend.name == "ctranslate2" and self._backend.model is None

    def convert(self, model_dir: str, cache_dir: Path | None) -> tuple[str, bool]:
        """Convert `model_dir` for the engine, cached by its weights in `cache_dir` (None:
        the user's cache): (the copy, whether it was there already)."""
        from reasonloop.backends.ctranslate2 import EngineConversionError, convert_model

        quantization = str(self._backend.options.get("compute_type", "int8"))
        try:
            conversion = convert_model(model_dir, cache_dir, quantization=quantization)
        except EngineConversionError as error:
            # The CPU engine is the default backend: name the loop's own way out.
            raise EngineConversionError(
                f"{error} In a loop config: `backend: {{name: transformers}}` "
                "(or --set backend.name=transformers)."
            ) from error
        return conversion.path, conversion.cached

    def use_converted(self, model_dir: str, engine_dir: str) -> None:
        """Sample `model_dir` from its converted copy `engine_dir`."""
        self._converted[model_dir] = engine_dir

    def engine_ready(self, model_dir: str) -> bool:
        """Whether the engine copy of `model_dir` is on disk (removed with its weights by
        `keep_models: final`, or never made)."""
        engine = self._converted.get(model_dir)
        return engine is not None and Path(engine).is_dir()

    def spec(self, model_dir: str) -> SamplerSpec:
        """How the loop builds the sampler of `model_dir` (or of the configured model)."""
        options = dict(self._backend.options)
        if self._backend.name in ("transformers", "default", "ctranslate2"):
            options.setdefault("batch_size", self._batch_size)
        model = self._backend.model or self._converted.get(model_dir, model_dir)
        return SamplerSpec(self._backend.name, model, options)

    def get(self, model_dir: str) -> Sampler:
        """The sampler for the loop's current model `model_dir` (or the configured model)."""
        spec = self.spec(model_dir)
        if self._sampler is None or self._model != spec.model:
            self._sampler = None  # free the previous model first
            self._sampler = spec.load()
            self._model = spec.model
        return self._sampler
