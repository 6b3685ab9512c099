"""`reasonloop eval`: accuracy with a 95% interval, pass@k and maj@k of a model on problems."""

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
from reasonloop.cli._table import Cell, format_table
from reasonloop.errors import ConfigError
from reasonloop.files import write_json

if TYPE_CHECKING:
    from reasonloop.backends.base import Sampler, SamplingParams
    from reasonloop.evaluate.measure import EvalReport
    from reasonloop.profile.difficulty import DifficultyProfile
    from reasonloop.profile.metrics import Estimate
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.fingerprint import SamplerSpec
    from reasonloop.scale.executor import ExecutorConfig
    from reasonloop.tasks.problem import Problem


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_arguments(parser)
    add_problem_arguments(parser)
    add_sampling_arguments(parser, temperature=0.0)
    group = parser.add_argument_group("evaluation")
    group.add_argument(
        "-k", type=int, default=1, help="samples per problem (k > 1 needs a temperature)"
    )
    group.add_argument(
        "--ks",
        default="1,2,4,8,16,32,64,128",
        help="comma-separated ks for pass@k and maj@k (<= k)",
    )
    group.add_argument("--out", help="keep the samples in this run directory (resumable)")
    group.add_argument(
        "--force", action="store_true", help="archive a mismatching --out and start over"
    )
    group.add_argument("--json", metavar="OUT", help="write the report as JSON")
    group.add_argument(
        "--levels", metavar="PROFILE_JSON", help="split metrics by the levels of a profile.json"
    )
    group.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_judge_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reasonloop.evaluate.measure import resolve_eval_params
    from reasonloop.sample.graders import describe_graders, graders_by_task

    params = resolve_eval_params(args.k, params_from_args(args))
    template = template_from_args(args)
    problems = problems_from_args(args)
    executor = executor_from_args(args)
    with executor_session(executor, progress=not args.no_progress):
        sampler, spec = sampler_on_executor(args, executor)
        report = _evaluate(args, sampler, spec, executor, params, template, problems)
    print_report(report)
    graders = graders_by_task(problems)
    if graders:
        print(describe_graders(graders))
    if args.json:
        write_json(args.json, {**report.to_dict(), **({"graders": graders} if graders else {})})
        print(f"wrote {args.json}")
    return 0


def _evaluate(
    args: argparse.Namespace,
    sampler: Sampler,
    spec: SamplerSpec,
    executor: ExecutorConfig,
    params: SamplingParams,
    template: PromptTemplate,
    problems: list[Problem],
) -> EvalReport:
    from reasonloop.evaluate.measure import evaluate

    settings = draw_settings(args, template, executor, spec, judge=judge_from_args(args))
    return evaluate(
        problems,
        sampler,
        settings,
        k=args.k,
        params=params,
        store_dir=args.out,
        ks=parse_ks(args.ks),
        profile=load_levels(args.levels) if args.levels else None,
        force=args.force,
        spec=spec,
        problem_source=describe_problem_source(args),
    )


def parse_ks(text: str) -> list[int]:
    """'1,4,16' -> [1, 4, 16]."""
    try:
        ks = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConfigError(f"--ks expects comma-separated integers, got {text!r}") from None
    if not ks or min(ks) < 1:
        raise ConfigError(f"--ks needs integers >= 1, got {text!r}")
    return ks


def load_levels(path: str) -> DifficultyProfile:
    from reasonloop.profile.summary import read_run_profile

    return read_run_profile(path).difficulty


def _interval(estimate: Estimate | None) -> tuple[Cell, Cell]:
    return ("", "") if estimate is None else (estimate.low, estimate.high)


def print_report(report: EvalReport) -> None:
    params = report.params
    mode = "greedy" if params.greedy else f"temperature {params.temperature}, top-p {params.top_p}"
    print(
        f"{report.model_id} on {report.problems} problems, k={report.k}, {mode}, "
        f"max {params.max_new_tokens} new tokens"
    )
    acc = report.accuracy
    label = "greedy accuracy" if params.greedy else "sampled pass@1 (mean accuracy of a sample)"
    print(f"{label} {acc.value:.3f}  (95% CI {acc.low:.3f}-{acc.high:.3f}, {acc.describe()})")
    loose = report.permissive_accuracy
    if loose is not None:
        print(
            f"{label} with permissive extraction (any format; the last number counts) "
            f"{loose.value:.3f}  (95% CI {loose.low:.3f}-{loose.high:.3f})"
        )
    statuses = ", ".join(f"{name} {n}" for name, n in sorted(report.status_counts.items()))
    print(
        f"verdicts: {statuses}; mean {report.mean_completion_tokens:.1f} completion tokens, "
        f"{100 * report.truncated:.1f}% hit the token budget"
    )
    if report.judged:
        print(f"graded by the judge (the rule could not decide): {report.judged}")
    if report.pass_at_k:
        print()
        rows: list[list[Cell]] = [
            [k, rate, *_interval(report.pass_at_k_ci.get(k)), report.maj_at_k[k]]
            for k, rate in report.pass_at_k.items()
        ]
        print(format_table(["k", "pass@k", "low", "high", "maj@k"], rows))
        print(f"95% CIs over problems ({report.accuracy.describe()})")
    if report.by_level:
        print()
        ks = sorted({k for level in report.by_level.values() for k in level.pass_at_k})
        headers = ["level", "problems", "accuracy", "low", "high", *(f"pass@{k}" for k in ks)]
        level_rows: list[list[Cell]] = [
            [
                name,
                level.problems,
                level.accuracy.value,
                level.accuracy.low,
                level.accuracy.high,
                *(level.pass_at_k.get(k, float("nan")) for k in ks),
            ]
            for name, level in report.by_level.items()
        ]
        print(format_table(headers, level_rows))
    if report.run_dir:
        print(f"samples kept in {report.run_dir}")
