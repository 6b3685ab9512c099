"""The loop samples on the CPU engine by default; a model the engine cannot convert is an
error that names the loop's way out (the transformers backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reasonloop.loop.config import LoopConfig
from reasonloop.loop.models import SamplerCache

pytest.importorskip("ctranslate2")


def test_a_model_the_engine_cannot_convert_names_the_loop_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reasonloop.backends import ctranslate2

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ctranslate2.EngineConversionError("CTranslate2 cannot convert the model in 'x'.")

    monkeypatch.setattr(ctranslate2, "convert_model", refuse)
    samplers = SamplerCache(LoopConfig().backend, batch_size=8)
    assert samplers.converts  # the default backend is the CPU engine
    with pytest.raises(ctranslate2.EngineConversionError, match="backend: {name: transformers}"):
        samplers.convert(str(tmp_path), None)
