"""Self-Error-Instruct as a stage of the loop: one pass over an iteration's samples.

The loop's current model is the one-shot target (its directory for the likelihood score, its
sampler for the accuracy score), the held-out problems are the leak check, and the kept set
lands in `out_dir/kept_sft.jsonl`, which the iteration's build stage adds to its SFT rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler
from reasonloop.curate.synthesize.builtin import BuiltinInstructor
from reasonloop.curate.synthesize.cache import ReplyCache
from reasonloop.curate.synthesize.instructor import Instructor
from reasonloop.curate.synthesize.model_instructor import ModelInstructor
from reasonloop.curate.synthesize.one_shot import AccuracyScorer, DemoScorer
from reasonloop.curate.synthesize.pipeline import SynthesisConfig, SynthesisResult, synthesize_run
from reasonloop.curate.synthesize.synth_dir import (
    INSTRUCTOR_CACHE,
    KEPT_FILE,
    ONE_SHOT_CACHE,
    write_outputs,
)
from reasonloop.errors import ConfigError
from reasonloop.files import read_jsonl
from reasonloop.prompts import PromptTemplate
from reasonloop.tasks.problem import Problem

SCORES = ("likelihood", "accuracy")


def synthesize_iteration(
    samples_dir: Path,
    out_dir: Path,
    *,
    instructor: str,
    score: str,
    model_dir: str,
    sampler: Sampler,
    tests: Sequence[Problem],
    config: SynthesisConfig,
    progress: bool = False,
) -> SynthesisResult:
    """Run SEI on `samples_dir` and write its outputs under `out_dir`."""
    if score not in SCORES:
        raise ConfigError(f"synthesize.score must be one of {', '.join(SCORES)}, got {score!r}")

    def make_scorer(template: PromptTemplate) -> DemoScorer:
        if score == "likelihood":
            from reasonloop.curate.synthesize.likelihood import LikelihoodScorer

            return LikelihoodScorer(model_dir, template, progress=progress)
        return AccuracyScorer(sampler, template, ReplyCache(out_dir / ONE_SHOT_CACHE))

    result = synthesize_run(
        samples_dir,
        make_instructor(instructor, out_dir, seed=config.seed),
        make_scorer,
        config,
        tests=tests,
        progress=progress,
    )
    write_outputs(result, out_dir)
    return result


def make_instructor(name: str, out_dir: Path, *, seed: int = 0) -> Instructor:
    """'builtin', or a model name (as `--model` takes it) whose replies are cached in out_dir."""
    if name == "builtin":
        return BuiltinInstructor(seed=seed)
    from reasonloop.backends.registry import load_sampler
    from reasonloop.backends.source import infer_backend

    backend = infer_backend(name)
    model = name.removeprefix("fake:") if backend == "fake" else name
    return ModelInstructor(load_sampler(backend, model), ReplyCache(out_dir / INSTRUCTOR_CACHE))


def read_kept_rows(out_dir: Path) -> list[dict[str, Any]]:
    """The kept set a pass wrote under `out_dir` (none when the pass did not run)."""
    path = out_dir / KEPT_FILE
    return read_jsonl(path) if path.is_file() else []
