"""The sample stage on Ray: actors generate, tasks grade, the driver writes.

The driver plans the batches exactly as the local executor does (`plan_jobs`: same items, same
per-batch seeds), so a batch samples the same on either executor. Ray Data carries one batch
per block: an actor pool, each actor holding one backend built from the run's `SamplerSpec`,
generates; grading tasks run the same verifier (actors holding the judge, when there is one:
`ray_grade`); the graded batches stream back to this process, which writes each one in its
own transaction. The driver is the only writer of the
SQLite store, so a killed driver loses at most the batches in flight, and a re-run plans only
the (problem, sample) pairs not stored. Ray retries a task or restarts an actor that was lost
(up to `ExecutorConfig.retries` times, then the run stops with what it wrote kept); a batch it
redoes is the same batch (same seeds), and the store keeps the first copy of a pair.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tqdm import tqdm

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.errors import ConfigError, ReasonloopError
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.grading import Tally, grade_batches
from reasonloop.sample.plan import BatchJob, DrawSettings, check_completions
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import (
    ExecutorConfig,
    check_resources,
    map_batches_retried,
    ray_session,
    stop_on_lost_workers,
)
from reasonloop.scale.ray_grade import map_grading

if TYPE_CHECKING:
    from reasonloop.backends.base import Sampler
    from reasonloop.verify.judge import ModelJudge

# Batches cross process boundaries pickled: they are our own objects, never model output run
# as code (a response is a string inside them). A reasonloop error (a backend returning too
# few completions, say) travels the same way in place of its batch, so the driver raises it
# as itself rather than as Ray's wrapped remote traceback, after writing the batches before.
_JOB, _GENERATED, _GRADED = "job", "generated", "graded"


@dataclass
class ClusterSampler:
    """A backend that lives in the Ray actors, named here; this process never generates.

    The driver needs the model's name for the run's fingerprint, not the model: a 7B model on
    GPU nodes is never loaded on a driver that may have no GPU.
    """

    model_id: str

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        raise SamplerError(f"{self.model_id} generates on its Ray actors, not in the driver")


def cluster_sampler(spec: SamplerSpec, config: ExecutorConfig) -> ClusterSampler:
    """The backend of `spec` named by a Ray task that loads it with an actor's resources."""
    with ray_session(config, progress=False) as ray:
        check_resources(config, ray.cluster_resources())
        load = ray.remote(num_cpus=config.cpus_per_actor, num_gpus=config.gpus_per_actor)(_model_id)
        return ClusterSampler(str(ray.get(load.remote(spec))))


def _model_id(spec: SamplerSpec) -> str:
    return spec.load().model_id


class GenerateBatches:
    """A Ray Data actor: one backend, loaded once, generating whole batches."""

    def __init__(self, spec: SamplerSpec) -> None:
        self.sampler: Sampler = spec.load()

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[bytes]]:
        out: list[bytes] = []
        for blob in rows[_JOB]:
            job: BatchJob = pickle.loads(blob)
            started = time.perf_counter()
            try:
                completions = self.sampler.generate(job.prompts, job.params)
                check_completions(self.sampler.model_id, completions, job)
            except ReasonloopError as error:
                out.append(pickle.dumps(error))
                continue
            out.append(pickle.dumps((job, completions, time.perf_counter() - started)))
        return {_GENERATED: out}


@dataclass(frozen=True)
class BatchGrading:
    """How the generated batches are graded: the sampling round they belong to, and the
    verifier's worker processes per grading task. Built once, pickled to every task."""

    round: int
    workers: int = 1


def grade_generated(
    rows: dict[str, Any], *, settings: BatchGrading, judge: ModelJudge | None
) -> dict[str, list[bytes]]:
    """A Ray Data task (an actor with a judge): the local grading of generated batches."""
    out: list[bytes] = []
    for blob in rows[_GENERATED]:
        generated = pickle.loads(blob)
        if isinstance(generated, ReasonloopError):
            out.append(blob)
            continue
        job, completions, seconds = generated
        try:
            batch = job.generated(completions, settings.round)
            samples = grade_batches([batch], settings.workers, judge)
        except ReasonloopError as error:  # a judge that cannot answer, say
            out.append(pickle.dumps(error))
            continue
        out.append(pickle.dumps((samples, seconds)))
    return {_GRADED: out}


def draw_on_ray(
    jobs: Sequence[BatchJob],
    spec: SamplerSpec,
    config: ExecutorConfig,
    store: RunStore,
    bar: tqdm[Any],
    grading: BatchGrading,
    *,
    judge: ModelJudge | None = None,
) -> tuple[Tally, float]:
    """Generate, grade (with `judge` behind the rule, if given) and store `jobs` on Ray;
    (what was written, generate seconds summed over the actors). Each graded batch is written
    as soon as it reaches the driver."""
    tally = Tally()
    generate_seconds = 0.0
    try:
        if not jobs:
            return tally, generate_seconds
        with ray_session(config, progress=not bar.disable) as ray:
            import ray.data

            check_resources(config, ray.cluster_resources(), judged=judge is not None)
            blocks = ray.data.from_items(
                [{_JOB: pickle.dumps(job)} for job in jobs], override_num_blocks=len(jobs)
            )
            generated = map_batches_retried(
                blocks,
                GenerateBatches,
                config,
                actor=True,
                fn_constructor_kwargs={"spec": spec},
                batch_size=1,
                compute=ray.data.ActorPoolStrategy(size=config.actors),
                num_cpus=config.cpus_per_actor,
                num_gpus=config.gpus_per_actor,
            )
            graded = map_grading(generated, grade_generated, grading, config, judge, batch_size=1)
            with stop_on_lost_workers(ray, config, lambda: _kept(tally)):
                for row in graded.iter_rows():
                    result = pickle.loads(row[_GRADED])
                    if isinstance(result, ReasonloopError):
                        raise result
                    samples, seconds = result
                    tally.add(samples, store.put_samples(samples))
                    generate_seconds += seconds
                    bar.update(len(samples))
    finally:
        bar.close()
    return tally, generate_seconds


@dataclass(frozen=True)
class RayRunner:
    """The `BatchRunner` of the `ray` executor: `draw_on_ray` with `config`'s actors, each
    holding the backend built from `spec`."""

    spec: SamplerSpec
    config: ExecutorConfig

    def __call__(
        self, jobs: Sequence[BatchJob], store: RunStore, bar: tqdm[Any], s: DrawSettings, round: int
    ) -> tuple[Tally, float]:
        return draw_on_ray(
            jobs,
            self.spec,
            self.config,
            store,
            bar,
            BatchGrading(round, s.grade_workers or 1),
            judge=s.judge,
        )


def batch_runner(executor: ExecutorConfig | None, spec: SamplerSpec | None) -> RayRunner | None:
    """Where `executor` draws batches: on Ray actors built from `spec` for kind `ray`, in
    this process (None) otherwise. The caller chooses, once, when it builds `DrawSettings`.

    >>> batch_runner(ExecutorConfig("local"), None) is None
    True
    """
    if executor is None or not executor.is_ray:
        return None
    if spec is None:
        raise ConfigError("the ray executor builds the backend on its actors: pass its spec")
    return RayRunner(spec, executor)


def _kept(tally: Tally) -> str:
    return (
        f"the {tally.n_new} samples written before are kept; run the same command again to "
        "draw the rest"
    )
