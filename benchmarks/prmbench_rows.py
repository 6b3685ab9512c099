"""Stepwise PRM training rows from PRMBench's train-split items (labels made by PRMBench).

    python benchmarks/prmbench_rows.py --per-type 25 -o prm_rows.jsonl

Takes the first `--per-type` items of each error type from the
`prm800k_train_p1_first400_*` files (PRM800K train problems) and writes TRL stepwise rows:
the original solution (every step right) and the modified one (right until the first marked
step, wrong from it on), with the same labels as floats in `soft_labels` (the column `build
prm` writes). PRMBench's modifications were written by an API model; the rows are for
measuring the trainer and the harness here, not for shipping.

`subset400`, the evaluation set, is not disjoint from these files: 64 of its 217 questions
are also train-file questions (rewritten with other errors). Items whose question (original
or modified) is an evaluation question are left out (`--eval`), so a PRM trained on these
rows is scored on problems it has not seen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reasonloop.evaluate.prmbench import PRMBenchItem, read_prmbench, stepwise_rows
from reasonloop.files import write_jsonl

PRMBENCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "prmbench"
DATA = PRMBENCH / "classified"
EVAL = PRMBENCH / "subset400" / "target_data.jsonl"


def eval_questions(path: Path) -> set[str]:
    """Every question (original and modified) of the evaluation file."""
    return {
        q.strip() for item in read_prmbench(path) for q in (item.question, item.modified_question)
    }


def unseen(items: list[PRMBenchItem], held_out: set[str], limit: int) -> list[PRMBenchItem]:
    """The first `limit` items that share no question with `held_out`."""
    kept = [i for i in items if not {i.question.strip(), i.modified_question.strip()} & held_out]
    return kept[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=25, help="items per error type")
    parser.add_argument("--data", default=str(DATA), help="PRMBench's classified/ folder")
    parser.add_argument(
        "--eval", default=str(EVAL), help="held-out PRMBench file (its questions are left out)"
    )
    parser.add_argument("-o", "--out", required=True, help="rows .jsonl to write")
    args = parser.parse_args()
    files = sorted(Path(args.data).glob("prm800k_train_p1_first400_4o_*.jsonl"))
    if not files:
        raise SystemExit(f"no prm800k_train_p1_first400_4o_*.jsonl under {args.data}")
    held_out = eval_questions(Path(args.eval))
    items, dropped = [], 0
    for file in files:
        every = read_prmbench(file)
        kept = unseen(every, held_out, args.per_type)
        dropped += (
            sum(1 for i in every[: every.index(kept[-1]) + 1] if i not in kept) if kept else 0
        )
        items += kept
    rows = stepwise_rows(items)
    write_jsonl(args.out, rows)
    print(
        f"{len(rows)} rows from {len(items)} items of {len(files)} error types -> {args.out} "
        f"({dropped} items passed over: their question is in {args.eval})"
    )


if __name__ == "__main__":
    main()
