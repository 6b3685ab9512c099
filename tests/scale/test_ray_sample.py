"""The sample stage on the ray executor: the same samples as the local executor, resumable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.tasks import generate_task

pytestmark = pytest.mark.ray

SPEC = SamplerSpec("fake", "arithmetic")
PARAMS = SamplingParams(max_new_tokens=64, temperature=0.8, seed=3)
PROBLEMS = generate_task("arithmetic", 12, seed=0, digits=2)


def draw(run_dir: Path, executor: ExecutorConfig | None, k: int = 4, rnd: int = 0) -> list[Any]:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        sample_problems(
            PROBLEMS,
            SPEC.load(),
            PARAMS,
            store,
            k=k,
            template=DEFAULT_TEMPLATE,
            round=rnd,
            batch_size=5,
            progress=False,
            executor=executor,
            spec=SPEC,
        )
        return comparable(store)


def comparable(store: RunStore) -> list[tuple[Any, ...]]:
    """Every stored sample without its timing, in key order."""
    return sorted(
        (
            s.problem_id,
            s.sample_index,
            s.round,
            s.response,
            s.correct,
            s.status,
            s.answer,
            s.completion_tokens,
            s.max_new_tokens,
        )
        for s in store.samples()
    )


@pytest.mark.parametrize("actors", [1, 2])
def test_ray_executor_draws_the_samples_the_local_one_draws(
    ray_cluster: Any, tmp_path: Path, actors: int
) -> None:
    local = draw(tmp_path / "local", None)
    remote = draw(tmp_path / "ray", ExecutorConfig("ray", actors=actors, cpus_per_actor=0.5))
    assert len(local) == len(PROBLEMS) * 4
    assert remote == local


def test_ray_executor_resumes_and_draws_later_rounds_like_the_local_one(
    ray_cluster: Any, tmp_path: Path
) -> None:
    executor = ExecutorConfig("ray", cpus_per_actor=0.5)
    draw(tmp_path / "ray", executor, k=2)
    assert draw(tmp_path / "ray", executor, k=2) == draw(tmp_path / "local", None, k=2)
    later = draw(tmp_path / "ray", executor, k=3, rnd=1)
    assert later == draw(tmp_path / "local", None, k=3, rnd=1)
    assert len(later) == len(PROBLEMS) * 5


def test_ray_executor_needs_the_backend_spec(ray_cluster: Any, tmp_path: Path) -> None:
    from reasonloop.errors import ConfigError

    with RunStore.open(tmp_path / "run", fake_fingerprint()) as store:
        with pytest.raises(ConfigError, match="spec"):
            sample_problems(
                PROBLEMS,
                FakeSampler("arithmetic"),
                PARAMS,
                store,
                k=1,
                template=DEFAULT_TEMPLATE,
                progress=False,
                executor=ExecutorConfig("ray"),
            )
        assert store.count() == 0


def test_the_loop_samples_on_its_configured_executor(ray_cluster: Any, tmp_path: Path) -> None:
    from reasonloop.loop.config import load_config
    from reasonloop.loop.stages import sample_stage

    def stage(run_dir: Path, overrides: dict[str, Any]) -> dict[str, list[Any]]:
        config = load_config(None, {"sampling.k": 3, "sampling.batch_size": 4, **overrides})
        return sample_stage(
            PROBLEMS, SPEC.load(), SPEC, DEFAULT_TEMPLATE, config, run_dir, progress=False
        )

    on_ray = stage(tmp_path / "ray", {"executor": {"name": "ray", "cpus_per_actor": 0.5}})
    here = stage(tmp_path / "local", {})
    assert sum(len(group) for group in on_ray.values()) == len(PROBLEMS) * 3
    responses = {pid: [(s.sample_index, s.response) for s in group] for pid, group in here.items()}
    assert {pid: [(s.sample_index, s.response) for s in g] for pid, g in on_ray.items()} == (
        responses
    )
