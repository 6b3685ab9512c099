"""`reasonloop synthesize`: new training problems from a run's errors (Self-Error-Instruct)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.cli._table import format_table
from reasonloop.errors import ConfigError

if TYPE_CHECKING:
    from reasonloop.curate.synthesize import DemoScorer, Instructor, SynthesisResult
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.fingerprint import SamplerSpec

SCORES = ("accuracy", "likelihood")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument("-o", "--out", required=True, metavar="SYNTH_DIR", help="output directory")
    parser.add_argument(
        "--instructor",
        required=True,
        help="'builtin' (offline, built-in tasks) or a model as for --model of `sample`",
    )
    parser.add_argument("--instructor-base-url", help="OpenAI-compatible server of the instructor")
    parser.add_argument(
        "--instructor-option", action="append", default=[], metavar="KEY=VALUE",
        help="instructor backend option, repeatable (VALUE read as JSON when it parses)",
    )  # fmt: skip
    parser.add_argument(
        "--target",
        help="the model the one-shot filter tests demonstrations on (as for --model of "
        "`sample`); default: the run's own model",
    )
    parser.add_argument(
        "--score", choices=SCORES, default="accuracy",
        help="one-shot dev score: verified greedy accuracy (any backend) or the gold answer's "
        "log-probability (a local transformers model or 'default')",
    )  # fmt: skip
    parser.add_argument("--budget", type=int, default=32, help="problems to synthesize in all")
    parser.add_argument("--keep", default="gain", help="'gain' (beats zero-shot) or 'top:0.2'")
    parser.add_argument("--dev-size", type=int, default=16, help="dev problems (bad and solved)")
    parser.add_argument("--test", help="test problems to keep out (task spec or data file)")
    parser.add_argument("--test-limit", type=int, help="use the first N test problems")
    parser.add_argument("--rouge-threshold", type=float, default=0.7, help="near-duplicate cut")
    parser.add_argument("--seed", type=int, default=0, help="seed of the dev set and builtin")
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    from reasonloop.curate.synthesize import SynthesisConfig, synthesize_run, write_outputs
    from reasonloop.tasks.sources import load_problems

    config = SynthesisConfig(
        budget=args.budget,
        keep=args.keep,
        dev_size=args.dev_size,
        rouge_threshold=args.rouge_threshold,
        seed=args.seed,
    )
    out = Path(args.out)
    tests = load_problems(args.test, limit=args.test_limit) if args.test else []
    instructor = _instructor(args, out)
    result = synthesize_run(
        args.run_dir,
        instructor,
        lambda template: _scorer(args, template, out),
        config,
        tests=tests,
        progress=not args.no_progress,
    )
    kept_path = write_outputs(result, out)
    _print_report(result, out, kept_path)
    return 0


def _instructor(args: argparse.Namespace, out: Path) -> Instructor:
    from reasonloop.curate.synthesize import BuiltinInstructor, ModelInstructor, ReplyCache
    from reasonloop.curate.synthesize.synth_dir import INSTRUCTOR_CACHE

    if args.instructor == "builtin":
        if args.instructor_base_url or args.instructor_option:
            raise ConfigError("the builtin instructor takes no --instructor-base-url or -option")
        return BuiltinInstructor(seed=args.seed)
    from reasonloop.cli._options import sampler_spec

    spec = sampler_spec(args.instructor, None, args.instructor_base_url, args.instructor_option)
    sampler = spec.load()
    cache = ReplyCache(out / INSTRUCTOR_CACHE)
    return ModelInstructor(sampler, cache, progress=not args.no_progress)


def _scorer(args: argparse.Namespace, template: PromptTemplate, out: Path) -> DemoScorer:
    from reasonloop.curate.synthesize import AccuracyScorer, ReplyCache
    from reasonloop.curate.synthesize.synth_dir import ONE_SHOT_CACHE

    spec = _target_spec(args)
    if args.score == "likelihood":
        from reasonloop.curate.synthesize.likelihood import LikelihoodScorer

        if spec.backend not in ("default", "transformers"):
            raise ConfigError(
                f"--score likelihood needs a local model ('default', a directory or .gguf); "
                f"the target is a {spec.backend!r} model: pass --target or --score accuracy"
            )
        model = spec.model or "default"
        return LikelihoodScorer(model, template, progress=not args.no_progress)
    sampler = spec.load()
    cache = ReplyCache(out / ONE_SHOT_CACHE)
    return AccuracyScorer(sampler, template, cache, progress=not args.no_progress)


def _target_spec(args: argparse.Namespace) -> SamplerSpec:
    """--target as a sampler spec, or the spec that made the run."""
    from reasonloop.cli._options import sampler_spec
    from reasonloop.sample.reopen import run_fingerprint
    from reasonloop.sample.store import RunStore

    if args.target is not None:
        return sampler_spec(args.target, None, None, [])
    with RunStore.open_existing(args.run_dir) as store:
        return run_fingerprint(store).sampler


def _print_report(result: SynthesisResult, out: Path, kept_path: Path) -> None:
    rows = [[t.name, str(t.count), "; ".join(t.keyphrases[:2])] for t in result.types]
    print(format_table(["error type", "bad cases", "keyphrases"], rows))
    print(
        f"{len(result.bad_cases)} bad cases, {len(result.types)} error types; "
        f"{result.offered} problems written, {len(result.problems)} passed the filters "
        f"(gradable {result.gradable_share:.0%}), {len(result.kept_rows)} kept by the one-shot "
        f"filter ({result.kept_share:.0%})"
    )
    if result.dropped:
        print("dropped: " + ", ".join(f"{why} {n}" for why, n in sorted(result.dropped.items())))
    if result.malformed:
        print(
            "malformed replies skipped: "
            + ", ".join(f"{k} {n}" for k, n in result.malformed.items())
        )
    print(f"wrote {out}/ (error_types.json, synthesized.jsonl, summary.json); kept set {kept_path}")
    print(f"next: reasonloop train sft --model MODEL --data {kept_path} --out models/sei")
