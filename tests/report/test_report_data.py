from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.errors import DataError, ReasonloopError
from reasonloop.report import REPORT_DATA_FILE, ReportData, read_report_data, write_report_data


def test_round_trip_through_json_restores_int_keys_and_tuples(report_data: ReportData) -> None:
    text = json.dumps(report_data.to_dict())
    restored = ReportData.from_dict(json.loads(text))
    assert restored == report_data
    assert all(isinstance(k, int) for k in restored.iterations[0].pass_at_k)
    assert isinstance(restored.iterations[1].train_losses[0], tuple)


def test_write_then_read_file(report_data: ReportData, tmp_path: Path) -> None:
    path = write_report_data(report_data, tmp_path / "run" / REPORT_DATA_FILE)
    assert read_report_data(path) == report_data


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ReasonloopError, match="no report data"):
        read_report_data(tmp_path / REPORT_DATA_FILE)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"title": "t"}', "missing model, task, iterations"),
    ],
)
def test_damaged_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / REPORT_DATA_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_report_data(path)


def test_iteration_missing_a_field_names_it(report_data: ReportData) -> None:
    raw = report_data.to_dict()
    del raw["iterations"][1]["ci_high"]
    with pytest.raises(DataError, match="iteration result is missing ci_high"):
        ReportData.from_dict(raw)


def test_public_api_is_pinned() -> None:
    import reasonloop.report as report

    assert set(report.__all__) == {
        "DIFFICULTY_LEVELS", "REPORT_DATA_FILE", "ExampleRow", "IterationResult", "ReportData",
        "read_report_data", "render_html", "render_report", "write_report_data",
    }  # fmt: skip
    assert all(hasattr(report, name) for name in report.__all__)


def test_every_level_and_status_has_a_colour() -> None:
    # The colours are keyed by the typed vocabularies, so a new level or status needs one.
    from reasonloop.profile.difficulty import LEVELS
    from reasonloop.report.plots import DIFFICULTY_COLOURS, STATUS_COLOURS
    from reasonloop.verify.verdict import Status

    assert set(DIFFICULTY_COLOURS) == set(LEVELS)
    assert set(STATUS_COLOURS) == {status.value for status in Status}
