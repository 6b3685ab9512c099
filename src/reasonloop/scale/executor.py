"""Where the parallel stages run: here (`local`, the default) or on a Ray cluster (`ray`).

Nothing here imports Ray; `ray_session` does, when a stage asks for the `ray` executor.
"""

from __future__ import annotations

import logging
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, get_args

from reasonloop.errors import ConfigError, ReasonloopError

ExecutorName = Literal["local", "ray"]
EXECUTORS: tuple[ExecutorName, ...] = get_args(ExecutorName)
RAY_HINT = "pip install 'reasonloop[ray]'"


@dataclass(frozen=True)
class ExecutorConfig:
    """The executor and, for `ray`, its cluster and actor options.

    `address` is a Ray cluster address (None starts a local Ray, or joins the one this process
    already started); `actors` sampling actors each hold one backend with `cpus_per_actor` CPUs
    (and `gpus_per_actor` GPUs); each grading task asks for `cpus_per_grader` CPUs. With a model
    judge, grading runs on `judges` actors instead, each holding the judge with
    `cpus_per_grader` CPUs (and `gpus_per_judge` GPUs). A worker
    lost mid-run (its process or node died) is restarted, and its batch redone, up to `retries`
    times (`ray_retry_options`). `logs` shows Ray's own log lines and progress (quiet by
    default: where output is not a terminal, Ray logs its progress every 10 s).

    >>> ExecutorConfig("ray", actors=2).is_ray
    True
    """

    name: ExecutorName = "local"
    address: str | None = None
    actors: int = 1
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    cpus_per_grader: float = 0.5
    retries: int = 3
    judges: int = 1
    gpus_per_judge: float = 0.0
    logs: bool = False

    def __post_init__(self) -> None:
        if self.name not in EXECUTORS:
            raise ConfigError(f"unknown executor {self.name!r}; use one of: {', '.join(EXECUTORS)}")
        if self.actors < 1:
            raise ConfigError(f"executor.actors must be at least 1, got {self.actors}")
        if self.judges < 1:
            raise ConfigError(f"executor.judges must be at least 1, got {self.judges}")
        if self.retries < 0:
            raise ConfigError(f"executor.retries must not be negative, got {self.retries}")
        resources = {
            "cpus_per_actor": self.cpus_per_actor,
            "gpus_per_actor": self.gpus_per_actor,
            "cpus_per_grader": self.cpus_per_grader,
            "gpus_per_judge": self.gpus_per_judge,
        }
        for name, value in resources.items():
            if value < 0:
                raise ConfigError(f"executor.{name} must not be negative, got {value}")

    @property
    def is_ray(self) -> bool:
        return self.name == "ray"


def check_resources(
    config: ExecutorConfig, cluster: Mapping[str, float], *, judged: bool = False
) -> None:
    """A ConfigError when the cluster cannot hold every actor and one grading task at once
    (every judge actor, when `judged`).

    Ray Data would otherwise wait forever for a CPU that the actors keep.

    >>> check_resources(ExecutorConfig("ray", actors=2, cpus_per_actor=0.75), {"CPU": 2.0})
    """
    graders = config.judges if judged else 1
    cpus = config.actors * config.cpus_per_actor + graders * config.cpus_per_grader
    gpus = config.actors * config.gpus_per_actor + (
        graders * config.gpus_per_judge if judged else 0
    )
    have_cpus, have_gpus = cluster.get("CPU", 0.0), cluster.get("GPU", 0.0)
    if cpus > have_cpus or gpus > have_gpus:
        grading = (
            f"{graders} judge actors x ({config.cpus_per_grader:g} CPU, "
            f"{config.gpus_per_judge:g} GPU)"
            if judged
            else f"a grading task of {config.cpus_per_grader:g} CPU"
        )
        raise ConfigError(
            f"{config.actors} actors x ({config.cpus_per_actor:g} CPU, {config.gpus_per_actor:g} "
            f"GPU) plus {grading} need {cpus:g} CPUs and "
            f"{gpus:g} GPUs; the Ray cluster has {have_cpus:g} and {have_gpus:g}: lower "
            "--ray-actors (or --ray-judges) or the resources per actor (fractions are fine)"
        )


def ray_retry_options(config: ExecutorConfig, *, actor: bool) -> dict[str, int]:
    """Ray's options for redoing the work of a lost worker, for an actor pool or for tasks.

    Said here rather than left to Ray Data's defaults (which retry without end in Ray 2.60):
    a batch that kills its worker every time must stop the run, with a clear error, after a
    few tries. Redoing a batch is safe: it samples the same (its own seeds), and the store
    keeps one copy of each (problem, sample).

    >>> ray_retry_options(ExecutorConfig("ray", retries=2), actor=True)
    {'max_restarts': 2, 'max_task_retries': 2}
    """
    if actor:
        return {"max_restarts": config.retries, "max_task_retries": config.retries}
    return {"max_retries": config.retries}


def map_batches_retried(
    dataset: Any, fn: Any, config: ExecutorConfig, *, actor: bool, **options: Any
) -> Any:
    """`dataset.map_batches(fn, **options)` with `ray_retry_options` for its workers.

    Ray 2.60 takes these only as extra remote arguments, which it warns are deprecated (to be
    removed in Ray 2.64) without a named replacement; a Ray that no longer takes them keeps
    its own defaults: it retries too, without a bound.
    """
    import inspect

    accepts_extra = any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in inspect.signature(dataset.map_batches).parameters.values()
    )
    if not accepts_extra:
        return dataset.map_batches(fn, **options)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`ray_remote_args` is deprecated")
        return dataset.map_batches(fn, **options, **ray_retry_options(config, actor=actor))


class WorkerLostError(ReasonloopError):
    """Ray lost a worker (its process or node died) more often than `retries` allows."""


@contextmanager
def stop_on_lost_workers(
    ray: Any, config: ExecutorConfig, kept: Callable[[], str]
) -> Iterator[None]:
    """Ray's error for a worker lost once too often, as a WorkerLostError saying what is kept.

    Only the errors of a lost process or node: an error in our own code is not retried by
    Ray, and travels as itself (`ray_sample`, `ray_verify`).
    """
    lost = ray.exceptions
    try:
        yield
    except (
        lost.RayActorError,
        lost.WorkerCrashedError,
        lost.NodeDiedError,
        lost.ObjectLostError,
        lost.OutOfMemoryError,
    ) as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise WorkerLostError(
            f"Ray lost a worker more often than --ray-retries {config.retries} allows "
            f"({type(error).__name__}: {detail}); {kept()}"
        ) from error


def import_ray() -> Any:
    """The `ray` module, or a ConfigError saying how to install it."""
    try:
        import ray
    except ImportError as error:
        message = f"the ray executor needs Ray, which is not installed: {RAY_HINT}"
        raise ConfigError(message) from error
    return ray


@contextmanager
def ray_session(config: ExecutorConfig, *, progress: bool = True) -> Iterator[Any]:
    """Ray, connected: joins the session this process already has, else starts or joins one.

    A session this call started is shut down on exit; one that was already running is left
    alone (tests share one per module).
    """
    ray = import_ray()
    started = not ray.is_initialized()
    if started:
        ray.init(
            address=config.address,
            include_dashboard=False,
            log_to_driver=config.logs,
            logging_level=logging.INFO if config.logs else logging.ERROR,
        )
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.NOTSET if config.logs else logging.ERROR)
    context = ray.data.DataContext.get_current()
    # Ray Data's own progress: a bar on a terminal; elsewhere (a log file, a pipe) a block of
    # log lines every 10 s, shown only when asked for (`logs`).
    context.enable_progress_bars = progress and (config.logs or sys.stdout.isatty())
    context.print_on_execution_start = False
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()
