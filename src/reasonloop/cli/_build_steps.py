"""`reasonloop build step-dpo|prm RUN_DIR`: the dataset kinds built from a run's step values
(`reasonloop values RUN_DIR` first). Prints what was built and what was left out by reason,
and writes the same as JSON beside the rows (OUT.summary.json)."""

from __future__ import annotations

import argparse
from pathlib import Path

from reasonloop.errors import DataError


def summary_path(out: str | Path) -> Path:
    """Where the JSON summary of a step dataset written to `out` goes.

    >>> summary_path("pairs.jsonl").name
    'pairs.summary.json'
    """
    out = Path(out)
    return out.with_name(out.stem + ".summary.json")


def run_step_kind(args: argparse.Namespace) -> int:
    from reasonloop.dataset import write_dataset
    from reasonloop.dataset.rows import build_step_rows
    from reasonloop.files import write_json
    from reasonloop.sample.store import RunStore
    from reasonloop.steps.values import read_values

    with RunStore.open_existing(args.run_dir) as store:
        problems = store.problems()
        samples = store.samples_by_problem(round=args.round)
    valued = read_values(args.run_dir)
    try:
        built = build_step_rows(
            args.kind,
            problems,
            samples,
            valued,
            max_per_problem=args.max_per_problem or 4,
            value=args.value,
            seed=args.seed,
        )
    except DataError as error:
        raise DataError(f"{args.run_dir}: {error}") from error
    path = write_dataset(built.rows, args.out)
    summary = {"kind": args.kind, "run_dir": str(args.run_dir), **built.summary()}
    if args.kind == "step-dpo":
        summary["value"] = args.value
    write_json(summary_path(path), summary)
    used = len({row["problem_id"] for row in built.rows})
    print(
        f"wrote {len(built.rows)} {args.kind} rows from {used} of {len(problems)} problems "
        f"to {path}"
    )
    left_out = ", ".join(f"{n} {reason}" for reason, n in sorted(built.skipped.items()) if n)
    noun = "wrong responses" if args.kind == "step-dpo" else "samples"
    print(f"left out {noun}: {left_out or 'none'}; summary in {summary_path(path)}")
    return 0
