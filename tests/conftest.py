"""Shared fixtures.

`tiny_model_dir`: a tiny Llama chat model (see `tests/tiny_model.py`), built once per session.
Tests that change weights must copy it first (or call `build_tiny_model(tmp_path)` themselves).
"""

from __future__ import annotations

import pytest

from tiny_model import build_tiny_model


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("transformers")
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))
