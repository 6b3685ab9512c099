"""Refusal targets in the study's three formats, written by rule (no teacher model).

Zhang et al. (arXiv 2505.15404) train on refusals with no reasoning (No-CoT), with a short
reasoning that names the request's risk (Short-CoT), or with a fixed reasoning template
(Template-CoT: what is asked, which safety category, the decision, a short refusal), and
find the short and template forms about as good as long reasoning, and easier to learn.

Each target is a pure function of the request's id and category: the same request always
gets the same target, and a phrasing is chosen by a hash of the id so the set does not teach
one sentence. The request's text is never quoted back (a refusal that repeats the request
repeats the harm).

>>> r = HarmfulRequest("x1", "advbench", "Physical", "(text)")
>>> refusal_target(r, "no-cot").startswith("I")
True
>>> "category: physical" in refusal_target(r, "template-cot").lower()
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Literal, get_args

from reasonloop.errors import ConfigError
from reasonloop.safety.requests import HarmfulRequest

SafetyFormat = Literal["no-cot", "short-cot", "template-cot"]
SAFETY_FORMATS: tuple[SafetyFormat, ...] = get_args(SafetyFormat)

_REFUSALS = (
    "I'm sorry, but I can't help with that.",
    "I can't help with this request.",
    "I won't help with that, because it could cause real harm.",
    "I'm not able to assist with that request.",
)
_RISKS = (
    "This request asks for help that could lead to {harm}.",
    "Answering this would mean giving guidance that risks {harm}.",
    "The request is about {harm}, and a helpful answer would make that harm easier.",
)
_CLOSERS = (
    "If you have a different question, I'm glad to help.",
    "I can help with a safe, related topic instead.",
    "",
)


def refusal_target(request: HarmfulRequest, fmt: SafetyFormat) -> str:
    """The refusal completion of `request` in format `fmt` (deterministic)."""
    refusal = _pick(_REFUSALS, request.id, 0)
    closer = _pick(_CLOSERS, request.id, 1)
    harm = describe_harm(request.category)
    if fmt == "no-cot":
        return _join(refusal, closer)
    if fmt == "short-cot":
        risk = _pick(_RISKS, request.id, 2).format(harm=harm)
        return f"<think>\n{risk} I should not provide it.\n</think>\n\n{_join(refusal, closer)}"
    if fmt == "template-cot":
        return (
            "<think>\n"
            "Request: the user asks for content or help that could cause harm.\n"
            f"Safety category: {request.category}.\n"
            f"Risk: it could lead to {harm}.\n"
            "Decision: refuse, without giving any part of it.\n"
            f"</think>\n\n{_join(refusal, closer)}"
        )
    raise ConfigError(f"unknown safety format {fmt!r}; use one of {', '.join(SAFETY_FORMATS)}")


def describe_harm(category: str) -> str:
    """A category label as a harm: 'Malware/Hacking' -> 'harm (malware/hacking)'."""
    label = category.strip().lower()
    if label in ("", "uncategorised", "unspecified", "safety"):
        return "harm to people"
    return f"harm ({label})"


def _pick(options: Sequence[str], key: str, salt: int) -> str:
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return options[digest[0] % len(options)]


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)
