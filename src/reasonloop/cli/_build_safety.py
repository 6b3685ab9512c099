"""`reasonloop build safety`: refusal rows in a chosen format, benign answers, a math share."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.safety.targets import SAFETY_FORMATS


def add_safety_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("safety (build safety; no RUN_DIR)")
    group.add_argument(
        "--format",
        choices=SAFETY_FORMATS,
        default="short-cot",
        help="refusal target: no reasoning, a short one, or the fixed template (default short-cot)",
    )
    group.add_argument(
        "--math-share",
        type=float,
        default=0.0,
        metavar="X",
        help="share of math rows in the whole set, in [0, 1) (default 0)",
    )
    group.add_argument(
        "--harmful",
        action="append",
        default=[],
        metavar="FILE",
        help="more harmful requests (JSONL or JSON list with `prompt`), repeatable",
    )
    group.add_argument(
        "--no-archives",
        action="store_true",
        help="leave out the fetched archives' requests (use --harmful files only)",
    )
    group.add_argument(
        "--refusals", type=int, default=1000, metavar="N", help="most refusal rows (1000)"
    )
    group.add_argument(
        "--math-run",
        metavar="DIR",
        help="math rows from this run's verified-correct samples (default: the built-in "
        "arithmetic task's gold solutions)",
    )
    group.add_argument(
        "--benign-model",
        metavar="M",
        help="answer the benign look-alikes with this model, keeping its compliant answers "
        "(default: no benign rows)",
    )


def run_safety(args: argparse.Namespace) -> int:
    from reasonloop.dataset import write_dataset
    from reasonloop.dataset.safety import SafetyMix, build_safety_dataset, math_count
    from reasonloop.safety.split import load_split

    if args.run_dir is not None:
        raise ConfigError(
            f"build safety takes no RUN_DIR (got {args.run_dir}); for math rows from a run's "
            "correct samples pass --math-run DIR"
        )
    mix = SafetyMix(args.format, args.math_share, args.refusals, args.seed)
    split = load_split(args.harmful, archives=not args.no_archives)
    print(f"harmful requests: {split.describe()}")
    answered = _benign_answers(args.benign_model) if args.benign_model else []
    wanted = math_count(min(len(split.train), mix.max_refusals) + len(answered), mix.math_share)
    pool, where = _math_pool(args.math_run, wanted, mix.seed)
    built = build_safety_dataset(split.train, mix, pool, answered)
    path = write_dataset(built.rows, args.out)
    print(
        f"wrote {len(built.rows)} safety rows ({args.format}) to {path}: {built.refusals} "
        f"refusals, {built.benign} benign answers, {built.math} math rows from {where}"
    )
    if built.math < built.math_wanted:
        print(
            f"note: the math share wanted {built.math_wanted} math rows; the pool had {built.math}"
        )
    if not args.benign_model:
        print("no benign rows: pass --benign-model M to answer the benign look-alikes")
    kinds = Counter(row["kind"] for row in built.rows)
    print("rows by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return 0


def _math_pool(run_dir: str | None, wanted: int, seed: int) -> tuple[list[dict[str, Any]], str]:
    from reasonloop.dataset.safety import arithmetic_math_rows, math_rows_from_sft

    if run_dir is None:
        return arithmetic_math_rows(wanted, seed=seed), "the arithmetic task's gold solutions"
    from reasonloop.dataset.sft import build_sft_dataset
    from reasonloop.sample.store import RunStore

    with RunStore.open_existing(run_dir) as store:
        rows = build_sft_dataset(store.problems(), store.samples_by_problem(), seed=seed)
    return math_rows_from_sft(rows), f"the correct samples of {Path(run_dir)}"


def _benign_answers(model: str) -> list[Any]:
    from reasonloop.backends.base import SamplingParams
    from reasonloop.cli._options import sampler_spec
    from reasonloop.safety.benign import make_lookalikes
    from reasonloop.safety.respond import answer_benign

    sampler = sampler_spec(model, None, None, []).load()
    requests = make_lookalikes()
    answered = answer_benign(sampler, requests, SamplingParams(256, 0.0))
    print(f"benign look-alikes: {len(answered)} of {len(requests)} answers judged compliant")
    return answered
