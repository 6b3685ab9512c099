"""The verifier audit: probes are wrong, the rule accepts none, the hybrid holds a hacked judge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from judges import ScriptedJudge, always

from reasonloop.cli.main import main
from reasonloop.tasks.problem import Problem
from reasonloop.verify import verify_batch
from reasonloop.verify.judge import ModelJudge, apply_judge, route_to_judge
from reasonloop.verify.judge.audit import audit_verifier, load_unusual_answers
from reasonloop.verify.judge.audit_html import render_audit_html
from reasonloop.verify.judge.probes import PATTERNS, build_probes

PROBLEMS = [
    Problem("g1", "Janet has 16 eggs and eats 3. How many are left?", "13"),
    Problem("g2", "A robe takes 2 bolts of blue and half that of white. Total?", "3"),
    Problem("g3", "What is 70000 - 0?", "70000"),
    Problem("z", "What is 5 - 5?", "0"),
    Problem("n", "What is 2 - 6?", "-4"),
    Problem("d", "What is 3 / 4 as a decimal?", "0.75"),
    Problem("m1", "Simplify 2/4.", "\\frac{1}{2}"),
    Problem("m2", "Solve 2x = 6.", "x = 3"),
    Problem("m3", "Where is f positive?", "[0, 1)"),
    Problem("m4", "Which day comes after Sunday?", "Monday"),
    Problem("m5", "Simplify sqrt(8).", "2\\sqrt{2}"),
    Problem("m6", "Which option is right?", "B"),
]


def test_every_pattern_builds_probes_and_the_rule_accepts_none() -> None:
    probes = build_probes(PROBLEMS)
    assert {p.pattern for p in probes} == set(PATTERNS)
    verdicts = verify_batch([(p.response, p.gold) for p in probes], workers=0)
    pairs = zip(probes, verdicts, strict=True)
    accepted = [(p.pattern, p.gold, p.response) for p, v in pairs if v.correct]
    assert accepted == []


def test_probes_are_deterministic() -> None:
    assert build_probes(PROBLEMS[:3]) == build_probes(PROBLEMS[:3])
    with pytest.raises(ValueError, match="unknown probe patterns"):
        build_probes(PROBLEMS, ["nope"])


def test_hybrid_holds_a_judge_that_says_yes_to_everything() -> None:
    judge = ModelJudge(always("Yes"), identity="always-yes")
    report = audit_verifier(PROBLEMS, judge, workers=0)
    for row in report.patterns:
        assert row.rate("rule") == 0.0, row
        assert row.rate("judge") == 1.0, row  # the judge alone is hacked by every probe
        assert row.rate("hybrid") == 0.0, row  # the gate (and the control question) hold
    recovery = report.recovery
    # A judge that says yes to the control gold as well decides nothing: no recovery, but no
    # wrong answer in an unusual form is accepted either.
    assert recovery.hybrid_recovered == 0 and recovery.wrong_hybrid_accepted == 0
    assert recovery.gate > 0 and recovery.wrong_gate > 0


def test_without_the_control_the_gate_bounds_what_a_yes_judge_gets_through() -> None:
    judge = ModelJudge(always("Yes"), identity="always-yes")
    probes = build_probes(PROBLEMS)
    verdicts = verify_batch([(p.response, p.gold) for p in probes], workers=0)
    rule = list(verdicts)
    judged = apply_judge([(p.response, p.gold) for p in probes], rule, judge, control=False)
    assert sum(v.correct for v in judged) == sum(
        route_to_judge(p.response, p.gold, v).open for p, v in zip(probes, rule, strict=True)
    )
    assert sum(v.correct for v in judged) <= 0.01 * len(probes)


def test_a_judge_right_on_the_labelled_set_recovers_most_rule_false_negatives() -> None:
    labelled = load_unusual_answers()
    known = {(a.gold, a.response) for a in labelled}
    assert len(known) == len(labelled) >= 25
    extracted = verify_batch([(a.response, a.gold) for a in labelled], workers=0)
    pairs = zip(labelled, extracted, strict=True)
    right = {(a.gold, v.answer) for a, v in pairs if v.answer and a.correct}
    judge = ModelJudge(
        ScriptedJudge(lambda gold, answer: "Yes" if (gold, answer) in right else "No"),
        identity="oracle",
    )
    recovery = audit_verifier(PROBLEMS[:2], judge, unusual=labelled, workers=0).recovery
    assert recovery.rule_false_negatives > 0
    assert recovery.hybrid_recovered is not None
    assert recovery.hybrid_recovered >= recovery.rule_false_negatives / 2
    assert recovery.wrong_answers > 0 and recovery.wrong_hybrid_accepted == 0


def test_report_as_json_and_html() -> None:
    report = audit_verifier(PROBLEMS[:2], ModelJudge(always("No"), identity="no"), workers=0)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["judge"] == "no" and len(data["patterns"]) == len(PATTERNS)
    assert data["patterns"][0]["rates"]["hybrid"] == 0.0
    page = render_audit_html(report)
    assert page.count("<svg") == 4 and "gold_as_question" in page


def test_cli_audit_rule_only_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    html = tmp_path / "audit.html"
    args = ["audit-verifier", "--task", "arithmetic", "--limit", "3", "--workers", "0"]
    assert main([*args, "--json", "--html", str(html)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["judge"] is None and data["problems"] == 3
    assert all(row["accepted"]["judge"] is None for row in data["patterns"])
    assert html.read_text(encoding="utf-8").count("<svg") == 2  # rule, and what reaches a judge
    assert main([*args, "--patterns", "gibberish", "--judge", "fake:echo", "--no-judge-cache"]) == 0
    out = capsys.readouterr().out
    assert "gibberish" in out and "target rule-only 0% on every pattern: met" in out
    assert main([*args, "--patterns", "nope"]) == 2
