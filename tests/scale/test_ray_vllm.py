"""Ray + vLLM: actors holding a vLLM engine on a GPU draw what one local vLLM engine draws.

Skipped without vllm and a CUDA device (this CPU machine); a session with a GPU runs it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplingParams
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks import generate_task
from tiny_model import build_tiny_model

pytestmark = [
    pytest.mark.ray,
    pytest.mark.vllm,
    pytest.mark.gpu,
    pytest.mark.skipif(importlib.util.find_spec("vllm") is None, reason="needs the vllm extra"),
]


def test_ray_vllm_actors_draw_what_a_local_vllm_engine_draws(
    ray_cluster: Any, tmp_path: Path
) -> None:
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("vllm needs a CUDA device")
    model_dir = build_tiny_model(tmp_path / "tiny", hidden_size=256, num_attention_heads=4)
    options = {"gpu_memory_utilization": 0.2, "max_model_len": 512, "enforce_eager": True}
    spec = SamplerSpec("vllm", str(model_dir), options)
    problems = generate_task("arithmetic", 8, seed=0, digits=2)
    params = SamplingParams(max_new_tokens=8, temperature=1.0, seed=0)
    drawn = []
    for name, executor in (
        ("local", None),
        ("ray", ExecutorConfig("ray", cpus_per_actor=1.0, gpus_per_actor=0.5)),
    ):
        with RunStore.open(tmp_path / name, fake_fingerprint()) as store:
            sampler = spec.load() if executor is None else None
            settings = DrawSettings(DEFAULT_TEMPLATE, runner=batch_runner(executor, spec))
            sample_problems(problems, sampler, params, store, k=2, settings=settings)  # type: ignore[arg-type]
            samples = store.samples()
            drawn.append(sorted((s.problem_id, s.sample_index, s.response) for s in samples))
            del sampler
    assert len(drawn[0]) == 16
    assert drawn[1] == drawn[0]
