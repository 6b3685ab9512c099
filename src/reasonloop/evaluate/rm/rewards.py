"""Reference-free rewards by name: what rm-eval and best-of-n score responses with.

A reward here never sees the gold answer; it scores a response to a problem, in TRL's reward
signature `reward(completions, **kwargs) -> list[float | None]`, so any of them can also be
handed to a TRL trainer. rm-eval passes two columns as keywords: `prompts` (the conversation
each response answered) and `question` (the problem text); None scores a failure.

Each reward has an `identity` string: the same identity means the same scores, which is what
the score cache is keyed by (a model reward's identity includes its weights' size and time).
Rewards are built by name with string options (`load_reward("orm", {"model": "DIR"})`); the
options are the keyword parameters of the reward's class, converted to their default's type.
The classes are imported only when asked for, so naming `length` loads no torch.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reasonloop.errors import ConfigError

# name -> ("module:Class", one-line help). Every class takes keyword options only.
REWARDS: dict[str, tuple[str, str]] = {
    "random": ("reasonloop.evaluate.rm.baselines:RandomReward", "seeded random score (chance)"),
    "length": ("reasonloop.evaluate.rm.baselines:LengthReward", "shorter responses score higher"),
    "logprob": (
        "reasonloop.evaluate.rm.model_rewards:LogProbReward",
        "the policy's mean log-probability per token of the response",
    ),
    "judge": (
        "reasonloop.evaluate.rm.model_rewards:JudgeReward",
        "a model judge without the gold: log P(Yes) - log P(No) to 'is this solution correct?'",
    ),
    "orm": (
        "reasonloop.evaluate.rm.model_rewards:OutcomeReward",
        "an outcome reward model (`reasonloop train orm`): its score of the response",
    ),
    "prm": (
        "reasonloop.evaluate.rm.model_rewards:ProcessReward",
        "a process reward model (`reasonloop train prm`): its step scores, aggregated",
    ),
}


class Reward(Protocol):
    """A reference-free reward: scores in TRL's signature and an identity for the cache."""

    identity: str

    def __call__(self, completions: Sequence[Any], **kwargs: Any) -> list[float | None]: ...


def load_reward(name: str, options: Mapping[str, str] | None = None) -> Reward:
    """The reward called `name`, built with `options` (strings, read as each option's type)."""
    if name not in REWARDS:
        raise ConfigError(f"unknown reward {name!r}; choose one of {', '.join(REWARDS)}")
    module_name, _, class_name = REWARDS[name][0].partition(":")
    reward_class = getattr(importlib.import_module(module_name), class_name)
    reward: Reward = reward_class(**convert_options(name, reward_class, options or {}))
    return reward


def convert_options(name: str, reward_class: type, options: Mapping[str, str]) -> dict[str, Any]:
    """`options` as the keyword arguments of `reward_class`, each of its default's type.

    >>> from reasonloop.evaluate.rm.baselines import RandomReward
    >>> convert_options("random", RandomReward, {"seed": "3"})
    {'seed': 3}
    """
    parameters = {
        p.name: p.default
        for p in inspect.signature(reward_class).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    unknown = sorted(set(options) - set(parameters))
    if unknown:
        known = ", ".join(sorted(parameters)) or "none"
        raise ConfigError(f"reward {name} has no option {', '.join(unknown)}; its options: {known}")
    converted: dict[str, Any] = {}
    for key, text in options.items():
        default = parameters[key]
        kind = type(default) if default is not None else str
        try:
            converted[key] = _convert(kind, text)
        except ValueError:
            raise ConfigError(
                f"reward {name}: option {key} must be a {kind.__name__}, got {text!r}"
            ) from None
    return converted


def _convert(kind: type, text: str) -> Any:
    if kind is bool:
        if text.lower() not in ("true", "false", "1", "0"):
            raise ValueError(text)
        return text.lower() in ("true", "1")
    return kind(text)


def parse_reward_spec(spec: str) -> tuple[str, dict[str, str]]:
    """A reward and its options from `name` or `name:key=value,key=value`.

    >>> parse_reward_spec("orm:model=runs/orm,batch_size=4")
    ('orm', {'model': 'runs/orm', 'batch_size': '4'})
    """
    name, _, rest = spec.strip().partition(":")
    return name.strip(), parse_options(item for item in rest.split(",") if item.strip())


def parse_options(items: Any) -> dict[str, str]:
    """`KEY=VALUE` strings as a mapping; anything else is a ConfigError naming it."""
    options: dict[str, str] = {}
    for item in items:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"reward option {item!r} must look like KEY=VALUE")
        options[key.strip()] = value.strip()
    return options
