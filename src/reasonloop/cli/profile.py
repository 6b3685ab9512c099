"""`reasonloop profile`: per-problem pass rates and difficulty levels of a run, and resampling.

With --resample-budget the run's own model draws extra samples into the same run directory as
a later round, where the profile says they help most (hard, then unsolved problems), with a
longer token budget for those. The model, backend, sampling settings and prompt template are
rebuilt from the run's fingerprint (run.json), so the new samples match the old ones.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.cli._table import format_table
from reasonloop.errors import ConfigError, RunDirError

if TYPE_CHECKING:
    from reasonloop.backends.base import Sampler
    from reasonloop.profile.difficulty import DifficultyCuts, ResamplePlan
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.record import GradedSample
    from reasonloop.sample.store import RunStore

PROFILE_JSON = "profile.json"
KS = (1, 2, 4, 8, 16, 32, 64, 128)


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
        "--max-new-tokens", type=int, help="base token budget (default: the earlier samples')"
    )
    group.add_argument("--model", help="model to load when the run's model id is not loadable")
    group.add_argument("--template", help="the run's prompt template, when it is not built in")
    group.add_argument("--batch-size", type=int, default=16, help="conversations per batch")
    group.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.profile.difficulty import DifficultyCuts
    from reasonloop.sample.store import RunStore

    cuts = DifficultyCuts(hard=args.hard, medium=args.medium)
    with RunStore.open_existing(args.run_dir) as store:
        by_problem = store.samples_by_problem()
        if not by_problem:
            raise RunDirError(f"{args.run_dir} holds no samples yet; run `reasonloop sample` first")
        summary = summarize_run(by_problem, cuts)
        print_summary(summary, args.run_dir)
        if args.resample_budget is not None:
            plan = resample(store, args, cuts)
            summary = summarize_run(store.samples_by_problem(), cuts)
            summary["plan"] = {"round": args.round, **vars(plan)}
            print()
            print_summary(summary, args.run_dir)
    text = json.dumps(summary, indent=2) + "\n"
    (Path(args.run_dir) / PROFILE_JSON).write_text(text, encoding="utf-8")
    if args.json:
        Path(args.json).write_text(text, encoding="utf-8")
    print(f"wrote {Path(args.run_dir) / PROFILE_JSON}" + (f" and {args.json}" if args.json else ""))
    return 0


def summarize_run(
    by_problem: Mapping[str, Sequence[GradedSample]], cuts: DifficultyCuts
) -> dict[str, Any]:
    """The profile as plain data, with pass@k and maj@k for the ks every problem allows."""
    from reasonloop.profile.difficulty import profile_difficulty
    from reasonloop.profile.metrics import feasible_ks, maj_at_k_of_samples, pass_at_k

    profile = profile_difficulty(by_problem, cuts)
    ks = feasible_ks(by_problem, KS)
    return {
        **profile.to_dict(),
        "rounds": sorted({s.round for group in by_problem.values() for s in group}),
        "pass_at_k": {str(k): v for k, v in pass_at_k(by_problem, ks).items()},
        "maj_at_k": {str(k): maj_at_k_of_samples(by_problem, k) for k in ks},
    }


def print_summary(summary: Mapping[str, Any], run_dir: str) -> None:
    overall = summary["overall"]
    rounds = ", ".join(map(str, summary["rounds"]))
    print(
        f"{run_dir}: {overall['problems']} problems, {overall['samples']} samples (rounds {rounds})"
    )
    rows: list[list[str | int | float]] = [
        [lv["level"], lv["problems"], 100 * lv["share"], lv["mean_rate"], lv["samples"]]
        for lv in summary["levels"]
    ]
    rows.append(["all", overall["problems"], 100.0, overall["mean_rate"], overall["samples"]])
    headers = ["level", "problems", "%", "mean pass rate", "samples"]
    print(format_table(headers, rows, digits=[3, 3, 1, 3, 3]))
    if summary["pass_at_k"]:
        print()
        metric_rows: list[list[str | int | float]] = [
            [int(k), rate, summary["maj_at_k"][k]] for k, rate in summary["pass_at_k"].items()
        ]
        print(format_table(["k", "pass@k", "maj@k"], metric_rows))


def resample(store: RunStore, args: argparse.Namespace, cuts: DifficultyCuts) -> ResamplePlan:
    """Plan extra samples from the rounds before `args.round` and draw them into `store`."""
    from reasonloop.backends.base import SamplingParams
    from reasonloop.profile.difficulty import plan_resampling, profile_difficulty
    from reasonloop.sample.draw import sample_problems

    if args.round < 1:
        raise ConfigError(f"--round must be >= 1 (round 0 is the first pass), got {args.round}")
    earlier = [s for s in store.samples() if s.round < args.round]
    if not earlier:
        raise RunDirError(f"{store.run_dir} has no samples before round {args.round} to plan from")
    by_problem: dict[str, list[GradedSample]] = {}
    for sample in earlier:
        by_problem.setdefault(sample.problem_id, []).append(sample)
    fingerprint = store.fingerprint
    sampling = _fingerprint_part(fingerprint, "sampling", store.run_dir)
    if float(sampling["temperature"]) <= 0.0:
        raise ConfigError(
            f"{store.run_dir} was sampled greedily (temperature 0): more samples would repeat "
            "the same answers; resample a run made with a temperature > 0"
        )
    base = args.max_new_tokens or max(s.max_new_tokens for s in earlier)
    if base < 1:
        raise ConfigError(
            "the earlier samples do not record their token budget; pass --max-new-tokens"
        )
    plan = plan_resampling(
        profile_difficulty(by_problem, cuts),
        budget=args.resample_budget,
        base_max_new_tokens=base,
        long_factor=args.long_factor,
    )
    problems = [p for p in store.problems() if p.id in plan.extra_k]
    print(
        f"\nresampling: {plan.total} extra samples over {len(problems)} problems as round "
        f"{args.round} (token budget {base}, x{args.long_factor} for hard/unsolved)"
    )
    if not problems:
        return plan
    params = SamplingParams(
        max_new_tokens=base,
        temperature=float(sampling["temperature"]),
        top_p=float(sampling["top_p"]),
        seed=int(sampling["seed"]),
    )
    outcome = sample_problems(
        problems,
        rebuild_sampler(fingerprint, args.model, store.run_dir),
        params,
        store,
        k=plan.extra_k,
        template=rebuild_template(fingerprint, args.template, store.run_dir),
        round=args.round,
        batch_size=args.batch_size,
        max_new_tokens=plan.max_new_tokens,
        progress=not args.no_progress,
    )
    print(
        f"drew {outcome.n_new} new samples ({outcome.n_skipped} already stored), "
        f"accuracy {outcome.accuracy:.3f}"
    )
    return plan


def rebuild_sampler(fingerprint: Mapping[str, Any], model: str | None, run_dir: Path) -> Sampler:
    """The sampler that made the run, checked against the model id the run recorded."""
    from reasonloop.backends.registry import load_sampler

    backend = str(_fingerprint_part(fingerprint, "backend", run_dir))
    recorded = str(_fingerprint_part(fingerprint, "model", run_dir))
    options = dict(fingerprint.get("backend_options", {}))
    if model is None:
        # Backends record "<backend>:<name>" or the name itself as their model id.
        model = recorded.removeprefix(f"{backend}:")
        if backend == "default":
            model = "default"
    sampler = load_sampler(backend, model, **options)
    if sampler.model_id != recorded:
        raise ConfigError(
            f"{run_dir} was sampled by {recorded!r} but --model {model!r} loads "
            f"{sampler.model_id!r}; pass the --model that the run was sampled with"
        )
    return sampler


def rebuild_template(
    fingerprint: Mapping[str, Any], name_or_path: str | None, run_dir: Path
) -> PromptTemplate:
    """The run's prompt template: --template if given, else the built-in one it names."""
    from reasonloop.prompts import TEMPLATES, load_template

    recorded = str(_fingerprint_part(fingerprint, "template", run_dir))
    candidates = [load_template(name_or_path)] if name_or_path else list(TEMPLATES.values())
    for template in candidates:
        if template.fingerprint() == recorded:
            return template
    given = f"--template {name_or_path}" if name_or_path else "no built-in template"
    raise ConfigError(
        f"{run_dir} was sampled with prompt template {recorded} and {given} matches it; "
        "pass --template with the run's template file"
    )


def _fingerprint_part(fingerprint: Mapping[str, Any], key: str, run_dir: Path) -> Any:
    if key not in fingerprint:
        raise RunDirError(
            f"{run_dir}/run.json has no {key!r}: it was not made by `reasonloop sample`, "
            "so its sampler cannot be rebuilt for resampling"
        )
    return fingerprint[key]
