"""The loop summary is one typed record: written to summary.json with the keys readers always
had, read back as itself, and it names the grader of every task."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from reasonloop.errors import DataError, RunDirError
from reasonloop.loop.results import graders_of
from reasonloop.loop.summary import LoopSummary, read_summary, write_summary
from reasonloop.profile.significance import BOOTSTRAP, MCNEMAR, PairedComparison
from reasonloop.tasks import Problem

# The keys summary.json had before it was a record (a demo run's, in their order).
KEYS_BEFORE = [
    "baseline_accuracy", "final_accuracy", "delta_points", "baseline_ci", "final_ci",
    "accuracy_per_iteration", "baseline_permissive_accuracy", "final_permissive_accuracy",
    "significance", "significance_sampled", "n_test", "n_train", "iterations", "wall_seconds",
    "model", "task", "final_model", "report",
]  # fmt: skip

SUMMARY = LoopSummary(
    baseline_accuracy=0.005,
    final_accuracy=0.55,
    delta_points=54.5,
    baseline_ci=(0.001, 0.028),
    final_ci=(0.481, 0.617),
    accuracy_per_iteration=(0.005, 0.42, 0.55),
    baseline_permissive_accuracy=0.01,
    final_permissive_accuracy=0.56,
    significance=PairedComparison(MCNEMAR, 200, 0.005, 0.55, 109, 0, 3.08e-33),
    significance_sampled=PairedComparison(BOOTSTRAP, 200, 0.1, 0.5, 150, 10, 0.0, resamples=10000),
    n_test=200,
    n_train=100,
    iterations=2,
    wall_seconds=2741.3,
    model="default",
    task="arithmetic",
    final_model="demo-out/iter-2/model",
    report="demo-out/report.html",
    graders={"arithmetic": "verify"},
)


@pytest.mark.parametrize(
    "summary",
    [
        SUMMARY,
        replace(SUMMARY, significance_sampled=None, baseline_permissive_accuracy=None),
        replace(SUMMARY, iterations=0, stopped="iteration 1: nothing to train on: no sft rows"),
        replace(SUMMARY, graders={"chain_sum": "verify", "word_sorting": "reasoning_gym"}),
        replace(SUMMARY, train_start="base"),
    ],
    ids=["demo", "no-sampled-eval", "stopped", "reasoning-gym", "restarts"],
)
def test_a_summary_is_written_with_its_keys_and_read_back_as_itself(
    summary: LoopSummary, tmp_path: Path
) -> None:
    write_summary(summary, tmp_path)
    raw = json.loads((tmp_path / "summary.json").read_text())
    expected = [*KEYS_BEFORE, "graders", "train_start"]
    if summary.stopped is not None:  # only a run that stopped early says so
        expected.insert(expected.index("wall_seconds"), "stopped")
    assert sorted(raw) == sorted(expected)
    assert read_summary(tmp_path) == summary


def test_a_bootstrap_p_value_below_its_resolution_survives_the_round_trip(tmp_path: Path) -> None:
    write_summary(SUMMARY, tmp_path)
    raw = json.loads((tmp_path / "summary.json").read_text())
    assert raw["significance_sampled"]["p_value"] == "< 0.0001"
    assert read_summary(tmp_path).significance_sampled == SUMMARY.significance_sampled


def test_a_summary_written_before_graders_reads_with_none(tmp_path: Path) -> None:
    raw = SUMMARY.to_dict()
    del raw["graders"]
    (tmp_path / "summary.json").write_text(json.dumps(raw))
    assert read_summary(tmp_path) == replace(SUMMARY, graders={})


def test_a_missing_or_damaged_summary_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(RunDirError, match="reasonloop run"):
        read_summary(tmp_path)
    raw = SUMMARY.to_dict()
    del raw["n_test"]
    (tmp_path / "summary.json").write_text(json.dumps(raw))
    with pytest.raises(DataError, match="no 'n_test'.*re-run the loop"):
        read_summary(tmp_path)
    (tmp_path / "summary.json").write_text("[1, 2]")
    with pytest.raises(DataError, match="damaged"):
        read_summary(tmp_path)


def test_the_headline_is_the_line_the_cli_prints() -> None:
    assert SUMMARY.headline() == (
        "held-out accuracy 0.5% -> 55.0% (+54.5 points, n=200) in 2741 s; "
        "report: demo-out/report.html"
    )


def test_every_task_names_its_grader() -> None:
    gym = {"grader": "reasoning_gym", "rg_task": "word_sorting"}
    problems = [
        Problem("a-1", "What is 1 + 2?", "3", "arithmetic"),
        Problem("g-1", "Sort these words", "a, b", "rg", gym),
        Problem("g-2", "What is 2 + 3?", "5", "rg", {"grader": "verify", "rg_task": "chain_sum"}),
        Problem("f-1", "What is 4 + 4?", "8", "gsm8k-test"),
    ]
    assert graders_of(problems) == {
        "arithmetic": "verify",
        "chain_sum": "verify",
        "gsm8k-test": "verify",
        "word_sorting": "reasoning_gym",
    }
