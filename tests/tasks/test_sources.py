"""load_problems: JSONL, Parquet, Hugging Face datasets and task specs; bad rows named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError, DataError
from reasonloop.tasks import Problem, generate_task, load_problems, load_problems_report

GSM8K_TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "gsm8k" / "test.jsonl"


def _write_jsonl(path: Path, rows: list[Any]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.skipif(not GSM8K_TEST.is_file(), reason="GSM8K test set not present")
def test_real_gsm8k_test_set() -> None:
    problems = load_problems(str(GSM8K_TEST))
    assert len(problems) == 1319
    assert problems[0].id == "gsm8k-test-0"
    assert problems[0].gold == "18"
    assert problems[0].question.startswith("Janet")
    assert problems[0].source == "gsm8k-test"
    assert problems[0].meta["solution"].endswith("#### 18")
    assert len({p.id for p in problems}) == 1319
    assert all(p.gold and "," not in p.gold for p in problems)
    assert load_problems(str(GSM8K_TEST), limit=5) == problems[:5]
    assert load_problems(str(GSM8K_TEST), format="gsm8k", limit=5) == problems[:5]


@pytest.mark.parametrize(
    ("rows", "kwargs", "expected"),
    [
        # gsm8k: the gold follows ####, commas dropped
        (
            [{"question": "How many?", "answer": "2 * 500 = 1000\n#### 1,000"}],
            {},
            [("data-0", "How many?", "1000")],
        ),
        # math: the last \boxed, nested braces kept
        (
            [{"problem": "Half?", "solution": r"It is $\boxed{\frac{1}{2}}$.", "level": "Level 2"}],
            {},
            [("data-0", "Half?", r"\frac{1}{2}")],
        ),
        # plain, numeric answers become text
        (
            [{"question": "2+2?", "answer": 4}, {"question": "3+3?", "answer": "6"}],
            {},
            [("data-0", "2+2?", "4"), ("data-1", "3+3?", "6")],
        ),
        # custom field names
        (
            [{"q": "2+2?", "a": " 4 "}],
            {"question_field": "q", "answer_field": "a"},
            [("data-0", "2+2?", "4")],
        ),
        # id fields, in order of preference
        (
            [
                {"id": 7, "question": "a", "answer": "1"},
                {"problem_id": "x", "question": "b", "answer": "2"},
                {"idx": 0, "question": "c", "answer": "3"},
            ],
            {},
            [("7", "a", "1"), ("x", "b", "2"), ("0", "c", "3")],
        ),
        # an explicit format wins over detection: "plain" keeps the whole answer
        (
            [{"question": "q", "answer": "so\n#### 5"}],
            {"format": "plain"},
            [("data-0", "q", "so\n#### 5")],
        ),
        # limit keeps the first N
        (
            [{"question": f"q{i}", "answer": str(i)} for i in range(5)],
            {"limit": 2},
            [("data-0", "q0", "0"), ("data-1", "q1", "1")],
        ),
    ],
)
def test_jsonl_formats(
    tmp_path: Path, rows: list[Any], kwargs: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    path = _write_jsonl(tmp_path / "data.jsonl", rows)
    problems = load_problems(str(path), **kwargs)
    assert [(p.id, p.question, p.gold) for p in problems] == expected
    assert all(p.source == "data" for p in problems)


def test_meta_keeps_other_fields_and_the_solution(tmp_path: Path) -> None:
    row = {
        "problem": "Half?",
        "solution": r"\boxed{1/2}",
        "level": "Level 2",
        "type": "Algebra",
        "tags": ["not", "scalar"],
    }
    [problem] = load_problems(str(_write_jsonl(tmp_path / "m.jsonl", [row])))
    assert dict(problem.meta) == {"level": "Level 2", "type": "Algebra", "solution": r"\boxed{1/2}"}


def test_blank_lines_are_skipped_and_line_numbers_stay_physical(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "d.jsonl",
        [
            {"question": "a", "answer": "1"},
            "",
            "   ",
            {"question": "b", "answer": ""},
        ],
    )
    with pytest.raises(DataError, match=r"d\.jsonl line 4: field 'answer': empty"):
        load_problems(str(path))


BAD_ROWS = [
    ('{"question": "q", "answer": ', 1, "'<row>'", "not valid JSON"),
    ("[1, 2]", 1, "'<row>'", "a JSON list, expected an object"),
    ({"question": "q"}, 1, "'answer'", "missing"),
    ({"answer": "#### 3"}, 1, "'question'", "missing"),
    ({"question": "q", "answer": "   "}, 1, "'answer'", "empty"),
    ({"question": "q", "answer": None}, 1, "'answer'", "missing"),
]


@pytest.mark.parametrize(("bad", "_line", "field", "reason"), BAD_ROWS)
def test_bad_row_names_file_line_and_field(
    tmp_path: Path, bad: Any, _line: int, field: str, reason: str
) -> None:
    path = _write_jsonl(tmp_path / "probs.jsonl", [{"question": "ok", "answer": "1"}, bad])
    with pytest.raises(DataError) as info:
        load_problems(str(path))
    message = str(info.value)
    assert f"{path} line 2: field {field}" in message
    assert reason in message
    assert "skip_bad" in message


@pytest.mark.parametrize(
    ("rows", "field", "reason"),
    [
        (
            [{"question": "a", "answer": "x\n#### 1"}, {"question": "b", "answer": "no marker"}],
            "answer",
            "no '#### ' gold marker",
        ),
        (
            [{"problem": "a", "solution": r"\boxed{1}"}, {"problem": "b", "solution": "none"}],
            "solution",
            "no balanced \\boxed{...} gold",
        ),
        (
            [{"problem": "a", "solution": r"\boxed{1}"}, {"problem": "b", "solution": r"\boxed{}"}],
            "solution",
            "empty gold",
        ),
    ],
)
def test_format_specific_bad_rows(tmp_path: Path, rows: list[Any], field: str, reason: str) -> None:
    path = _write_jsonl(tmp_path / "f.jsonl", rows)
    with pytest.raises(DataError) as info:
        load_problems(str(path))
    assert f"{path} line 2: field '{field}': {reason}" in str(info.value)


def test_skip_bad_counts_and_explains(tmp_path: Path) -> None:
    rows: list[Any] = [{"question": "a", "answer": "1"}]
    rows += [bad for bad, *_ in BAD_ROWS]
    rows += [{"question": "z", "answer": "26"}]
    path = _write_jsonl(tmp_path / "mixed.jsonl", rows)
    report = load_problems_report(str(path), skip_bad=True)
    assert [p.gold for p in report.problems] == ["1", "26"]
    assert report.skipped == len(BAD_ROWS)
    assert [reason.split(":")[0] for reason in report.skip_reasons] == [
        f"{path} line {n}" for n in range(2, 2 + len(BAD_ROWS))
    ]
    # ids keep counting bad rows, so they do not shift when a bad row is fixed later
    assert [p.id for p in report.problems] == ["mixed-0", f"mixed-{len(BAD_ROWS) + 1}"]
    assert load_problems(str(path), skip_bad=True) == list(report.problems)


def test_duplicate_id_is_a_data_error(tmp_path: Path) -> None:
    path = _write_jsonl(
        tmp_path / "dup.jsonl",
        [
            {"id": "a", "question": "q1", "answer": "1"},
            {"id": "b", "question": "q2", "answer": "2"},
            {"id": "a", "question": "q3", "answer": "3"},
        ],
    )
    with pytest.raises(
        DataError,
        match=r"dup\.jsonl line 3: field 'id': duplicate id 'a' "
        r"\(first at line 1\)",
    ):
        load_problems(str(path))
    report = load_problems_report(str(path), skip_bad=True)
    assert ([p.id for p in report.problems], report.skipped) == (["a", "b"], 1)


def test_all_rows_bad_or_empty_file_is_a_data_error(tmp_path: Path) -> None:
    bad = _write_jsonl(tmp_path / "bad.jsonl", [{"question": "q"}, "nope"])
    with pytest.raises(DataError, match=r"no usable problems \(2 bad rows skipped\)"):
        load_problems(str(bad), skip_bad=True)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DataError, match="empty.jsonl: no usable problems"):
        load_problems(str(empty))
    assert load_problems(str(empty), limit=0) == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("missing/probs.jsonl", "problem file not found: missing/probs.jsonl"),
        ("./nowhere", "problem file not found: ./nowhere"),
        ("/no/such/file.parquet", "problem file not found: /no/such/file.parquet"),
    ],
)
def test_missing_file_names_the_path(source: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_problems(source)


def test_unknown_suffix_is_a_data_error(tmp_path: Path) -> None:
    path = tmp_path / "probs.csv"
    path.write_text("question,answer\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"probs\.csv: cannot tell the file type.*'\.csv'"):
        load_problems(str(path))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"format": "csv"},
            "unknown problem format 'csv'; valid formats: auto, gsm8k, math, plain",
        ),
        ({"limit": -1}, "limit must be >= 0"),
        ({"split": "test"}, "split='test' only applies to Hugging Face datasets"),
    ],
)
def test_bad_options(tmp_path: Path, kwargs: dict[str, Any], message: str) -> None:
    path = _write_jsonl(tmp_path / "d.jsonl", [{"question": "q", "answer": "1"}])
    with pytest.raises(ConfigError, match=message):
        load_problems(str(path), **kwargs)


def test_parquet(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "question": ["2+2?", "3+3?", "4+4?"],
            "answer": ["so\n#### 4", None, "#### 8"],
            "level": [1, 2, 3],
        }
    )
    path = tmp_path / "arith.parquet"
    pq.write_table(table, path)
    with pytest.raises(DataError, match=r"arith\.parquet row 2: field 'answer': missing"):
        load_problems(str(path))
    report = load_problems_report(str(path), skip_bad=True)
    assert [(p.id, p.gold, p.meta["level"]) for p in report.problems] == [
        ("arith-0", "4", 1),
        ("arith-2", "8", 3),
    ]
    assert report.skipped == 1


def test_broken_parquet_is_a_data_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"not parquet at all")
    with pytest.raises(DataError, match=r"broken\.parquet: not a readable Parquet file"):
        load_problems(str(path))


@pytest.fixture
def saved_dataset(tmp_path: Path) -> Path:
    datasets = pytest.importorskip("datasets")
    rows = {"problem": ["Half?", "Third?"], "solution": [r"\boxed{1/2}", r"\boxed{1/3}"]}
    test_rows = {"problem": ["Quarter?"], "solution": [r"\boxed{1/4}"]}
    dataset = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_dict(rows),
            "test": datasets.Dataset.from_dict(test_rows),
        }
    )
    path = tmp_path / "mathlike"
    dataset.save_to_disk(str(path))
    return path


def test_saved_dataset_directory(saved_dataset: Path) -> None:
    train = load_problems(str(saved_dataset), split="train")
    assert [(p.id, p.question, p.gold, p.source) for p in train] == [
        ("mathlike-train-0", "Half?", "1/2", "mathlike-train"),
        ("mathlike-train-1", "Third?", "1/3", "mathlike-train"),
    ]
    assert [p.gold for p in load_problems(str(saved_dataset), split="test")] == ["1/4"]


@pytest.mark.parametrize(
    ("split", "message"),
    [
        (None, "no split given; choose one of: test, train"),
        ("validation", "no split 'validation'; choose one of: test, train"),
    ],
)
def test_saved_dataset_split_errors(saved_dataset: Path, split: str | None, message: str) -> None:
    with pytest.raises(DataError, match=message):
        load_problems(str(saved_dataset), split=split)


def test_dataset_directory_of_jsonl_files(tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    folder = tmp_path / "mydata"
    folder.mkdir()
    _write_jsonl(folder / "test.jsonl", [{"question": "q", "answer": "#### 1,234"}])
    problems = load_problems(str(folder), split="test")
    assert [(p.id, p.gold) for p in problems] == [("mydata-test-0", "1234")]


def test_unknown_hub_dataset_says_it_was_not_found_offline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    datasets = pytest.importorskip("datasets")
    import huggingface_hub.constants

    # no download and no network retries in tests
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(DataError, match="'no-such-org/no-such-set' could not be found locally"):
        load_problems("no-such-org/no-such-set")


@pytest.mark.parametrize(
    ("spec", "limit", "expected"),
    [
        ("arithmetic", 5, generate_task("arithmetic", 5)),
        ("arithmetic:digits=3,ops=+-*", 4, generate_task("arithmetic", 4, digits=3, ops="+-*")),
        ("linear:max_coef=5,seed=2", 3, generate_task("linear", 3, seed=2, max_coef=5)),
        ("fractions", 0, []),
    ],
)
def test_task_specs(spec: str, limit: int, expected: list[Problem]) -> None:
    assert load_problems(spec, limit=limit) == expected


def test_task_spec_default_size() -> None:
    problems = load_problems("arithmetic:digits=2")
    assert len(problems) == 1000
    assert problems[:3] == generate_task("arithmetic", 3)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "gsm8k"}, "format cannot be used with the built-in task"),
        ({"split": "test"}, "split cannot be used"),
        ({"question_field": "q", "answer_field": "a"}, "answer_field, question_field cannot"),
    ],
)
def test_task_spec_rejects_file_options(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_problems("arithmetic", **kwargs)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("arithmetic:width=3", "valid knobs: digits, ops"),
        ("algebra:digits=3", "unknown task 'algebra'; valid tasks: arithmetic, fractions, linear"),
    ],
)
def test_bad_task_spec_is_a_config_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_problems(spec)


def test_path_objects_are_accepted(tmp_path: Path) -> None:
    path = _write_jsonl(tmp_path / "d.jsonl", [{"question": "q", "answer": "1"}])
    assert load_problems(path) == load_problems(str(path))
