"""The verifier against the labelled benchmark corpus and real GSM8K golds (skipped if absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.verify import Status, verify

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "corpus" / "verifier_cases.jsonl"
FORMS = ROOT / "benchmarks" / "corpus" / "form_cases.jsonl"
GSM8K = ROOT.parent / "shared" / "data" / "gsm8k" / "test.jsonl"


@pytest.mark.skipif(not CORPUS.exists(), reason="benchmark corpus not present")
def test_labelled_corpus_no_false_positives_and_high_recall() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text().splitlines() if line.strip()]
    false_positives, misses = [], 0
    for row in rows:
        verdict = verify(row["response"], row["gold"])
        if verdict.correct and not row["label"]:
            false_positives.append(row["id"])
        misses += row["label"] and not verdict.correct
    assert false_positives == []
    assert misses <= 0.03 * len(rows)


@pytest.mark.skipif(not FORMS.exists(), reason="forms suite not present")
def test_real_forms_suite_has_no_false_positives() -> None:
    # real solutions that reject values in words, use Unicode math or name roots (issue 20)
    rows = [json.loads(line) for line in FORMS.read_text().splitlines() if line.strip()]
    false_positives = [
        row["id"]
        for row in rows
        if not row["label"] and verify(row["response"], row["gold"]).correct
    ]
    assert false_positives == []
    assert sum(row["label"] for row in rows) > 100


@pytest.mark.skipif(not GSM8K.exists(), reason="GSM8K data not present")
def test_gsm8k_golds_grade_their_own_solutions() -> None:
    rows = [json.loads(line) for line in GSM8K.read_text().splitlines()[:500]]
    for row in rows:
        gold = row["answer"].rsplit("####", 1)[1].strip()
        assert verify(row["answer"], gold).status is Status.CORRECT, row["answer"][-80:]
        assert not verify(f"The answer is {gold}1.", gold).correct
