"""Step values' speed against plain sampling of the same number of tokens, in one run.

One sampler (the default model on the CPU engine, int8; or the fake with --fake), one set of
problems (2-digit arithmetic): sample k=1 response per problem into a run, value every sample
(correct ones too) with K rollouts a step prefix, and sample fresh responses (about as many
as the values draw rollouts) into a fresh run once before and once after the values (drift on a
shared machine hits both sides). Each side is timed as a stage: generation, grading, SQLite
writes; each side's tokens/s is its generated tokens over its seconds.

Prints generated tokens/s of each and values / plain (issue 24's target: >= 0.90, and above
1.0 where the engine encodes a prefix once for its K rollouts).

    python benchmarks/values_bench.py --n 8 --k 4 --max-new-tokens 96 --threads 2
    python benchmarks/values_bench.py --fake --n 200     # the stage's overhead alone
"""

from __future__ import annotations

import argparse
import math
import tempfile
from pathlib import Path

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.backends.registry import load_sampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import SampleSummary, sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import ValueSettings
from reasonloop.steps.values import ValuesSummary, plan_values, value_samples
from reasonloop.tasks import Problem, generate_task


def sample_run(
    run_dir: Path,
    sampler: Sampler,
    spec: SamplerSpec,
    problems: list[Problem],
    k: int,
    args: argparse.Namespace,
) -> SampleSummary:
    params = SamplingParams(args.max_new_tokens, temperature=0.8, seed=args.seed)
    fingerprint = RunFingerprint(
        "sample",
        sampler.model_id,
        spec,
        DEFAULT_TEMPLATE,
        temperature=0.8,
        top_p=1.0,
        seed=args.seed,
    )
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=args.batch_size, grade_workers=1)
    with RunStore.open(run_dir, fingerprint) as store:
        return sample_problems(problems, sampler, params, store, k=k, settings=draw)


def value_run(run_dir: Path, sampler: Sampler, args: argparse.Namespace) -> ValuesSummary:
    params = SamplingParams(args.max_new_tokens, temperature=0.8, seed=args.seed)
    draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=args.batch_size, grade_workers=1)
    settings = ValueSettings(k=args.k, include_correct=True, split_rule=args.split_rule)
    with RunStore.open_existing(run_dir) as store:
        return value_samples(store, sampler, params, draw, settings)


def count_rollouts(run_dir: Path, args: argparse.Namespace) -> int:
    params = SamplingParams(args.max_new_tokens, temperature=0.8, seed=args.seed)
    settings = ValueSettings(k=args.k, include_correct=True, split_rule=args.split_rule)
    with RunStore.open_existing(run_dir) as store:
        return len(plan_values(store, settings, params)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="problems")
    parser.add_argument("--k", type=int, default=4, help="rollouts per step prefix")
    parser.add_argument("--max-new-tokens", type=int, default=96)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--threads", type=int, default=None, help="CPU engine threads")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fake", action="store_true", help="the fake backend, not the model")
    parser.add_argument("--split-rule", default=None, help="default: sentences on --fake")
    args = parser.parse_args()
    args.split_rule = args.split_rule or ("sentences" if args.fake else "default")
    if args.fake:
        spec = SamplerSpec("fake", "arithmetic")
        sampler = load_sampler("fake", "arithmetic")
    else:
        options = {} if args.threads is None else {"num_threads": args.threads}
        spec = SamplerSpec("default", "default", options)
        sampler = load_sampler("default", "default", **options)
    problems = generate_task("arithmetic", args.n, seed=0, digits=2)
    with tempfile.TemporaryDirectory() as tmp:
        sample_run(Path(tmp) / "run", sampler, spec, problems, 1, args)
        # the plain side: as many samples as the values will draw rollouts (each a response)
        n_rollouts = count_rollouts(Path(tmp) / "run", args)
        k_plain = max(1, math.ceil(n_rollouts / len(problems)))
        before = sample_run(Path(tmp) / "plain-a", sampler, spec, problems, k_plain, args)
        values = value_run(Path(tmp) / "run", sampler, args)
        after = sample_run(Path(tmp) / "plain-b", sampler, spec, problems, k_plain, args)
    plain_rate = (before.tokens + after.tokens) / (before.seconds + after.seconds)
    values_rate = values.tokens / values.seconds
    print(
        f"sampler {sampler.model_id}, {len(problems)} problems, K={args.k}, {args.split_rule} steps"
    )
    print(
        f"values: {values.n_new} rollouts, {values.tokens} tokens "
        f"in {values.seconds:.2f}s: {values_rate:.0f} tokens/s"
    )
    print(
        f"plain:  {before.n_new + after.n_new} samples (k={k_plain}, twice), "
        f"{before.tokens + after.tokens} tokens in {before.seconds + after.seconds:.2f}s: "
        f"{plain_rate:.0f} tokens/s"
    )
    print(f"values / plain: {values_rate / plain_rate:.2f} (target >= 0.90)")


if __name__ == "__main__":
    main()
