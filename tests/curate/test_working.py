"""The rationale screen on real hinted outputs of the embedded model (SmolLM2-135M-Instruct).

tests/curate/data/hinted_smollm2.jsonl holds every verified-correct response of hinted draws
(`rationalize`, temperature 0.8) on GSM8K train problems and 2-digit arithmetic, labelled by
hand: `keep` only where a step of the response computes the gold. Most are parrots ("One of
the parameters is 72. So the answer is 72.").
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reasonloop.curate.working import NO_WORKING, TALKS_ABOUT_HINT, screen_rationale

HERE = Path(__file__).parent
HINTED = [
    json.loads(line)
    for line in (HERE / "data" / "hinted_smollm2.jsonl").read_text("utf-8").splitlines()
]
GSM8K_TRAIN = HERE.parents[1] / ".." / "shared" / "data" / "gsm8k" / "train.jsonl"


@pytest.mark.parametrize("row", HINTED, ids=[f"{r['task']}-{r['gold']}" for r in HINTED])
def test_real_hinted_outputs(row: dict[str, object]) -> None:
    reason = screen_rationale(str(row["response"]), str(row["gold"]))
    assert (reason is None) is row["keep"], reason


def test_the_data_holds_both_kinds() -> None:
    kept = sum(bool(row["keep"]) for row in HINTED)
    assert kept >= 2 and len(HINTED) - kept >= 15


@pytest.mark.parametrize(
    ("response", "gold", "reason"),
    [
        ("The answer is 10.\n\nI can't hold a coin in my hand.", "10", NO_WORKING),  # the issue's
        ("Using the hint, 2 + 3 = 5.", "5", TALKS_ABOUT_HINT),
        ("12 * 4 = 42, so the answer is 42.", "42", NO_WORKING),  # the step is wrong
        ("48/2 = <<48/2=24>>24 and 48+24 = <<48+24=72>>72\n#### 72", "72", None),
        ("$40 − $4 = $36 more", "36", None),
        ("2 liters * 20% = <<2*20*.01=.4>>.4 liters", ".4", None),
        ("1,200 + 34 = 1,234. The answer is 1234.", "1234", None),
        ("5 / 0 = 7", "7", NO_WORKING),
        ("x = \\frac{1}{2} after solving; the answer is \\frac{1}{2}", "\\frac{1}{2}", None),
        ("The answer is \\frac{1}{2}.", "\\frac{1}{2}", NO_WORKING),
    ],
)
def test_screen_cases(response: str, gold: str, reason: str | None) -> None:
    assert screen_rationale(response, gold) == reason


def test_gsm8k_reference_solutions_are_kept() -> None:
    if not GSM8K_TRAIN.is_file():
        pytest.skip("GSM8K is not at ../shared/data/gsm8k")
    rows = [json.loads(line) for line in GSM8K_TRAIN.read_text("utf-8").splitlines()[:400]]
    golds = [row["answer"].split("####")[-1].strip().replace(",", "") for row in rows]
    kept = sum(screen_rationale(r["answer"], g) is None for r, g in zip(rows, golds, strict=True))
    # Human working computes the answer in a step; the rest solve equations in words.
    assert kept / len(rows) > 0.9


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +-*/x=.,$\n", max_size=400))
def test_never_raises_on_arithmetic_noise(text: str) -> None:
    assert screen_rationale(text, "12") in (None, NO_WORKING)


def test_bounded_on_long_adversarial_text() -> None:
    text = "1 + " * 200_000 + "1 = 9" + " " * 100_000
    start = time.perf_counter()
    screen_rationale(text, "9")
    # A hang guard, not a speed target: the text is capped and every regex run is bounded.
    assert time.perf_counter() - start < 10.0
