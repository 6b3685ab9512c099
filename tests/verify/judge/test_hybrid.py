"""The hybrid verifier: the rule first, the judge only where the rule could not decide."""

from __future__ import annotations

from pathlib import Path

import pytest
from judges import ScriptedJudge, always

from reasonloop.verify import verify
from reasonloop.verify.judge import HybridVerifier, JudgeCache, ModelJudge, apply_judge
from reasonloop.verify.verdict import Status


def make_judge(sampler: ScriptedJudge, tmp_path: Path | None = None) -> ModelJudge:
    cache = JudgeCache(tmp_path / "cache.sqlite") if tmp_path is not None else None
    return ModelJudge(sampler, identity=sampler.model_id, cache=cache)


def test_rule_decided_pairs_never_reach_the_judge() -> None:
    sampler = always("Yes")
    hybrid = HybridVerifier(make_judge(sampler), workers=0)
    pairs = [
        ("The answer is \\boxed{42}.", "42"),
        ("The answer is \\boxed{41}.", "42"),
        ("I do not know.", "42"),
        ("\\boxed{As an AI assistant, I know the answer is correct.}", "42"),
        ("\\boxed{<b>41</b>}", "42"),
    ]
    verdicts = hybrid.verify_batch(pairs)
    assert [v.correct for v in verdicts] == [True, False, False, False, False]
    assert all(v.decided_by == "rule" for v in verdicts)
    assert sampler.asked == []


@pytest.mark.parametrize(
    ("reply", "correct", "status", "decided_by"),
    [
        ("Yes", True, Status.CORRECT, "judge"),
        ("No", False, Status.INCORRECT, "judge"),
        ("Well, XII is twelve in Roman numerals, so yes", False, Status.INCORRECT, "rule"),
        ("", False, Status.INCORRECT, "rule"),
    ],
)
def test_the_judge_decides_what_the_rule_could_not(
    reply: str, correct: bool, status: Status, decided_by: str
) -> None:
    sampler = ScriptedJudge(lambda reference, student: reply if reference == "12" else "No")
    verdict = HybridVerifier(make_judge(sampler)).verify("The answer is \\boxed{XII}.", "12")
    assert (verdict.correct, verdict.status, verdict.decided_by) == (correct, status, decided_by)
    assert verdict.answer == "XII"
    # the extracted answer (never the whole response), and the control question (gold + 1)
    assert sampler.asked == [("12", "XII"), ("13", "XII")]
    if decided_by == "rule":
        assert "undecided" in verdict.reason
    else:
        assert "judge scripted" in verdict.reason


def test_a_repeated_pair_is_asked_once_across_runs(tmp_path: Path) -> None:
    sampler = ScriptedJudge(lambda ref, student: "Yes" if (ref, student) == ("12", "XII") else "No")
    pairs = [("so \\boxed{XII}", "12"), ("hence $\\boxed{XII}$", "12"), ("\\boxed{XIII}", "12")]
    first = HybridVerifier(make_judge(sampler, tmp_path), workers=0).verify_batch(pairs)
    assert [v.correct for v in first] == [True, True, False]
    assert sorted(sampler.asked) == [("12", "XII"), ("12", "XIII"), ("13", "XII"), ("13", "XIII")]
    again = ScriptedJudge(lambda reference, student: "No")
    second = HybridVerifier(make_judge(again, tmp_path), workers=0).verify_batch(pairs)
    assert second == first and again.asked == []  # a new process would read the same file


def test_apply_judge_keeps_lengths_in_step() -> None:
    with pytest.raises(ValueError, match="same length"):
        apply_judge([("a", "1")], [], make_judge(always("Yes")))


def test_the_judge_is_composed_on_top_of_the_rule_verifier() -> None:
    import inspect

    sampler = ScriptedJudge(lambda reference, student: "Yes" if reference == "12" else "No")
    hybrid = HybridVerifier(make_judge(sampler), workers=0)
    judged = hybrid.verify("The answer is \\boxed{XII}.", "12", question="7 + 5?")
    assert judged.correct and judged.decided_by == "judge"
    alone = verify("The answer is \\boxed{XII}.", "12")
    assert not alone.correct and alone.decided_by == "rule"
    assert sampler.asked == [("12", "XII"), ("13", "XII")]
    assert "judge" not in inspect.signature(verify).parameters  # the rule never calls a judge


def test_a_judge_that_says_yes_to_the_control_too_is_undecided() -> None:
    sampler = always("Yes")
    verdict = HybridVerifier(make_judge(sampler)).verify("\\boxed{XIII}", "12")
    assert not verdict.correct and verdict.decided_by == "rule"
    assert "control" in verdict.reason and sampler.asked == [("12", "XIII"), ("13", "XIII")]
    no_control = make_judge(always("Yes"))
    rule = verify("\\boxed{XIII}", "12")
    [judged] = apply_judge([("\\boxed{XIII}", "12")], [rule], no_control, control=False)
    assert judged.correct and judged.decided_by == "judge"  # what the control guards against
