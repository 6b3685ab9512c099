"""Prompt templates: how a problem becomes the conversation a model answers.

The template only fills in the question; the MODEL's chat template (special tokens, turns) is
applied later by the sampler backend.

>>> DEFAULT_TEMPLATE.render(Problem("p1", "What is 2 + 3?", "5"))[0]["role"]
'user'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reasonloop.backends.base import Conversation
from reasonloop.errors import ConfigError
from reasonloop.tasks.problem import Problem

PLACEHOLDER = "{question}"


@dataclass(frozen=True)
class PromptTemplate:
    """A system message (optional) and a user message holding `{question}`.

    Only `{question}` is substituted, so other braces (`\\boxed{}`) are kept as written.
    """

    system: str | None
    user: str

    def __post_init__(self) -> None:
        if PLACEHOLDER not in self.user:
            raise ConfigError(
                f"prompt template user message must contain {PLACEHOLDER}; got {self.user!r}"
            )

    def render(self, problem: Problem) -> Conversation:
        """The conversation for `problem`: [system,] user."""
        conversation: Conversation = []
        if self.system:
            conversation.append({"role": "system", "content": self.system})
        user = self.user.replace(PLACEHOLDER, problem.question)
        conversation.append({"role": "user", "content": user})
        return conversation

    def fingerprint(self) -> str:
        """A stable hash of the template text; it changes when either message changes."""
        text = json.dumps({"system": self.system, "user": self.user}, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, str | None]:
        return {"system": self.system, "user": self.user}


# Kept short on purpose: the demo model has 135M parameters and loses long instructions.
DEFAULT_TEMPLATE = PromptTemplate(
    system=None,
    user='{question}\nEnd your reply with "The answer is N." where N is the final answer.',
)

TEMPLATES: dict[str, PromptTemplate] = {
    "default": DEFAULT_TEMPLATE,
    "boxed": PromptTemplate(
        system=None,
        user="{question}\nPlease reason step by step, and put your final answer within \\boxed{}.",
    ),
    "gsm8k": PromptTemplate(
        system="You are a careful math tutor.",
        user='{question}\nLet\'s think step by step. At the end, write "The answer is N."',
    ),
    "bare": PromptTemplate(system=None, user="{question}"),
}

_TEMPLATE_KEYS = {"system", "user"}


def load_template(name_or_path: str) -> PromptTemplate:
    """A built-in template by name, or one read from a YAML/JSON file with system/user keys."""
    if name_or_path in TEMPLATES:
        return TEMPLATES[name_or_path]
    path = Path(name_or_path)
    if path.suffix.lower() not in {".yaml", ".yml", ".json"}:
        raise ConfigError(
            f"unknown prompt template {name_or_path!r}; built-in templates: "
            f"{', '.join(sorted(TEMPLATES))}, or a .yaml/.json file path"
        )
    if not path.is_file():
        raise ConfigError(f"prompt template file not found: {path}")
    return _parse_template_file(path)


def _parse_template_file(path: Path) -> PromptTemplate:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ConfigError(f"prompt template file {path} is not valid YAML/JSON: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"prompt template file {path} must hold a mapping with system/user keys")
    unknown = sorted(set(data) - _TEMPLATE_KEYS)
    if unknown:
        raise ConfigError(
            f"prompt template file {path}: unknown key(s) {', '.join(unknown)}; "
            "allowed keys: system, user"
        )
    user, system = data.get("user"), data.get("system")
    if not isinstance(user, str):
        raise ConfigError(
            f"prompt template file {path}: 'user' must be a string holding {PLACEHOLDER}"
        )
    if system is not None and not isinstance(system, str):
        raise ConfigError(f"prompt template file {path}: 'system' must be a string or absent")
    try:
        return PromptTemplate(system=system, user=user)
    except ConfigError as error:
        raise ConfigError(f"prompt template file {path}: {error}") from None
