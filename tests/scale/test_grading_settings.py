"""The Ray grading functions take one frozen settings value; called here without Ray (the
same call a Ray task makes with `fn_kwargs`), they give the local verdicts."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError

import pytest

from reasonloop.scale.ray_sample import BatchGrading
from reasonloop.scale.ray_verify import ERROR_COLUMN, TableGrading, grade_table
from reasonloop.verify import verify_batch

PAIRS = [
    ("so she earns \\boxed{18} dollars", "18"),
    ("The answer is 17.", "18"),
    ("The answer is $0.5$.", "\\frac{1}{2}"),
    ("I do not know.", "72"),
]


@pytest.mark.parametrize(
    "grading",
    [
        TableGrading("gold", "response", workers=0),
        TableGrading("target", "output", question_field="q", mode="permissive", workers=0),
    ],
    ids=["default-fields", "renamed-fields"],
)
def test_a_block_is_graded_as_its_settings_say(grading: TableGrading) -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table(
        {
            grading.response_field: [r for r, _ in PAIRS],
            grading.gold_field: [g for _, g in PAIRS],
        }
    )
    graded = grade_table(table, settings=grading, judge=None)
    local = verify_batch(PAIRS, workers=0, mode=grading.mode)
    assert graded.column("correct").to_pylist() == [v.correct for v in local]
    assert graded.column("status").to_pylist() == [v.status.value for v in local]


def test_a_block_without_a_text_gold_comes_back_as_its_error() -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"response": ["The answer is 3."], "gold": [[3]]})
    graded = grade_table(table, settings=TableGrading("gold", "response"), judge=None)
    error = pickle.loads(graded.column(ERROR_COLUMN)[0].as_py())
    assert "field 'gold' holds a list" in str(error)


@pytest.mark.parametrize("settings", [TableGrading("gold", "response"), BatchGrading(round=2)])
def test_settings_are_one_frozen_value_that_travels_pickled(
    settings: TableGrading | BatchGrading,
) -> None:
    assert pickle.loads(pickle.dumps(settings)) == settings
    with pytest.raises(FrozenInstanceError):
        settings.workers = 4  # type: ignore[misc]
