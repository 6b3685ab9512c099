"""Where the parallel stages run: here (`local`, the default) or on a Ray cluster (`ray`).

Nothing here imports Ray; `ray_session` does, when a stage asks for the `ray` executor.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, get_args

from reasonloop.errors import ConfigError

ExecutorName = Literal["local", "ray"]
EXECUTORS: tuple[ExecutorName, ...] = get_args(ExecutorName)
RAY_HINT = "pip install 'reasonloop[ray]'"


@dataclass(frozen=True)
class ExecutorConfig:
    """The executor and, for `ray`, its cluster and actor options.

    `address` is a Ray cluster address (None starts a local Ray, or joins the one this process
    already started); `actors` sampling actors each hold one backend with `cpus_per_actor` CPUs
    (and `gpus_per_actor` GPUs); each grading task asks for `cpus_per_grader` CPUs.

    >>> ExecutorConfig("ray", actors=2).is_ray
    True
    """

    name: ExecutorName = "local"
    address: str | None = None
    actors: int = 1
    cpus_per_actor: float = 1.0
    gpus_per_actor: float = 0.0
    cpus_per_grader: float = 0.5

    def __post_init__(self) -> None:
        if self.name not in EXECUTORS:
            raise ConfigError(f"unknown executor {self.name!r}; use one of: {', '.join(EXECUTORS)}")
        if self.actors < 1:
            raise ConfigError(f"executor.actors must be at least 1, got {self.actors}")
        resources = {
            "cpus_per_actor": self.cpus_per_actor,
            "gpus_per_actor": self.gpus_per_actor,
            "cpus_per_grader": self.cpus_per_grader,
        }
        for name, value in resources.items():
            if value < 0:
                raise ConfigError(f"executor.{name} must not be negative, got {value}")

    @property
    def is_ray(self) -> bool:
        return self.name == "ray"


def check_resources(config: ExecutorConfig, cluster: Mapping[str, float]) -> None:
    """A ConfigError when the cluster cannot hold every actor and one grading task at once.

    Ray Data would otherwise wait forever for a CPU that the actors keep.

    >>> check_resources(ExecutorConfig("ray", actors=2, cpus_per_actor=0.75), {"CPU": 2.0})
    """
    cpus = config.actors * config.cpus_per_actor + config.cpus_per_grader
    gpus = config.actors * config.gpus_per_actor
    have_cpus, have_gpus = cluster.get("CPU", 0.0), cluster.get("GPU", 0.0)
    if cpus > have_cpus or gpus > have_gpus:
        raise ConfigError(
            f"{config.actors} actors x ({config.cpus_per_actor:g} CPU, {config.gpus_per_actor:g} "
            f"GPU) plus a grading task of {config.cpus_per_grader:g} CPU need {cpus:g} CPUs and "
            f"{gpus:g} GPUs; the Ray cluster has {have_cpus:g} and {have_gpus:g}: lower "
            "--ray-actors or the resources per actor (fractions are fine)"
        )


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
        ray.init(address=config.address, include_dashboard=False, log_to_driver=False)
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = progress
    context.print_on_execution_start = False
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()
