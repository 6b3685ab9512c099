"""`reasonloop verify`: one pair as JSON, a JSONL file graded to OUT, and bad input named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.verify.verdict import Status

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "verify_example.jsonl"
VERDICT_KEYS = {"correct", "status", "answer", "reason", "decided_by"}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize(
    ("gold", "response", "mode", "status"),
    [
        ("18", "so she earns \\boxed{18} dollars", "default", "correct"),
        ("\\frac12", "The final answer is $0.5$. I hope it is correct.", "default", "correct"),
        ("72", "48 + 24 = 62, so the answer is 62.", "default", "incorrect"),
        ("3", "The answer is 3 or 4.", "default", "incorrect"),
        ("5", "Let me think step by step.", "default", "no_answer"),
        ("", "\\boxed{5}", "default", "unparseable_gold"),
        ("12", "So she has 12 apples left.", "default", "correct"),
        ("12", "So she has about 12 apples left.", "default", "no_answer"),
        ("12", "So she has about 12 apples left.", "permissive", "correct"),
        ("\\frac12", "The answer is 0.5", "strict", "no_answer"),
    ],
)
def test_single_pair_prints_verdict_json(
    gold: str, response: str, mode: str, status: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["verify", "--gold", gold, "--response", response, "--mode", mode])
    assert code == 0
    verdict = json.loads(capsys.readouterr().out)
    assert set(verdict) == VERDICT_KEYS
    assert verdict["status"] == status
    assert verdict["correct"] is (status == "correct")


def test_example_file_is_graded_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "graded.jsonl"
    assert main(["verify", str(EXAMPLE), "-o", str(out), "--workers", "1", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    rows, graded = read_jsonl(EXAMPLE), read_jsonl(out)
    assert len(graded) == len(rows) == 20
    for row, done in zip(rows, graded, strict=True):
        assert {k: done[k] for k in row} == row  # input fields kept as they were
        assert VERDICT_KEYS <= set(done)
        assert done["correct"] is (done["status"] == "correct")
    counts = {status.value: 0 for status in Status}
    for done in graded:
        counts[str(done["status"])] += 1
    for status, count in counts.items():  # the printed table agrees with the rows written
        assert any(line.split()[:2] == [status, str(count)] for line in printed.splitlines())
    assert "total" in printed and f"wrote 20 graded rows to {out}" in printed
    by_id = {done["id"]: done["status"] for done in graded}
    assert (by_id[1], by_id[2], by_id[18], by_id[20]) == (
        "correct",
        "incorrect",
        "no_answer",
        "unparseable_gold",
    )


def test_many_rows_are_graded_in_chunks_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps(
            {
                "question": f"q{i}",
                "answer": str(i),
                "output": f"So it is {i + i % 2}.\n#### {i + i % 2}",
            }
        )
        for i in range(150)
    ]
    source = write_lines(tmp_path / "rows.jsonl", lines)
    out = tmp_path / "out.jsonl"
    args = ["verify", str(source), "--gold-field", "answer", "--response-field", "output"]
    assert main([*args, "-o", str(out), "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert "150/150" in captured.err  # the bar reached the end
    graded = read_jsonl(out)
    assert [row["question"] for row in graded] == [f"q{i}" for i in range(150)]
    assert [row["correct"] for row in graded] == [i % 2 == 0 for i in range(150)]


def test_stdin_is_read_with_dash(tmp_path: Path) -> None:
    rows = '{"gold": "2", "response": "\\\\boxed{2}"}\n{"gold": "3", "response": "\\\\boxed{4}"}\n'
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "reasonloop.cli.main", "verify", "-", "-o", str(out)]
    done = subprocess.run(
        [*command, "--no-progress"], input=rows, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert [row["status"] for row in read_jsonl(out)] == ["correct", "incorrect"]
    assert "correct" in done.stdout and "total" in done.stdout


@pytest.mark.parametrize(
    ("lines", "extra", "message"),
    [
        (None, [], "missing.jsonl: no such file"),
        ([], [], "rows.jsonl: no rows to grade"),
        (['{"gold": "1", "response": "1"}', '{"gold": 2,'], [], "rows.jsonl:2: not valid JSON"),
        (
            ['{"gold": "1", "response": "1"}', "", '{"response": "1"}'],
            [],
            "rows.jsonl:3: missing field 'gold' (fields found: response); pick another with "
            "--gold-field",
        ),
        (
            ['{"gold": "1", "answer": "1"}'],
            [],
            "rows.jsonl:1: missing field 'response' (fields found: answer, gold)",
        ),
        (
            ['{"gold": "1", "response": "1"}'],
            ["--response-field", "output"],
            "rows.jsonl:1: missing field 'output'",
        ),
        (['["1", "1"]'], [], "rows.jsonl:1: a JSON list, expected an object"),
        (['{"gold": {"value": 1}, "response": "1"}'], [], "rows.jsonl:1: field 'gold' is a dict"),
        (['{"gold": true, "response": "1"}'], [], "rows.jsonl:1: field 'gold' is a bool"),
    ],
)
def test_bad_files_are_named_with_line_and_field(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lines: list[str] | None,
    extra: list[str],
    message: str,
) -> None:
    source = tmp_path / ("missing.jsonl" if lines is None else "rows.jsonl")
    if lines is not None:
        write_lines(source, lines)
    out = tmp_path / "out.jsonl"
    assert main(["verify", str(source), "-o", str(out), "--no-progress", *extra]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error
    assert not out.exists()  # checked in full before anything is written


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["verify"], "nothing to grade"),
        (["verify", "--gold", "3"], "--gold and --response go together"),
        (["verify", "--response", "3"], "--gold and --response go together"),
        (["verify", "rows.jsonl", "--gold", "3", "--response", "3"], "not both"),
    ],
)
def test_bad_arguments_are_explained(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_output_folder_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no-such-dir" / "out.jsonl"
    assert main(["verify", str(EXAMPLE), "-o", str(out), "--no-progress"]) == 2
    assert "does not exist" in capsys.readouterr().err
