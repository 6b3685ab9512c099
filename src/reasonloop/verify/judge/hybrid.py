"""The hybrid verifier: the rule decides first; the judge only where the rule could not.

A pair reaches the judge when the gate opens (`gate.py`: the rule could not read or compare an
extracted, unguarded answer) and the answer's form passes the screen (`screen.py`). The judge's
yes or no then decides, with `decided_by="judge"`; an undecided judge leaves the rule's verdict.
A yes counts only when the judge says no to a control question: the same answer against a
different gold (the gold plus one). A judge that says yes to both cannot tell the two apart,
and its yes is undecided (small models say yes to nearly anything; see `audit.py`).
Pairs the rule decided cost no judge call and no extra work beyond the gate's check of
incorrect verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from reasonloop.verify.batch import verify_batch
from reasonloop.verify.judge.gate import Gate, open_gate
from reasonloop.verify.judge.model_judge import JudgeDecision, JudgeRequest, ModelJudge
from reasonloop.verify.judge.screen import screen_answer
from reasonloop.verify.numbers import parse_plain_number
from reasonloop.verify.read import read_gold
from reasonloop.verify.verdict import Status, Verdict


def route_to_judge(response: str, gold: str, verdict: Verdict, mode: str = "default") -> Gate:
    """The gate, then the screen: whether this rule verdict's answer may be shown to a judge."""
    gate = open_gate(response, gold, verdict, mode)
    if not gate.open:
        return gate
    assert verdict.answer is not None
    reading = read_gold(gold)
    gold_is_text = reading is not None and reading.words is not None and reading.node is None
    refused = screen_answer(verdict.answer, gold, gold_is_text)
    if refused is not None:
        return Gate(False, f"kept from the judge: {refused}")
    return gate


def apply_judge(
    pairs: Sequence[tuple[str, str]],
    rule_verdicts: Sequence[Verdict],
    judge: ModelJudge,
    *,
    questions: Sequence[str | None] | None = None,
    mode: str = "default",
    control: bool = True,
) -> list[Verdict]:
    """The final verdicts: rule verdicts, with the judge's decision where the route is open."""
    questions = list(questions) if questions is not None else [None] * len(pairs)
    if not len(pairs) == len(rule_verdicts) == len(questions):
        raise ValueError("pairs, rule verdicts and questions must have the same length")
    asked: list[int] = []
    requests: list[JudgeRequest] = []
    for index, ((response, gold), verdict) in enumerate(zip(pairs, rule_verdicts, strict=True)):
        if (
            verdict.status is Status.CORRECT
            or not route_to_judge(response, gold, verdict, mode).open
        ):
            continue
        assert verdict.answer is not None
        asked.append(index)
        requests.append(JudgeRequest(gold, verdict.answer, questions[index]))
    verdicts = list(rule_verdicts)
    for index, decision in zip(asked, decide_with_control(judge, requests, control), strict=True):
        verdicts[index] = merge_decision(verdicts[index], decision, judge.name)
    return verdicts


def decide_with_control(
    judge: ModelJudge, requests: Sequence[JudgeRequest], control: bool = True
) -> list[JudgeDecision]:
    """The judge's decisions; with `control`, a yes stands only if the judge says no to the
    same answer against a different gold (both asked in one batch)."""
    if not control:
        return judge.decide(requests)
    checks = [JudgeRequest(control_gold(r.gold), r.answer, r.question) for r in requests]
    decisions = judge.decide([*requests, *checks])
    kept = []
    for decision, check in zip(decisions[: len(requests)], decisions[len(requests) :], strict=True):
        if decision.decision == "yes" and check.decision != "no":
            reply = f"{decision.reply} (and {check.decision} to the control gold)"
            decision = JudgeDecision("undecided", reply, decision.cached)
        kept.append(decision)
    return kept


def control_gold(gold: str) -> str:
    """A gold the same answer cannot also match: a number plus one, an expression plus one,
    a text answer negated.

    >>> control_gold("12"), control_gold("x^2"), control_gold("Monday")
    ('13', 'x^2 + 1', 'not Monday')
    """
    text = gold.strip()
    number = parse_plain_number(text)
    if number is not None:
        value = number.value + 1
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
    reading = read_gold(text)
    if reading is not None and reading.words is not None and reading.node is None:
        return f"not {text}"
    return f"{text} + 1"


def merge_decision(rule: Verdict, decision: JudgeDecision, judge_name: str) -> Verdict:
    """The verdict after the judge's decision on a pair the rule could not decide."""
    if decision.decision == "undecided":
        reply = " ".join(decision.reply.split())[:60]
        return replace(rule, reason=f"{rule.reason}; the judge was undecided ({reply!r})")
    correct = decision.decision == "yes"
    says = "equivalent" if correct else "not equivalent"
    return Verdict(
        correct,
        Status.CORRECT if correct else Status.INCORRECT,
        rule.answer,
        f"judge {judge_name}: {says} (the rule could not decide: {rule.reason})",
        decided_by="judge",
    )


@dataclass(frozen=True)
class HybridVerifier:
    """`verify` / `verify_batch` with a model judge behind the rule.

    >>> from reasonloop.backends.fake import FakeSampler
    >>> judge = ModelJudge(FakeSampler("echo"), identity="fake:echo")
    >>> HybridVerifier(judge).verify("\\\\boxed{7}", "7").decided_by
    'rule'
    """

    judge: ModelJudge
    mode: str = "default"
    timeout: float = 1.0
    workers: int | None = None

    def verify(self, response: str, gold: str, question: str | None = None) -> Verdict:
        return self.verify_batch([(response, gold)], [question])[0]

    def verify_batch(
        self, pairs: Sequence[tuple[str, str]], questions: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        pairs = list(pairs)
        workers = 0 if len(pairs) == 1 else self.workers
        rule = verify_batch(pairs, workers=workers, timeout=self.timeout, mode=self.mode)
        return apply_judge(pairs, rule, self.judge, questions=questions, mode=self.mode)
