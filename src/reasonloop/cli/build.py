"""`reasonloop build`: a training dataset (SFT, DPO, GRPO or verl) from a run's graded samples."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reasonloop.errors import ConfigError, DataError

if TYPE_CHECKING:
    from reasonloop.sample.record import GradedSample
    from reasonloop.sample.store import RunStore
    from reasonloop.tasks.problem import Problem

KINDS = ("sft", "dpo", "grpo", "verl")

# Why a dataset can come out empty, per kind, so the error says what the run lacks.
EMPTY_BECAUSE = {
    "sft": "no problem has a verified-correct, untruncated response",
    "dpo": "no problem has both a correct and a wrong response",
    "grpo": "no problem has a pass rate strictly between 0 and 1 (see --include-unseen)",
    "verl": "no problem has a pass rate strictly between 0 and 1 (see --include-unseen)",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="which dataset to build")
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument(
        "-o", "--out", required=True, metavar="FILE", help="output .jsonl or .parquet"
    )
    parser.add_argument(
        "--max-per-problem",
        type=int,
        metavar="N",
        help="sft: most responses per problem (default 4); dpo: most pairs per problem (4)",
    )
    parser.add_argument(
        "--balance",
        choices=("difficulty", "none"),
        default="difficulty",
        help="sft: keep fewer responses of easy problems (default) or the same cap for all",
    )
    parser.add_argument(
        "--pairing",
        choices=("random", "shortest", "all"),
        default="random",
        help="dpo: which correct/wrong responses to pair",
    )
    parser.add_argument("--round", type=int, help="only samples of this sampling round")
    parser.add_argument("--seed", type=int, default=0, help="seed for sft/dpo choices")
    parser.add_argument(
        "--include-unseen",
        action="store_true",
        help="grpo/verl: also add the run's problems that have no samples",
    )
    parser.add_argument(
        "--template", help="grpo/verl with --include-unseen: the run's template, if not built in"
    )
    parser.add_argument(
        "--data-source", default="reasonloop/math", help="verl: the rows' data_source"
    )


def run(args: argparse.Namespace) -> int:
    from reasonloop.build import write_dataset
    from reasonloop.sample.store import RunStore

    _check_options(args)
    with RunStore.open_existing(args.run_dir) as store:
        problems = store.problems()
        samples = store.samples_by_problem(round=args.round)
        rows = build_rows(args, problems, samples, store)
    if not rows:
        raise DataError(f"no {args.kind} rows from {args.run_dir}: {EMPTY_BECAUSE[args.kind]}")
    path = write_dataset(rows, args.out)
    used = len({row.get("problem_id", row.get("extra_info", {}).get("problem_id")) for row in rows})
    print(f"wrote {len(rows)} {args.kind} rows from {used} of {len(problems)} problems to {path}")
    return 0


def build_rows(
    args: argparse.Namespace,
    problems: Sequence[Problem],
    samples: Mapping[str, Sequence[GradedSample]],
    store: RunStore,
) -> list[dict[str, Any]]:
    """The rows of `args.kind` from the run's problems and samples."""
    from reasonloop.build import (
        build_dpo_pairs,
        build_grpo_prompts,
        build_sft_dataset,
        to_verl_rows,
    )

    cap = args.max_per_problem
    if args.kind == "sft":
        return build_sft_dataset(
            problems, samples, max_per_problem=cap or 4, balance=args.balance, seed=args.seed
        )
    if args.kind == "dpo":
        return build_dpo_pairs(
            problems, samples, max_pairs_per_problem=cap or 4, pairing=args.pairing, seed=args.seed
        )
    render = None
    if args.include_unseen:
        from reasonloop.cli.profile import rebuild_template

        render = rebuild_template(store.fingerprint, args.template, Path(args.run_dir)).render
    rows = build_grpo_prompts(problems, samples, include_unseen=args.include_unseen, render=render)
    return to_verl_rows(rows, args.data_source) if args.kind == "verl" else rows


def _check_options(args: argparse.Namespace) -> None:
    if args.max_per_problem is not None and args.kind not in ("sft", "dpo"):
        raise ConfigError("--max-per-problem applies to sft and dpo datasets only")
    if args.max_per_problem is not None and args.max_per_problem < 1:
        raise ConfigError(f"--max-per-problem must be at least 1, got {args.max_per_problem}")
    if args.include_unseen and args.kind not in ("grpo", "verl"):
        raise ConfigError("--include-unseen applies to grpo and verl datasets only")
    if Path(args.out).suffix.lower() not in (".jsonl", ".parquet"):
        raise ConfigError(f"-o {args.out}: the file must end in .jsonl or .parquet")
