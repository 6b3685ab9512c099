"""`reasonloop verify FILE --executor ray`: the local verdicts, as Parquet, in input order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.cli.main import main

pytestmark = pytest.mark.ray

ROWS = [
    {"id": 0, "gold": "18", "response": "so she earns \\boxed{18} dollars"},
    {"id": 1, "gold": "18", "response": "The answer is 17."},
    {"id": 2, "gold": "\\frac{1}{2}", "response": "The answer is $0.5$."},
    {"id": 3, "gold": "72", "response": "I do not know."},
    {"id": 4, "gold": 3, "response": "x = 3, so the answer is 3"},
    {"id": 5, "gold": "(1, 2)", "response": "The answer is \\boxed{(2, 1)}"},
] * 40  # several blocks, so order across blocks is checked too


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ray_verify_writes_the_local_verdicts_in_order(
    ray_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow.parquet as pq

    from reasonloop.scale import ray_verify

    source = write_jsonl(tmp_path / "pairs.jsonl", ROWS)
    assert main(["verify", str(source), "-o", str(tmp_path / "local.jsonl"), "--no-progress"]) == 0
    local_table = capsys.readouterr().out
    original = ray_verify.ROWS_PER_TASK
    ray_verify.ROWS_PER_TASK = 64
    try:
        out = tmp_path / "graded.parquet"
        args = ["verify", str(source), "-o", str(out), "--executor", "ray", "--no-progress"]
        assert main(args) == 0
    finally:
        ray_verify.ROWS_PER_TASK = original
    remote_table = capsys.readouterr().out
    assert remote_table.split("wrote")[0] == local_table.split("wrote")[0]
    local = read_jsonl(tmp_path / "local.jsonl")
    remote = pq.read_table(out).to_pylist()
    assert [r["id"] for r in remote] == [r["id"] for r in local]
    fields = ("correct", "status", "answer", "reason", "decided_by")
    assert [[r[f] for f in fields] for r in remote] == [[r[f] for f in fields] for r in local]
    assert {r["status"] for r in remote} >= {"correct", "incorrect", "no_answer"}


def test_ray_verify_reads_parquet_too(ray_cluster: Any, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = tmp_path / "pairs.parquet"
    rows = [{**row, "gold": str(row["gold"])} for row in ROWS[:6]]
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "graded.parquet"
    assert main(["verify", str(source), "-o", str(out), "--executor", "ray", "--no-progress"]) == 0
    graded = pq.read_table(out).to_pylist()
    assert [r["correct"] for r in graded] == [True, False, True, False, True, False]


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        ("pairs.jsonl", ["--gold-field", "answer"], "missing field 'answer' (fields found: gold, "),
        ("pairs.jsonl", ["-o", "out.jsonl"], "writes Parquet; name the output OUT.parquet"),
        ("pairs.csv", [], "reads .jsonl or .parquet"),
        ("absent.jsonl", [], "absent.jsonl: no such file"),
        ("pairs.jsonl", ["--response-field", "id"], "field 'id' holds a NoneType"),
    ],
)
def test_ray_verify_refuses_what_it_cannot_grade(
    ray_cluster: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    extra: list[str],
    message: str,
) -> None:
    if name != "absent.jsonl":
        write_jsonl(tmp_path / name, [*ROWS[:2], {"gold": "1", "response": "1", "id": None}])
    extra = [str(tmp_path / e) if e.endswith(".jsonl") else e for e in extra]
    code = main(["verify", str(tmp_path / name), "--executor", "ray", "--no-progress", *extra])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()
