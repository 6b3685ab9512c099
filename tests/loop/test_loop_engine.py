"""The loop on the CPU engine: each model it samples from is converted by a stage of its own
(the base model into the user's cache, trained weights under the run), and resumes skip it.

The tiny random model never answers right, and a loop without a correct sample has nothing to
train on; so the backend named "ctranslate2" here loads the real engine on the converted copy
it is given and runs it, then hands back the fake arithmetic model's answers instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.backends import Conversation, FakeSampler, SamplingParams
from reasonloop.backends.base import Completion
from reasonloop.backends.registry import BACKENDS
from reasonloop.loop import load_config, run_loop

pytest.importorskip("trl")
pytest.importorskip("ctranslate2")


class EngineAnsweringRight:
    """The CTranslate2 backend on a converted copy, answering like the fake arithmetic model."""

    def __init__(self, model: str, **options: Any) -> None:
        from reasonloop.backends.ctranslate2 import CTranslate2Sampler, is_converted

        assert is_converted(model), f"the loop passed {model}, not a converted copy"
        self.engine = CTranslate2Sampler(model, **options)
        self.fake = FakeSampler("arithmetic", accuracy=0.5)
        self.model_id = self.engine.model_id

    def generate(
        self, conversations: list[Conversation], params: SamplingParams
    ) -> list[Completion]:
        drawn = self.engine.generate(conversations, params)
        assert len(drawn) == len(conversations)
        return self.fake.generate(conversations, params)


@pytest.fixture(scope="module", autouse=True)
def engine_answering_right() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(BACKENDS, "ctranslate2", f"{__name__}:EngineAnsweringRight")
        yield


def engine_config(model: str) -> Any:
    return load_config(
        None,
        {
            "model": model,
            "n_train": 6,
            "n_test": 4,
            "iterations": 1,
            "backend.name": "ctranslate2",
            "backend.options": {"num_threads": 1},
            "sampling.k": 2,
            "sampling.max_new_tokens": 32,
            "train.options": {"max_steps": 1, "batch_size": 4},
            "build.max_per_problem": 2,
            "eval.k": 2,
            "eval.max_new_tokens": 32,
        },
    )


@pytest.fixture(scope="module")
def engine_run(
    tmp_path_factory: pytest.TempPathFactory, engine_answering_right: None
) -> tuple[Path, Path, list[str]]:
    from tiny_model import build_tiny_model

    root = tmp_path_factory.mktemp("engine-loop")
    cache = root / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REASONLOOP_CACHE_DIR", str(cache))
        model = build_tiny_model(root / "tiny")
        messages: list[str] = []
        run_loop(engine_config(model), root / "run", progress=False, notify=messages.append)
    return root, cache, messages


def stages_of(run_dir: Path) -> dict[str, Any]:
    stages: dict[str, Any] = json.loads((run_dir / "stages.json").read_text())
    return stages


def test_each_sampled_model_is_converted_by_its_own_stage(
    engine_run: tuple[Path, Path, list[str]],
) -> None:
    root, cache, _ = engine_run
    stages = stages_of(root / "run")
    names = list(stages)
    assert (
        names.index("base-model") < names.index("base-model/convert") < names.index("iter-0/eval")
    )
    assert names.index("iter-1/train") < names.index("iter-1/convert") < names.index("iter-1/eval")
    base = Path(stages["base-model/convert"]["engine_dir"])
    trained = Path(stages["iter-1/convert"]["engine_dir"])
    assert base.parent == cache / "ctranslate2" and (base / "model.bin").is_file()
    assert (
        trained.parent == root / "run" / "models" / "engine" and (trained / "model.bin").is_file()
    )
    assert stages["iter-1/convert"]["seconds"] > 0 and stages["iter-1/convert"]["cached"] is False


def test_the_engine_samples_the_converted_copies(
    engine_run: tuple[Path, Path, list[str]],
) -> None:
    root, _, _ = engine_run
    stages = stages_of(root / "run")
    runs = {
        "base-model/convert": ["iter-0/eval/greedy"],
        "iter-1/convert": ["iter-1/eval/greedy", "iter-1/eval/sampled"],
    }
    for stage, run_dirs in runs.items():
        for run_dir in run_dirs:
            recorded = json.loads((root / "run" / run_dir / "run.json").read_text())
            sampler = recorded["fingerprint"]["sampler"]
            assert (sampler["backend"], sampler["model"]) == (
                "ctranslate2",
                stages[stage]["engine_dir"],
            )
    # Iteration 1 samples from the base model (before training), i.e. from its copy.
    recorded = json.loads((root / "run" / "iter-1" / "samples" / "run.json").read_text())
    assert recorded["fingerprint"]["sampler"]["model"] == stages["base-model/convert"]["engine_dir"]


def test_a_rerun_skips_the_conversions(engine_run: tuple[Path, Path, list[str]]) -> None:
    root, cache, _ = engine_run
    before = stages_of(root / "run")
    messages: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REASONLOOP_CACHE_DIR", str(cache))
        run_loop(
            engine_config(str(root / "tiny")), root / "run", progress=False, notify=messages.append
        )
    assert "[base-model/convert] done already, skipped" in messages
    assert "[iter-1/convert] done already, skipped" in messages
    assert stages_of(root / "run") == before


def test_a_new_run_reuses_the_base_models_copy(engine_run: tuple[Path, Path, list[str]]) -> None:
    root, cache, _ = engine_run
    first = stages_of(root / "run")["base-model/convert"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REASONLOOP_CACHE_DIR", str(cache))
        config = engine_config(str(root / "tiny"))
        run_loop(config, root / "second", progress=False)
    again = stages_of(root / "second")["base-model/convert"]
    assert again["engine_dir"] == first["engine_dir"] and again["cached"] is True
