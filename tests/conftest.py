"""Shared fixtures.

`tiny_model_dir`: a tiny Llama chat model (see `tests/tiny_model.py`), built once per session.
Tests that change weights must copy it first (or call `build_tiny_model(tmp_path)` themselves).
`answering_model`: (a tiny model taught to answer "The answer is 7." or "... 8.", a problem file
whose golds are 7 and 8), so a loop on it finds correct samples and measurable accuracy.

`scripts/test.sh` runs the suite on every core (pytest-xdist, `--dist loadgroup`); the tests
marked `ray` each start a Ray cluster of 2 CPUs, so they are slow and share one worker
(`xdist_group`) instead of two clusters fighting over the same cores.
"""

from __future__ import annotations

import os
from pathlib import Path

# Offline as the CLI is (`reasonloop.cli.main.OFFLINE`), before any test imports the Hugging
# Face libraries: they read these variables once, at import, so a test that calls the CLI's
# `main` after another test imported them would otherwise reach for the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from tiny_model import build_tiny_model  # noqa: E402

# Hypothesis fails an example that takes over 200 ms. With two xdist workers on two cores, or
# other jobs on the machine, that measures the machine, not the code; the tests that bound
# the verifier's work time it themselves.
settings.register_profile("reasonloop", deadline=None)
settings.load_profile("reasonloop")


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("ray") is not None:
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("ray"))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("transformers")
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model"))


@pytest.fixture(scope="session")
def answering_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    pytest.importorskip("trl")
    from reasonloop.files import write_jsonl
    from reasonloop.prompts import DEFAULT_TEMPLATE
    from reasonloop.tasks import Problem
    from reasonloop.train import train

    root = Path(tmp_path_factory.mktemp("answering"))
    problems = [Problem(f"p{i}", f"Which number is in box {i}?", "78"[i % 2]) for i in range(48)]
    rows = [
        {
            "prompt": DEFAULT_TEMPLATE.render(p),
            "completion": [{"role": "assistant", "content": f"The answer is {p.gold}."}],
        }
        for p in problems[:32]
    ]
    options = {"max_steps": 60, "learning_rate": 3e-3, "batch_size": 8}
    model = train("sft", build_tiny_model(root / "base"), rows, root / "answers", options)
    data = root / "boxes.jsonl"
    write_jsonl(data, ({"question": p.question, "answer": p.gold} for p in problems[32:]))
    return model.output_dir, str(data)
