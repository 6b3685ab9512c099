"""`reasonloop sample`: draw k graded responses per problem into a resumable run directory."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reasonloop.cli._executor import (
    add_executor_arguments,
    draw_settings,
    executor_from_args,
    executor_session,
    sampler_on_executor,
)
from reasonloop.cli._judge import add_judge_arguments, judge_from_args
from reasonloop.cli._options import (
    add_model_arguments,
    add_problem_arguments,
    add_sampling_arguments,
    describe_problem_source,
    params_from_args,
    problems_from_args,
    template_from_args,
)
from reasonloop.errors import ConfigError

if TYPE_CHECKING:
    # Imported lazily at run time so `reasonloop --help` stays fast.
    from reasonloop.backends.base import SamplingParams
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.store import RunStore
    from reasonloop.scale.executor import ExecutorConfig
    from reasonloop.tasks.problem import Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_arguments(parser)
    add_problem_arguments(parser)
    add_sampling_arguments(parser)
    run_group = parser.add_argument_group("run")
    run_group.add_argument("-k", type=int, required=True, help="samples per problem")
    run_group.add_argument("--out", required=True, help="run directory (created, or resumed)")
    run_group.add_argument(
        "--force",
        action="store_true",
        help="the run directory holds another configuration: archive its samples and start over",
    )
    run_group.add_argument("--grade-workers", type=int, help="verifier processes (default: auto)")
    run_group.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_judge_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if args.k < 1:
        raise ConfigError(f"-k must be >= 1, got {args.k}")
    params = params_from_args(args)
    executor = executor_from_args(args)
    template = template_from_args(args)
    problems = problems_from_args(args)
    with executor_session(executor, progress=not args.no_progress):
        return _draw(args, params, template, problems, executor)


def _draw(
    args: argparse.Namespace,
    params: SamplingParams,
    template: PromptTemplate,
    problems: list[Problem],
    executor: ExecutorConfig,
) -> int:
    from reasonloop.sample.draw import sample_problems
    from reasonloop.sample.fingerprint import RunFingerprint
    from reasonloop.sample.graders import describe_graders, graders_by_task
    from reasonloop.sample.store import RunStore

    sampler, spec = sampler_on_executor(args, executor)
    fingerprint = RunFingerprint.for_sampler(
        "sample", sampler, spec, template, params, problems=describe_problem_source(args)
    )
    with RunStore.open(args.out, fingerprint, force=args.force) as store:
        check_token_budget(store, params.max_new_tokens, args.out)
        judge = judge_from_args(args)
        settings = draw_settings(
            args, template, executor, spec, grade_workers=args.grade_workers, judge=judge
        )
        summary = sample_problems(problems, sampler, params, store, k=args.k, settings=settings)
        total = store.count()
    print(
        f"sampled {summary.n_new} new responses ({summary.n_skipped} already stored) "
        f"for {len(problems)} problems x k={args.k} with {sampler.model_id}"
    )
    if summary.n_new:
        statuses = ", ".join(f"{name} {n}" for name, n in sorted(summary.status_counts.items()))
        print(
            f"accuracy {summary.accuracy:.3f} ({summary.n_correct}/{summary.n_new}; {statuses}); "
            f"{summary.tokens} tokens in {summary.seconds:.1f}s "
            f"= {summary.tokens_per_s:.1f} tok/s, "
            f"{summary.samples_per_s:.1f} samples/s"
        )
        if args.judge is not None:
            print(f"graded by the judge (the rule could not decide): {summary.n_judged}")
    graders = graders_by_task(problems)
    if graders:
        print(describe_graders(graders))
    print(f"run directory {args.out}: {total} samples in samples.sqlite; fingerprint in run.json")
    print(f"next: reasonloop profile {args.out}   |   reasonloop export {args.out} --to FILE.jsonl")
    return 0


def check_token_budget(store: RunStore, max_new_tokens: int, out: str) -> None:
    """A run's token budget is fixed when it starts: another --max-new-tokens on a run with
    samples would silently change nothing, so it is an error saying what to do instead."""
    budgets = {s.max_new_tokens for s in store.samples(round=0)}
    if budgets and max_new_tokens not in budgets:
        drawn = ", ".join(map(str, sorted(budgets)))
        raise ConfigError(
            f"{out} holds samples drawn with --max-new-tokens {drawn}; --max-new-tokens "
            f"{max_new_tokens} would not redraw them (a run's token budget is fixed when it "
            f"starts). For longer samples of the hard problems use `reasonloop profile {out} "
            "--resample-budget N`; for a whole new budget use another --out"
        )
