"""Stepwise PRM training rows from PRMBench's train-split items (labels made by PRMBench).

    python benchmarks/prmbench_rows.py --per-type 25 -o prm_rows.jsonl

Takes the first `--per-type` items of each error type from the
`prm800k_train_p1_first400_*` files (PRM800K train problems; `subset400`, the evaluation set,
comes from the test problems) and writes TRL stepwise rows: the original solution (every step
right) and the modified one (right until the first marked step, wrong from it on), with the
same labels as floats in `soft_labels` (the column `build prm` writes). PRMBench's
modifications were written by an API model; the rows are for measuring the trainer and the
harness here, not for shipping.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reasonloop.evaluate.prmbench import read_prmbench, stepwise_rows
from reasonloop.files import write_jsonl

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "prmbench" / "classified"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-type", type=int, default=25, help="items per error type")
    parser.add_argument("--data", default=str(DATA), help="PRMBench's classified/ folder")
    parser.add_argument("-o", "--out", required=True, help="rows .jsonl to write")
    args = parser.parse_args()
    files = sorted(Path(args.data).glob("prm800k_train_p1_first400_4o_*.jsonl"))
    if not files:
        raise SystemExit(f"no prm800k_train_p1_first400_4o_*.jsonl under {args.data}")
    items = [item for file in files for item in read_prmbench(file, limit=args.per_type)]
    rows = stepwise_rows(items)
    write_jsonl(args.out, rows)
    print(f"{len(rows)} rows from {len(items)} items of {len(files)} error types -> {args.out}")


if __name__ == "__main__":
    main()
