"""prm-eval on PRMBench's subset400: the oracle built from the labels scores 100% (a check
of the harness), the baselines score what they should, and the CLI writes the agreed keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.errors import DataError
from reasonloop.evaluate.prm_eval import (
    LengthScorer,
    RandomScorer,
    evaluate_prm,
    first_below,
    oracle_scorer,
    pairwise_credit,
)
from reasonloop.evaluate.prmbench import PRMBenchItem, first_per_type, parse_item, read_prmbench
from reasonloop.rewards.aggregate import AGGREGATIONS
from reasonloop.rewards.step_scores import ScoreRequest

SUBSET = Path(__file__).resolve().parents[3] / "shared" / "data" / "prmbench"
SUBSET = SUBSET / "subset400" / "target_data.jsonl"

pytestmark = pytest.mark.skipif(not SUBSET.is_file(), reason="needs ../shared/data/prmbench")


@pytest.fixture(scope="module")
def items() -> list[PRMBenchItem]:
    return read_prmbench(SUBSET)


def test_subset400_reads_as_documented(items: list[PRMBenchItem]) -> None:
    assert len(items) == 394
    counts = {t: sum(i.error_type == t for i in items) for t in {i.error_type for i in items}}
    assert counts.pop("multi_solutions") == 10 and set(counts.values()) == {48}
    assert all(i.first_error is None for i in items if i.error_type == "multi_solutions")
    # Marks past the end of a modified list are dropped and counted, never guessed.
    assert sum(i.dropped_marks for i in items) == 12
    assert all(max(i.error_steps, default=-1) < len(i.modified) for i in items)


def test_the_oracle_scores_100_percent_everywhere(items: list[PRMBenchItem]) -> None:
    figures = evaluate_prm(items, oracle_scorer(items), name="oracle").as_json()
    assert figures["first_error_accuracy"] == 1.0 and figures["n"] == 394
    assert figures["pairs"] == 384
    assert figures["pairwise_accuracy"] == {how: 1.0 for how in AGGREGATIONS}
    for group in figures["by_error_type"].values():
        assert group["first_error_accuracy"] == 1.0
        assert all(v in (1.0, None) for v in group["pairwise_accuracy"].values())


def test_random_is_seeded_and_near_chance_on_pairs(items: list[PRMBenchItem]) -> None:
    first = evaluate_prm(items, RandomScorer(seed=3)).as_json()
    assert first == evaluate_prm(items, RandomScorer(seed=3)).as_json()
    assert first != evaluate_prm(items, RandomScorer(seed=4)).as_json()
    assert all(0.4 < acc < 0.6 for acc in first["pairwise_accuracy"].values())
    assert first["first_error_accuracy"] < 0.2


@pytest.mark.parametrize(
    ("scores", "expected"),
    [([0.9, 0.7, 0.2, 0.8], 2), ([0.4], 0), ([0.5, 0.9], None), ([], None)],
)
def test_first_below_threshold(scores: list[float], expected: int | None) -> None:
    assert first_below(scores, 0.5) == expected


@pytest.mark.parametrize(("original", "modified", "credit"), [(0.9, 0.1, 1), (0.5, 0.5, 0.5)])
def test_pairwise_credit_counts_ties_as_half(
    original: float, modified: float, credit: float
) -> None:
    assert pairwise_credit(original, modified) == credit
    assert pairwise_credit(modified, original) == 1 - credit


def test_length_prefers_long_steps() -> None:
    [[short, long]] = LengthScorer().score_steps([("q", ("x" * 10, "x" * 640))])
    assert short < 0.5 < long and long == pytest.approx(640 / 704)


RECORD = {
    "original_process": ["a", "b", "c"],
    "modified_process": ["a", "B", "C"],
    "error_steps": [3, 2, 9],
    "classification": "circular",
    "original_question": "q",
    "idx": "x1",
}


def test_a_scorer_that_misses_the_first_error_is_counted_so() -> None:
    item = parse_item(RECORD, "here")
    assert item.error_steps == (1, 2) and item.first_error == 1 and item.dropped_marks == 1

    class Late:  # calls step 3 the first wrong one, and scores the original higher
        def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
            return [[1.0, 1.0, 1.0], [1.0, 0.9, 0.1]]

    figures = evaluate_prm([item], Late()).as_json()
    assert figures["first_error_accuracy"] == 0.0
    assert figures["pairwise_accuracy"]["min"] == 1.0
    assert figures["by_error_type"]["circular"]["n"] == 1


def test_a_scorer_must_score_every_step() -> None:
    class Short:
        def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
            return [[1.0]] * len(requests)

    with pytest.raises(ValueError, match="one score per step"):
        evaluate_prm([parse_item(RECORD, "here")], Short())


def test_a_record_without_the_fields_names_them() -> None:
    with pytest.raises(DataError, match="no error_steps"):
        parse_item({k: v for k, v in RECORD.items() if k != "error_steps"}, "f.jsonl:3")


def test_first_per_type_is_stratified(items: list[PRMBenchItem]) -> None:
    kept = first_per_type(items, 2)
    assert len(kept) == 18 and {i.error_type for i in kept} == {i.error_type for i in items}


def test_cli_writes_the_agreed_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "oracle.json"
    argv = ["prm-eval", "--data", str(SUBSET), "--scorer", "oracle", "--json", str(out)]
    assert main(argv) == 0
    figures = json.loads(out.read_text())
    assert figures["first_error_accuracy"] == 1.0
    assert set(figures["pairwise_accuracy"]) == set(AGGREGATIONS)
    assert "circular" in figures["by_error_type"]
    assert "first error" in capsys.readouterr().out


def test_training_rows_share_no_question_with_subset400(tmp_path: Path) -> None:
    """benchmarks/prmbench_rows.py draws from PRM800K train files that repeat 64 of
    subset400's 217 questions; it must leave those out, or a trained PRM is scored on
    problems it saw."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "prmbench_rows.py"
    out = tmp_path / "rows.jsonl"
    result = subprocess.run(
        [sys.executable, str(script), "--per-type", "6", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "passed over" in result.stdout
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    held_out = {q.strip() for i in read_prmbench(SUBSET) for q in (i.question, i.modified_question)}
    assert len(rows) == 2 * 6 * 8  # original + modified, 6 items of each of 8 error types
    assert not {str(r["prompt"]).strip() for r in rows} & held_out
