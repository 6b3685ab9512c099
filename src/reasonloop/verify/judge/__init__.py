"""A model judge behind the rule verifier, and an audit of how hackable a verifier is.

`HybridVerifier` (or `apply_judge` on rule verdicts) asks a `ModelJudge` only about answers the
rule could not read or compare (`route_to_judge`); `load_judge` builds a judge on any backend;
`audit_verifier` measures attack success per hacking pattern for rule-only, judge-only and
hybrid configurations.
"""

from reasonloop.verify.judge.cache import JudgeCache
from reasonloop.verify.judge.gate import Gate, open_gate
from reasonloop.verify.judge.hybrid import HybridVerifier, apply_judge, route_to_judge
from reasonloop.verify.judge.model_judge import (
    JudgeDecision,
    JudgeError,
    JudgeRequest,
    ModelJudge,
    load_judge,
)
from reasonloop.verify.judge.reply import read_reply
from reasonloop.verify.judge.templates import JudgeTemplate, load_judge_template

__all__ = [
    "Gate",
    "HybridVerifier",
    "JudgeCache",
    "JudgeDecision",
    "JudgeError",
    "JudgeRequest",
    "JudgeTemplate",
    "ModelJudge",
    "apply_judge",
    "load_judge",
    "load_judge_template",
    "open_gate",
    "read_reply",
    "route_to_judge",
]
