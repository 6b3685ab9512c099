"""Judge prompt templates, read from `reasonloop/data/judge_templates.yaml` or a YAML file.

A template turns (gold, extracted answer, optional question) into the conversation the judge
model answers, and names how its reply is read (`reply.py`). Only `{gold}`, `{answer}` and
`{question}` are substituted, so LaTeX braces survive.

>>> template = load_judge_template("answer-only")
>>> template.reply, "Student answer: 1/2" in template.render("0.5", "1/2")[-1]["content"]
('yes-no', True)
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal, cast

import yaml

from reasonloop.backends.base import Conversation
from reasonloop.errors import ConfigError

ReplyStyle = Literal["yes-no", "final-decision"]
REPLY_STYLES: tuple[ReplyStyle, ...] = ("yes-no", "final-decision")
BUILTIN_FILE = "judge_templates.yaml"
NO_QUESTION = "(not given)"
_KEYS = {"reply", "system", "user", "examples"}
_PLACEHOLDER = re.compile(r"\{(gold|answer|question)\}")


@dataclass(frozen=True)
class JudgeTemplate:
    """A named judge prompt and the style of reply it asks for."""

    name: str
    reply: ReplyStyle
    user: str
    system: str | None = None
    examples: tuple[tuple[str, str, str], ...] = ()  # (gold, answer, reply) shown first

    def __post_init__(self) -> None:
        if "{gold}" not in self.user or "{answer}" not in self.user:
            raise ConfigError(
                f"judge template {self.name!r}: the user message must contain {{gold}} and "
                "{answer}"
            )
        if self.reply not in REPLY_STYLES:
            raise ConfigError(
                f"judge template {self.name!r}: reply must be one of {', '.join(REPLY_STYLES)}, "
                f"got {self.reply!r}"
            )

    @property
    def uses_question(self) -> bool:
        return "{question}" in self.user

    def render(self, gold: str, answer: str, question: str | None = None) -> Conversation:
        """The conversation asking the judge about one (gold, answer) pair."""
        user = _substitute(
            self.user, {"gold": gold, "answer": answer, "question": question or NO_QUESTION}
        )
        conversation: Conversation = []
        if self.system:
            conversation.append({"role": "system", "content": self.system})
        # Worked examples as earlier turns: small models copy the reply format they see.
        for gold_shown, answer_shown, reply in self.examples:
            shown = {"gold": gold_shown, "answer": answer_shown, "question": NO_QUESTION}
            conversation.append({"role": "user", "content": _substitute(self.user, shown)})
            conversation.append({"role": "assistant", "content": reply})
        conversation.append({"role": "user", "content": user})
        return conversation

    def fingerprint(self) -> str:
        """A hash of the template's text and reply style (part of the judge's identity)."""
        text = json.dumps([self.reply, self.system, self.user, self.examples])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _substitute(text: str, values: dict[str, str]) -> str:
    # One pass over the template: an answer that contains "{gold}" is not expanded again.
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def builtin_template_names() -> list[str]:
    return sorted(_read_templates_file(None))


def load_judge_template(name_or_path: str) -> JudgeTemplate:
    """A built-in template by name, or the only/first template in a YAML file of them."""
    path = Path(name_or_path)
    if name_or_path.endswith((".yaml", ".yml")):
        if not path.is_file():
            raise ConfigError(f"judge template file {name_or_path} does not exist")
        templates = _read_templates_file(path)
        return next(iter(templates.values()))
    templates = _read_templates_file(None)
    if name_or_path not in templates:
        known = ", ".join(sorted(templates))
        raise ConfigError(
            f"unknown judge template {name_or_path!r}; built-in templates: {known}, "
            "or give a .yaml file"
        )
    return templates[name_or_path]


def _read_templates_file(path: Path | None) -> dict[str, JudgeTemplate]:
    if path is None:
        text = (
            resources.files("reasonloop").joinpath("data").joinpath(BUILTIN_FILE).read_text("utf-8")
        )
        where = BUILTIN_FILE
    else:
        text, where = path.read_text(encoding="utf-8"), str(path)
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{where}: expected a mapping of template names to templates")
    return {str(name): _build(str(name), body, where) for name, body in data.items()}


def _build(name: str, body: object, where: str) -> JudgeTemplate:
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: template {name!r} must be a mapping with reply and user")
    unknown = set(body) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: template {name!r} has unknown keys {sorted(unknown)}")
    if "user" not in body or "reply" not in body:
        raise ConfigError(f"{where}: template {name!r} needs both 'reply' and 'user'")
    system = body.get("system")
    return JudgeTemplate(
        name=name,
        reply=cast(ReplyStyle, str(body["reply"])),
        user=str(body["user"]),
        system=None if system is None else str(system),
        examples=_read_examples(name, body.get("examples") or [], where),
    )


def _read_examples(name: str, items: object, where: str) -> tuple[tuple[str, str, str], ...]:
    if not isinstance(items, list) or not all(
        isinstance(item, dict) and set(item) == {"gold", "answer", "reply"} for item in items
    ):
        raise ConfigError(
            f"{where}: template {name!r}: examples must be a list of {{gold, answer, reply}}"
        )
    return tuple((str(i["gold"]), str(i["answer"]), str(i["reply"])) for i in items)
