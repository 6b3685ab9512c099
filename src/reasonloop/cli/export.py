"""`reasonloop export`: a run's samples as JSONL or Parquet, one row per sample."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.files import write_jsonl

SUFFIXES = (".jsonl", ".parquet")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN_DIR", help="a run directory made by `sample`")
    parser.add_argument("--to", required=True, metavar="FILE", help="output .jsonl or .parquet")
    parser.add_argument("--round", type=int, help="only this sampling round")


def run(args: argparse.Namespace) -> int:
    from reasonloop.sample.store import RunStore

    out = Path(args.to)
    if out.suffix.lower() not in SUFFIXES:
        raise ConfigError(f"--to {out}: the file must end in .jsonl or .parquet")
    with RunStore.open_existing(args.run_dir) as store:
        rows = [
            flatten_row(row)
            for row in store.iter_rows()
            if args.round is None or row["round"] == args.round
        ]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".jsonl":
        write_jsonl(out, rows)
    else:
        write_parquet(rows, out)
    print(f"wrote {len(rows)} samples from {args.run_dir} to {out}")
    return 0


def flatten_row(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row with `tokens` (completion tokens) and `latency` aliases added."""
    return {**row, "tokens": row["completion_tokens"], "latency": row["latency_s"]}


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as error:
        raise ConfigError(
            "Parquet export needs pyarrow: pip install 'reasonloop[hf]', or export to .jsonl"
        ) from error
    # The prompt (chat turns) and metadata (a problem's meta, its keys vary by source) are kept
    # as JSON text, so every row has one type.
    flat = [
        {
            **row,
            "prompt": json.dumps(row["prompt"], ensure_ascii=False),
            "metadata": json.dumps(row["metadata"], ensure_ascii=False, sort_keys=True),
        }
        for row in rows
    ]
    table = pa.Table.from_pylist(flat, schema=_parquet_schema(pa)) if flat else _empty(pa)
    pq.write_table(table, path)


def _parquet_schema(pa: Any) -> Any:
    return pa.schema(
        [
            ("problem_id", pa.string()),
            ("sample_index", pa.int64()),
            ("round", pa.int64()),
            ("question", pa.string()),
            ("gold", pa.string()),
            ("source", pa.string()),
            ("prompt", pa.string()),
            ("response", pa.string()),
            ("correct", pa.bool_()),
            ("status", pa.string()),
            ("answer", pa.string()),
            ("reason", pa.string()),
            ("prompt_tokens", pa.int64()),
            ("completion_tokens", pa.int64()),
            ("finish_reason", pa.string()),
            ("latency_s", pa.float64()),
            ("max_new_tokens", pa.int64()),
            ("created_at", pa.float64()),
            ("tokens", pa.int64()),
            ("latency", pa.float64()),
            ("metadata", pa.string()),
        ]
    )


def _empty(pa: Any) -> Any:
    return _parquet_schema(pa).empty_table()
