"""Grading on Ray: plain tasks for the rule verifier; actors holding the judge when there is one.

The rule verifier costs nothing to set up, so its grading runs as Ray tasks. A model judge is
a model: loading it for every block would cost more than the grading, so with a judge each
block goes to one of a pool of actors (`ExecutorConfig.judges`), each holding the judge,
loaded on its first question. Either way the block's function is the one grading does
locally (`grade_batches`, or `verify_batch` then `apply_judge`), so a verdict, the judge's
included, is the verdict the local executor gives.

The judge travels to its actors pickled: its backend as the recipe that builds it (a judge
from `load_judge` is loaded lazily), its decision cache as its path, opened again there
(SQLite in WAL mode is shared by the processes of one machine; on a cluster each node keeps
its own unless the path is on a shared disk).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reasonloop.scale.executor import ExecutorConfig, map_batches_retried

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


class JudgeActor:
    """A Ray Data actor: one model judge, grading blocks with
    `grade(block, settings=..., judge=...)`."""

    def __init__(self, grade: Callable[..., Any], judge: ModelJudge, settings: object) -> None:
        self.grade = grade
        self.judge = judge
        self.settings = settings

    def __call__(self, block: Any) -> Any:
        return self.grade(block, settings=self.settings, judge=self.judge)


def map_grading(
    dataset: Any,
    grade: Callable[..., Any],
    settings: object,
    config: ExecutorConfig,
    judge: ModelJudge | None,
    **batching: Any,
) -> Any:
    """`dataset` with `grade(block, settings=settings, judge=judge)` applied to each block.

    `settings` is the grading's one frozen settings value (`ray_verify.TableGrading`,
    `ray_sample.BatchGrading`), pickled to the tasks or actors as it is.
    """
    if judge is None:
        return map_batches_retried(
            dataset,
            grade,
            config,
            actor=False,
            fn_kwargs={"settings": settings, "judge": None},
            num_cpus=config.cpus_per_grader,
            **batching,
        )
    from ray.data import ActorPoolStrategy

    return map_batches_retried(
        dataset,
        JudgeActor,
        config,
        actor=True,
        fn_constructor_kwargs={"grade": grade, "judge": judge, "settings": settings},
        compute=ActorPoolStrategy(size=config.judges),
        num_cpus=config.cpus_per_grader,
        num_gpus=config.gpus_per_judge,
        **batching,
    )
