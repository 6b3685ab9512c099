"""`--executor local|ray` and its options, shared by the commands with a parallel stage."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.scale.executor import EXECUTORS, ExecutorConfig

if TYPE_CHECKING:
    from reasonloop.backends.base import Sampler
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.plan import DrawSettings
    from reasonloop.verify.judge import ModelJudge


def add_executor_arguments(parser: argparse.ArgumentParser, *, actors: bool = True) -> None:
    """--executor, --ray-address, and (where a backend is loaded) --ray-actors and CPUs/GPUs."""
    group = parser.add_argument_group("executor (where the parallel work runs)")
    group.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="local: this process and its grading workers; ray: a Ray cluster "
        "(pip install 'reasonloop[ray]')",
    )
    group.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="Ray cluster to join ('auto', or ray://HOST:10001); default: start a local Ray",
    )
    if actors:
        group.add_argument(
            "--ray-actors", type=int, default=1, help="sampling actors, one backend each"
        )
        group.add_argument("--ray-cpus-per-actor", type=float, default=1.0, help="CPUs per actor")
        group.add_argument("--ray-gpus-per-actor", type=float, default=0.0, help="GPUs per actor")
    group.add_argument(
        "--ray-cpus-per-grader", type=float, default=0.5, help="CPUs per grading task"
    )
    group.add_argument(
        "--ray-judges", type=int, default=1, help="with --judge: grading actors, one judge each"
    )
    group.add_argument(
        "--ray-gpus-per-judge", type=float, default=0.0, help="with --judge: GPUs per judge"
    )
    group.add_argument(
        "--ray-retries",
        type=int,
        default=3,
        help="times Ray restarts a lost worker and redoes its batch before the run stops",
    )
    group.add_argument(
        "--ray-logs",
        action="store_true",
        help="show Ray's own log lines and progress (default: quiet)",
    )


def executor_from_args(args: argparse.Namespace) -> ExecutorConfig:
    """The executor named by --executor and its --ray-* options (checked)."""
    return ExecutorConfig(
        args.executor,
        address=args.ray_address,
        actors=getattr(args, "ray_actors", 1),
        cpus_per_actor=getattr(args, "ray_cpus_per_actor", 1.0),
        gpus_per_actor=getattr(args, "ray_gpus_per_actor", 0.0),
        cpus_per_grader=args.ray_cpus_per_grader,
        retries=args.ray_retries,
        judges=args.ray_judges,
        gpus_per_judge=args.ray_gpus_per_judge,
        logs=args.ray_logs,
    )


@contextlib.contextmanager
def executor_session(executor: ExecutorConfig, *, progress: bool) -> Iterator[None]:
    """One Ray session for the whole command (naming the model, then drawing) on `ray`;
    nothing on `local`."""
    if not executor.is_ray:
        yield
        return
    from reasonloop.scale.executor import ray_session

    with ray_session(executor, progress=progress):
        yield


def draw_settings(
    args: argparse.Namespace,
    template: PromptTemplate,
    executor: ExecutorConfig,
    spec: SamplerSpec,
    *,
    grade_workers: int | None = None,
    judge: ModelJudge | None = None,
) -> DrawSettings:
    """How a command draws, built once from its options: --batch-size, the progress bar, on
    --executor (Ray actors built from `spec`), with the `judge` and `grade_workers` given."""
    from reasonloop.sample.plan import DrawSettings
    from reasonloop.scale.ray_sample import batch_runner

    return DrawSettings(
        template,
        batch_size=args.batch_size,
        progress=not args.no_progress,
        grade_workers=grade_workers,
        judge=judge,
        runner=batch_runner(executor, spec),
    )


def sampler_on_executor(
    args: argparse.Namespace, executor: ExecutorConfig
) -> tuple[Sampler, SamplerSpec]:
    """The sampler named by --model and its options, and its spec. On `ray` the model is
    loaded on the cluster only: the driver holds its name (for the run's fingerprint)."""
    from reasonloop.cli._options import sampler_spec

    spec = sampler_spec(args.model, args.backend, args.base_url, args.backend_option)
    return load_on_executor(executor)(spec), spec


def load_on_executor(executor: ExecutorConfig) -> Callable[[SamplerSpec], Sampler]:
    """How a command builds its sampler: loaded here on `local`; on `ray`, loaded on the
    cluster only, the driver holding its name (for the run's fingerprint)."""
    if not executor.is_ray:
        return SamplerSpec.load
    from reasonloop.scale.ray_sample import cluster_sampler

    return partial(cluster_sampler, config=executor)
