"""`reasonloop rationalize RUN_DIR`: STaR rationalization of the problems no sample solved.

The run's own sampler (rebuilt from its run.json) answers each unsolved problem again with the
gold answer as a hint; the responses the verifier accepts are kept, under the hint-free
prompt, as SFT data: `reasonloop build sft RUN_DIR --rationales DIR`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reasonloop.cli._executor import (
    add_executor_arguments,
    draw_settings,
    executor_from_args,
    executor_session,
    load_on_executor,
)
from reasonloop.cli._options import add_reopen_arguments
from reasonloop.errors import ConfigError, RunDirError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument("-k", type=int, default=4, help="hinted samples per unsolved problem")
    parser.add_argument(
        "--out", metavar="DIR", help="where the hinted samples go (default: RUN_DIR/rationales)"
    )
    add_reopen_arguments(parser)
    add_executor_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reasonloop.curate.rationalize import (
        count_dropped_rationales,
        rationalize,
        unsolved_problems,
    )
    from reasonloop.sample.reopen import reopen_sampler, reopened_spec, run_fingerprint
    from reasonloop.sample.store import RunStore

    if args.k < 1:
        raise ConfigError(f"-k must be >= 1, got {args.k}")
    out = Path(args.out) if args.out else Path(args.run_dir) / "rationales"
    with RunStore.open_existing(args.run_dir) as store:
        fingerprint = run_fingerprint(store)
        problems = store.problems()
        samples = store.samples_by_problem()
    if not samples:
        raise RunDirError(f"{args.run_dir} holds no samples yet; run `reasonloop sample` first")
    params = fingerprint.params(
        args.max_new_tokens or max(s.max_new_tokens for g in samples.values() for s in g)
    )
    if args.k > 1 and params.greedy:
        raise ConfigError(
            f"{args.run_dir} was sampled greedily: -k {args.k} hinted samples would all be the "
            "same; use -k 1, or rationalize a run sampled with a temperature > 0"
        )
    unsolved = unsolved_problems(problems, samples)
    found = {}
    executor = executor_from_args(args)
    if unsolved:
        spec = reopened_spec(fingerprint, args.model)
        settings = draw_settings(args, fingerprint.template, executor, spec)
        with executor_session(executor, progress=not args.no_progress):
            found = rationalize(
                unsolved,
                reopen_sampler(
                    fingerprint, args.model, Path(args.run_dir), load_on_executor(executor)
                ),
                spec,
                params,
                out,
                settings,
                k=args.k,
            )
    solved = sum(1 for group in found.values() if group)
    print(
        f"rationalized {solved} of {len(unsolved)} unsolved problems "
        f"({sum(len(g) for g in found.values())} verified solutions) into {out}"
    )
    for reason, n in count_dropped_rationales(unsolved, out).items():
        print(f"dropped {n} verified rationale(s): {reason}")
    print(f"next: reasonloop build sft {args.run_dir} --rationales {out} -o sft.jsonl")
    return 0
