"""`reasonloop values RUN_DIR`: step values of a run's samples by Monte-Carlo rollouts.

Each sample (the incorrect ones; the correct ones too with --include-correct) is split into
steps; from each step prefix the run's own sampler (rebuilt from its run.json) draws K
continuations, graded by the run's verifier. Rollouts land in RUN_DIR/values/rollouts.sqlite
as they are drawn (interrupt and re-run to resume); the values go to
RUN_DIR/values/values.jsonl, the settings (the split rule among them) to values.json.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reasonloop.cli._options import add_reopen_arguments
from reasonloop.errors import ConfigError, RunDirError
from reasonloop.steps.plan import DEFAULT_K
from reasonloop.steps.split import SPLIT_RULES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument(
        "-k", "--k", type=int, default=DEFAULT_K, help="rollouts per step prefix (default: 5)"
    )
    parser.add_argument(
        "--max-steps", type=int, help="value at most this many steps of a sample (default: all)"
    )
    parser.add_argument("--include-correct", action="store_true", help="value correct samples too")
    parser.add_argument(
        "--split-rule",
        choices=SPLIT_RULES,
        default="default",
        help="how a response splits into steps (default: blank lines, else lines)",
    )
    add_reopen_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reasonloop.sample.plan import DrawSettings
    from reasonloop.sample.reopen import reopen_sampler, run_fingerprint
    from reasonloop.sample.store import RunStore
    from reasonloop.steps.plan import ValueSettings
    from reasonloop.steps.values import estimate_cost, plan_values, value_samples

    settings = ValueSettings(
        k=args.k,
        max_steps=args.max_steps,
        include_correct=args.include_correct,
        split_rule=args.split_rule,
        max_new_tokens=args.max_new_tokens,
    )
    with RunStore.open_existing(args.run_dir) as store:
        fingerprint = run_fingerprint(store)
        if store.count() == 0:
            raise RunDirError(f"{args.run_dir} holds no samples yet; run `reasonloop sample` first")
        params = fingerprint.params(args.max_new_tokens)
        if args.k > 1 and params.greedy:
            raise ConfigError(
                f"{args.run_dir} was sampled greedily: --k {args.k} rollouts of a prefix would "
                "all be the same; use --k 1"
            )
        plans, pending = plan_values(store, settings, params)
        cost = estimate_cost(plans, pending)
        print(
            f"valuing {cost.n_samples} samples ({args.split_rule} steps, K={args.k}): "
            f"{cost.n_rollouts} rollouts from {cost.n_prefixes} prefixes still to draw, "
            f"at most {cost.max_tokens} generated tokens"
        )
        sampler = reopen_sampler(fingerprint, args.model, Path(args.run_dir))
        draw = DrawSettings(
            fingerprint.template, batch_size=args.batch_size, progress=not args.no_progress
        )
        summary = value_samples(store, sampler, params, draw, settings)
    print(
        f"drew {summary.n_new} rollouts ({summary.n_correct} reached the gold, "
        f"{summary.tokens} tokens) in {summary.seconds:.1f}s; "
        f"values in {Path(args.run_dir) / 'values' / 'values.jsonl'}"
    )
    return 0
