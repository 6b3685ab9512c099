"""Dataset files: JSONL and Parquet round trips, and the errors a user can hit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.dataset import read_dataset, to_hf_dataset, write_dataset
from reasonloop.errors import ConfigError, DataError

ROWS = [
    {
        "prompt": [
            {"role": "system", "content": "Think step by step."},
            {"role": "user", "content": "What is 6 × 7?"},
        ],
        "chosen": [{"role": "assistant", "content": "6 × 7 = 42. \\boxed{42}"}],
        "rejected": [{"role": "assistant", "content": "It is 48."}],
        "problem_id": "p1",
    },
    {
        "prompt": [{"role": "user", "content": "What is 1 + 1?"}],
        "chosen": [{"role": "assistant", "content": "2"}],
        "rejected": [{"role": "assistant", "content": "3"}],
        "problem_id": "p2",
    },
]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".JSONL"])
def test_round_trip_keeps_nested_messages(tmp_path: Path, suffix: str) -> None:
    path = write_dataset(ROWS, tmp_path / "sub" / f"pairs{suffix}")
    assert read_dataset(path) == ROWS
    assert not list(path.parent.glob("*.tmp"))


def test_verl_rows_round_trip_through_parquet(tmp_path: Path) -> None:
    rows = [
        {
            "data_source": "gsm8k",
            "prompt": [{"role": "user", "content": "q"}],
            "ability": "math",
            "reward_model": {"style": "rule", "ground_truth": "18"},
            "extra_info": {"index": 0, "problem_id": "p"},
        }
    ]
    assert read_dataset(write_dataset(rows, tmp_path / "verl.parquet")) == rows


def test_to_hf_dataset_keeps_columns() -> None:
    dataset = to_hf_dataset(ROWS)
    assert dataset.column_names == ["prompt", "chosen", "rejected", "problem_id"]
    assert dataset[0]["prompt"][1]["content"] == "What is 6 × 7?"


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (lambda d: write_dataset(ROWS, d / "x.csv"), ConfigError, r"\.jsonl or \.parquet"),
        (lambda d: write_dataset([], d / "x.jsonl"), DataError, "empty"),
        (lambda d: read_dataset(d / "missing.jsonl"), DataError, "does not exist"),
        (lambda d: read_dataset(d / "x.txt"), ConfigError, r"\.jsonl or \.parquet"),
    ],
)
def test_user_errors_name_the_problem(
    tmp_path: Path, action: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        action(tmp_path)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "message"),
    [('{"a": 1}\n{oops\n', r":2: not valid JSON"), ("[1]\n", ":1: a JSON list, expected")],
)
def test_bad_jsonl_names_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_dataset(path)
