"""A sampling actor killed mid-run (SIGKILL): Ray restarts it and redoes its batch, and the
run ends with every (problem, sample) exactly once, the samples of the local executor."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
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
from reasonloop.scale.executor import ExecutorConfig, WorkerLostError
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks import generate_task

pytestmark = pytest.mark.ray

# A slow fake model (0.25 s a batch, 30 batches) keeps the actor busy long enough to be killed
# mid-run even when a busy machine makes the watcher slow to notice.
SPEC = SamplerSpec("fake", "arithmetic", {"seconds_per_call": 0.25})
KILL_AT = 6  # samples stored before the kill ...
ALIVE_S = 2.0  # ... or seconds the actor has generated (about 8 of its 30 batches)
PARAMS = SamplingParams(max_new_tokens=64, temperature=0.8, seed=5)
PROBLEMS = generate_task("arithmetic", 30, seed=1, digits=2)
K, BATCH = 2, 2
ACTOR_CLASS = "MapWorker(MapBatches(GenerateBatches))"


def sampling_actor_pids(ray: Any) -> list[int]:
    """PIDs of the live sampling actors of this test's Ray.

    Read off the cluster's actor table: the public state API needs the dashboard, which the
    tests do not start, and scanning the machine's processes could hit another run's Ray.
    """
    from ray._private import state

    return [
        int(actor["Pid"])
        for actor in state.actors().values()
        if actor["ActorClassName"] == ACTOR_CLASS and actor["State"] == "ALIVE" and actor["Pid"]
    ]


def kill_actor_when(ray: Any, ready: Callable[[], bool], killed: list[int]) -> threading.Thread:
    """A thread that SIGKILLs the sampling actor once `ready()`, or once it has generated for
    ALIVE_S seconds (on a busy machine Ray schedules the grading tasks late, so few samples
    may be stored while the actor is mid-run), recording the PID killed."""

    def watch() -> None:
        deadline = time.monotonic() + 120
        alive_since = None
        while time.monotonic() < deadline:
            pids = sampling_actor_pids(ray)
            now = time.monotonic()
            alive_since = (alive_since or now) if pids else None
            if pids and (ready() or now - (alive_since or now) >= ALIVE_S):
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])
                return
            time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def draw(store: RunStore, executor: ExecutorConfig | None) -> None:
    settings = DrawSettings(DEFAULT_TEMPLATE, batch_size=BATCH, runner=batch_runner(executor, SPEC))
    sample_problems(PROBLEMS, SPEC.load(), PARAMS, store, k=K, settings=settings)


def stored(store: RunStore) -> list[tuple[str, int, str, bool]]:
    return sorted((s.problem_id, s.sample_index, s.response, s.correct) for s in store.samples())


def draw_killing_the_actor(ray: Any, store: RunStore, retries: int) -> None:
    """Draw on Ray, SIGKILLing the sampling actor once some batches are stored."""
    killed: list[int] = []
    watcher = kill_actor_when(ray, lambda: store.count() >= KILL_AT, killed)
    try:
        draw(store, ExecutorConfig("ray", cpus_per_actor=0.5, retries=retries))
    finally:
        watcher.join()
        assert killed, "the sampling actor finished before it could be killed"


def draw_locally(run_dir: Path) -> list[tuple[str, int, str, bool]]:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        draw(store, None)
        return stored(store)


def test_a_killed_sampling_actor_is_restarted_and_every_sample_is_stored_once(
    ray_cluster: Any, tmp_path: Path
) -> None:
    with RunStore.open(tmp_path / "ray", fake_fingerprint()) as store:
        draw_killing_the_actor(ray_cluster, store, retries=2)
        on_ray = stored(store)
    keys = [(pid, index) for pid, index, _, _ in on_ray]
    assert len(keys) == len(set(keys)) == len(PROBLEMS) * K
    assert on_ray == draw_locally(tmp_path / "local")


def test_without_retries_a_killed_actor_stops_the_run_keeping_what_was_written(
    ray_cluster: Any, tmp_path: Path
) -> None:
    with RunStore.open(tmp_path / "ray", fake_fingerprint()) as store:
        with pytest.raises(WorkerLostError, match="--ray-retries 0.*samples written before"):
            draw_killing_the_actor(ray_cluster, store, retries=0)
        kept = stored(store)
        assert len(kept) < len(PROBLEMS) * K  # what was graded before the kill is kept
        draw(store, ExecutorConfig("ray", cpus_per_actor=0.5))  # the same run, resumed
        assert stored(store) == draw_locally(tmp_path / "local")
