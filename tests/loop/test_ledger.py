"""The ledger writes each stage's typed record into stages.json and reads it back as that type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.errors import RunDirError
from reasonloop.loop.ledger import LEDGER_FILE, Ledger
from reasonloop.loop.records import EngineRecord, SampleRecord, StageRecord, TrainRecord


@pytest.mark.parametrize(
    ("record", "facts"),
    [
        (SampleRecord(samples=12, correct=5), {"samples": 12, "correct": 5}),
        (
            SampleRecord(samples=12, correct=5, judged=2, rationales=3, rationalized_problems=2),
            {"samples": 12, "correct": 5, "judged": 2, "rationales": 3, "rationalized_problems": 2},
        ),
        (
            EngineRecord(engine_dir="/cache/e1", cached=False),
            {"engine_dir": "/cache/e1", "cached": False},
        ),
        (TrainRecord(steps=3, model_dir="iter-1/model"), {"steps": 3, "model_dir": "iter-1/model"}),
    ],
)
def test_a_record_is_written_as_its_facts_and_read_back_as_itself(
    tmp_path: Path, record: StageRecord, facts: dict[str, object]
) -> None:
    ledger = Ledger.open(tmp_path)
    ledger.record("iter-1/stage", 1.25, record, identity="abc")
    entry = json.loads((tmp_path / LEDGER_FILE).read_text())["iter-1/stage"]
    # The facts left None are not written: stages.json holds what the stage had, as before.
    assert {
        k: v for k, v in entry.items() if k not in ("seconds", "finished_at", "identity")
    } == facts
    assert entry["seconds"] == 1.25 and entry["identity"] == "abc"
    reopened = Ledger.open(tmp_path)
    assert reopened.done("iter-1/stage", "abc") and not reopened.done("iter-1/stage", "other")
    assert reopened.read("iter-1/stage", type(record)) == record


def test_a_stage_not_finished_is_none_to_find_and_an_error_to_read(tmp_path: Path) -> None:
    ledger = Ledger.open(tmp_path)
    assert ledger.find("iter-1/sample", SampleRecord) is None
    with pytest.raises(RunDirError, match="no finished stage iter-1/sample"):
        ledger.read("iter-1/sample", SampleRecord)
