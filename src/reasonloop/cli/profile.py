"""`reasonloop profile`: per-problem pass rates and difficulty levels of a run, and resampling.

With --resample-budget the run's own model draws extra samples into the same run directory as
a later round, where the profile says they help most (hard, then unsolved problems), with a
longer token budget for those. The sampler, its settings and the prompt template are rebuilt
from the run's fingerprint (run.json), so the new samples match the old ones, whichever
command or loop stage made the run.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.cli._executor import (
    add_executor_arguments,
    draw_settings,
    executor_from_args,
    executor_session,
    load_on_executor,
)
from reasonloop.cli._options import add_reopen_arguments
from reasonloop.cli._table import format_table
from reasonloop.errors import RunDirError

if TYPE_CHECKING:
    from reasonloop.curate.resample import ResampleResult
    from reasonloop.profile.difficulty import DifficultyCuts
    from reasonloop.profile.generator_levels import GeneratorLevel
    from reasonloop.profile.summary import RunProfile
    from reasonloop.sample.store import RunStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument("--hard", type=float, default=1 / 3, help="highest pass rate of 'hard'")
    parser.add_argument("--medium", type=float, default=2 / 3, help="highest pass rate of 'medium'")
    parser.add_argument("--json", metavar="OUT", help="also write the profile JSON here")
    group = parser.add_argument_group("difficulty-aware resampling")
    group.add_argument(
        "--resample-budget", type=int, metavar="N", help="draw N extra samples, hard problems first"
    )
    group.add_argument(
        "--long-factor", type=float, default=2.0, help="token budget multiplier, hard/unsolved"
    )
    group.add_argument(
        "--round", type=int, default=1, help="round of the new samples; planned from earlier ones"
    )
    group.add_argument(
        "--generator-weight",
        type=float,
        default=1.0,
        help="extra weight of a generator's hardest level (rg: tasks; 0: pass rates only)",
    )
    add_reopen_arguments(group)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reasonloop.profile.difficulty import DifficultyCuts
    from reasonloop.profile.summary import PROFILE_JSON, profile_run, write_run_profile
    from reasonloop.sample.store import RunStore

    cuts = DifficultyCuts(hard=args.hard, medium=args.medium)
    with RunStore.open_existing(args.run_dir) as store:
        by_problem = store.samples_by_problem()
        if not by_problem:
            raise RunDirError(f"{args.run_dir} holds no samples yet; run `reasonloop sample` first")
        problems = store.problems()
        profile = profile_run(by_problem, cuts, problems=problems)
        if args.resample_budget is not None:
            print_profile(profile, args.run_dir)
            resample(store, args, cuts)
            profile = profile_run(store.samples_by_problem(), cuts, problems=problems)
            print()
    # Written before the (last) table: `reasonloop profile RUN | head` closes our stdout early.
    written = [write_run_profile(profile, Path(args.run_dir) / PROFILE_JSON)]
    if args.json:
        written.append(write_run_profile(profile, args.json))
    print_profile(profile, args.run_dir)
    print_generator_levels(profile.generator_levels)
    print("wrote " + " and ".join(map(str, written)))
    return 0


def print_profile(profile: RunProfile, run_dir: str) -> None:
    difficulty = profile.difficulty
    rounds = ", ".join(map(str, profile.rounds))
    print(
        f"{run_dir}: {len(difficulty.rows)} problems, {difficulty.samples} samples "
        f"(rounds {rounds})"
    )
    rows: list[list[str | int | float]] = [
        [level.level, level.problems, 100 * level.share, level.mean_rate, level.samples]
        for level in difficulty.levels
    ]
    rows.append(["all", len(difficulty.rows), 100.0, difficulty.mean_rate, difficulty.samples])
    headers = ["level", "problems", "%", "mean pass rate", "samples"]
    print(format_table(headers, rows, digits=[3, 3, 1, 3, 3]))
    if profile.pass_at_k:
        print()
        metric_rows: list[list[str | int | float]] = [
            [k, rate, profile.maj_at_k[k]] for k, rate in profile.pass_at_k.items()
        ]
        print(format_table(["k", "pass@k", "maj@k"], metric_rows))


def print_generator_levels(levels: Sequence[GeneratorLevel]) -> None:
    """The pass rates by a generator's own difficulty levels (reasoning-gym tasks), if any."""
    if levels:
        print()
        rows: list[list[str | int | float]] = [
            [level.task, level.level, level.problems, level.mean_rate] for level in levels
        ]
        headers = ["task", "generator level", "problems", "mean pass rate"]
        print(format_table(headers, rows, digits=[3, 3, 3, 3]))


def resample(store: RunStore, args: argparse.Namespace, cuts: DifficultyCuts) -> ResampleResult:
    """Draw `--resample-budget` extra samples into the run with the run's own sampler."""
    from reasonloop.curate.resample import PLAN_JSON, resample_run
    from reasonloop.sample.reopen import reopen_sampler, reopened_spec, run_fingerprint

    fingerprint = run_fingerprint(store)
    executor = executor_from_args(args)
    spec = reopened_spec(fingerprint, args.model)
    settings = draw_settings(args, fingerprint.template, executor, spec)
    with executor_session(executor, progress=not args.no_progress):
        result = resample_run(
            store,
            reopen_sampler(fingerprint, args.model, store.run_dir, load_on_executor(executor)),
            fingerprint.params(),
            settings,
            budget=args.resample_budget,
            round=args.round,
            cuts=cuts,
            base_max_new_tokens=args.max_new_tokens,
            long_factor=args.long_factor,
            generator_weight=args.generator_weight,
        )
    print(
        f"\nresampling: {result.plan.total} extra samples over {len(result.plan.extra_k)} "
        f"problems as round {result.round} (token budget {result.base_max_new_tokens}, "
        f"x{result.long_factor} for hard/unsolved); plan in {store.run_dir / PLAN_JSON}"
    )
    if result.drawn is not None:
        print(
            f"drew {result.drawn.n_new} new samples ({result.drawn.n_skipped} already stored), "
            f"accuracy {result.drawn.accuracy:.3f}"
        )
    return result
