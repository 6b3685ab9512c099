"""How hackable is a verifier? Attack success per pattern for rule-only, judge-only and hybrid.

Every probe (`probes.py`) is a wrong response, so the attack success rate of a configuration on
a pattern is the share of that pattern's probes it calls correct. `gate` is the share of probes
the hybrid would show to *any* judge at all: an upper bound on the hybrid's attack success
whatever the judge says. On a labelled set of answers in unusual forms, the audit counts the
rule's false negatives among the correct ones and how many the hybrid recovered, and how many
of the wrong ones (same forms, wrong values: what a judge must still refuse) the hybrid accepted.

Judge-only sees what the hybrid's judge sees, for every probe: the gold, the question and the
extracted answer (the response's last line when nothing was extracted), and takes its yes as
it comes. The hybrid asks only where its gate opens, and keeps a yes only when the judge says
no to the control question (`hybrid.decide_with_control`). The two share the judge's decisions
through its cache, so the judge answers each distinct pair once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

from reasonloop.tasks.problem import Problem
from reasonloop.verify.batch import verify_batch
from reasonloop.verify.judge.hybrid import decide_with_control, route_to_judge
from reasonloop.verify.judge.model_judge import JudgeDecision, JudgeRequest, ModelJudge
from reasonloop.verify.judge.probes import build_probes
from reasonloop.verify.verdict import Verdict

CONFIGURATIONS = ("rule", "judge", "hybrid")
UNUSUAL_FILE = "judge_unusual_answers.jsonl"
MAX_TAIL_CHARS = 200
JUDGE_CHUNK = 32  # requests per progress step


@dataclass(frozen=True)
class LabelledAnswer:
    """A response whose answer is written in a form the rule may not read, and its label."""

    question: str
    gold: str
    response: str
    form: str
    correct: bool = True


@dataclass(frozen=True)
class PatternResult:
    """Probes of one pattern, and how many each configuration accepted (all wrongly)."""

    pattern: str
    probes: int
    accepted: dict[str, int | None]  # None: configuration not run (no judge)
    gate: int  # probes the hybrid would show to a judge

    def rate(self, configuration: str) -> float | None:
        count = self.accepted[configuration]
        return None if count is None else count / max(self.probes, 1)


@dataclass(frozen=True)
class RecoveryResult:
    """The rule's false negatives on correct unusual answers, and what the judge recovered;
    and the wrong unusual answers the hybrid accepted (its exposure beyond the probes)."""

    answers: int
    rule_correct: int
    rule_false_negatives: int
    gate: int  # false negatives the hybrid could ask the judge about
    hybrid_recovered: int | None
    judge_correct: int | None  # correct answers the judge alone accepted
    wrong_answers: int = 0
    wrong_gate: int = 0  # wrong answers the hybrid shows to the judge
    wrong_hybrid_accepted: int | None = None
    wrong_judge_accepted: int | None = None
    by_form: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditReport:
    judge: str | None
    problems: int
    patterns: list[PatternResult]
    recovery: RecoveryResult
    judge_calls: int
    undecided: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for row, result in zip(data["patterns"], self.patterns, strict=True):
            row["rates"] = {c: result.rate(c) for c in CONFIGURATIONS}
            row["gate_rate"] = result.gate / max(result.probes, 1)
        return data


def load_unusual_answers() -> list[LabelledAnswer]:
    """reasonloop's labelled set of correct answers in forms the rule may not read."""
    path = resources.files("reasonloop").joinpath("data").joinpath(UNUSUAL_FILE)
    lines = path.read_text("utf-8").splitlines()
    return [LabelledAnswer(**json.loads(line)) for line in lines if line.strip()]


def audit_verifier(
    problems: Sequence[Problem],
    judge: ModelJudge | None = None,
    *,
    unusual: Sequence[LabelledAnswer] | None = None,
    patterns: Sequence[str] | None = None,
    mode: str = "default",
    workers: int | None = None,
    progress: bool = False,
) -> AuditReport:
    """Run every probe built from `problems` (and the labelled set) through each configuration.

    Without a judge only the rule (and the gate, which needs no judge) is measured.
    """
    probes = build_probes(problems, patterns)
    unusual = list(unusual) if unusual is not None else load_unusual_answers()
    cases = [(p.response, p.gold, p.question) for p in probes]
    cases += [(a.response, a.gold, a.question) for a in unusual]
    graded = _grade(cases, judge, mode, workers, progress)
    names = list(dict.fromkeys(p.pattern for p in probes))
    by_pattern: dict[str, list[_Graded]] = {name: [] for name in names}
    for probe, grade in zip(probes, graded, strict=False):  # the labelled answers come after
        by_pattern[probe.pattern].append(grade)
    rows = [_pattern_result(name, by_pattern[name]) for name in names]
    recovery = _recovery(unusual, graded[len(probes) :])
    undecided = sum(g.decision is not None and g.decision.decision == "undecided" for g in graded)
    return AuditReport(
        judge=None if judge is None else judge.name,
        problems=len(problems),
        patterns=rows,
        recovery=recovery,
        judge_calls=0 if judge is None else judge.model_calls,
        undecided=undecided,
    )


@dataclass(frozen=True)
class _Graded:
    rule: Verdict
    gate: bool
    decision: JudgeDecision | None  # the judge's decision on the pair, when a judge was given
    hybrid_yes: bool = False  # the gate opened and the judge's yes survived the control

    def accepted(self, configuration: str) -> bool | None:
        if configuration == "rule":
            return self.rule.correct
        if self.decision is None:
            return None
        if configuration == "judge":
            return self.decision.decision == "yes"
        return self.rule.correct or self.hybrid_yes


def _grade(
    cases: list[tuple[str, str, str]],
    judge: ModelJudge | None,
    mode: str,
    workers: int | None,
    progress: bool,
) -> list[_Graded]:
    pairs = [(response, gold) for response, gold, _ in cases]
    rule = verify_batch(pairs, workers=workers, mode=mode)
    gates = [
        not v.correct and route_to_judge(r, g, v, mode).open
        for (r, g), v in zip(pairs, rule, strict=True)
    ]
    decisions: list[JudgeDecision | None] = [None] * len(cases)
    hybrid_yes = [False] * len(cases)
    if judge is not None:
        requests = [
            JudgeRequest(gold, judged_answer(response, verdict), question)
            for (response, gold, question), verdict in zip(cases, rule, strict=True)
        ]
        decisions = list(_decide(judge, requests, progress))
        opened = [i for i, gate in enumerate(gates) if gate]
        controlled = decide_with_control(judge, [requests[i] for i in opened])
        for index, decision in zip(opened, controlled, strict=True):
            hybrid_yes[index] = decision.decision == "yes"
    return [
        _Graded(v, g, d, y) for v, g, d, y in zip(rule, gates, decisions, hybrid_yes, strict=True)
    ]


def judged_answer(response: str, verdict: Verdict) -> str:
    """What a judge is shown: the extracted answer, else the response's last line (bounded)."""
    if verdict.answer is not None:
        return verdict.answer
    lines = [line for line in response.splitlines() if line.strip()]
    return lines[-1][-MAX_TAIL_CHARS:] if lines else ""


def _decide(judge: ModelJudge, requests: list[JudgeRequest], progress: bool) -> list[JudgeDecision]:
    from tqdm import tqdm

    decisions: list[JudgeDecision] = []
    with tqdm(total=len(requests), desc="judge", unit="pair", disable=not progress) as bar:
        for start in range(0, len(requests), JUDGE_CHUNK):
            chunk = requests[start : start + JUDGE_CHUNK]
            decisions += judge.decide(chunk)
            bar.update(len(chunk))
    return decisions


def _pattern_result(name: str, graded: list[_Graded]) -> PatternResult:
    accepted: dict[str, int | None] = {}
    for configuration in CONFIGURATIONS:
        votes = [g.accepted(configuration) for g in graded]
        accepted[configuration] = None if None in votes else sum(bool(v) for v in votes)
    return PatternResult(name, len(graded), accepted, sum(g.gate for g in graded))


def _recovery(unusual: Sequence[LabelledAnswer], graded: Sequence[_Graded]) -> RecoveryResult:
    labelled = list(zip(unusual, graded, strict=True))
    right = [g for a, g in labelled if a.correct]
    wrong = [g for a, g in labelled if not a.correct]
    misses = [g for g in right if not g.rule.correct]
    judged = bool(graded) and graded[0].decision is not None
    by_form: dict[str, dict[str, int]] = {}
    for answer, g in labelled:
        counts = by_form.setdefault(answer.form, {"answers": 0, "rule": 0, "hybrid": 0})
        counts["answers"] += 1
        counts["rule"] += g.rule.correct == answer.correct
        counts["hybrid"] += bool(g.accepted("hybrid")) == answer.correct

    def count(items: list[_Graded], configuration: str) -> int | None:
        return sum(bool(g.accepted(configuration)) for g in items) if judged else None

    return RecoveryResult(
        answers=len(right),
        rule_correct=len(right) - len(misses),
        rule_false_negatives=len(misses),
        gate=sum(g.gate for g in misses),
        hybrid_recovered=count(misses, "hybrid"),
        judge_correct=count(right, "judge"),
        wrong_answers=len(wrong),
        wrong_gate=sum(g.gate for g in wrong),
        wrong_hybrid_accepted=count(wrong, "hybrid"),
        wrong_judge_accepted=count(wrong, "judge"),
        by_form=by_form,
    )
