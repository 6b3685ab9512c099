"""The run fingerprint: what produced a run directory's samples, and how to produce more.

Every command and the loop describe their samples with one `RunFingerprint`, written to the
run directory's `run.json`. It serves twice:

- **identity**: a run directory accepts new samples only from the same model, prompt template,
  sampling settings and problem source, so samples drawn on different days stay comparable.
  The token budget is left out on purpose (each sample records its own), so a later round
  with a longer budget may add to the same run; an evaluation pins it, since its numbers
  depend on it.
- **reopening**: the backend, its model argument and its constructor options are recorded
  (`SamplerSpec`), so `reasonloop profile RUN --resample-budget N` can draw more samples from
  any run, whichever command or loop stage made it. Where a server runs (`base_url`) is
  recorded but is not part of the identity; an API key is never recorded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.errors import ConfigError, RunDirError
from reasonloop.prompts import PromptTemplate

RunKind = Literal["sample", "eval", "rationale"]
RUN_KINDS: tuple[RunKind, ...] = get_args(RunKind)

# Options that say where a backend runs, not what it samples: recorded, never compared.
LOCATION_OPTIONS = frozenset({"base_url"})
# Options never written to disk.
SECRET_OPTIONS = frozenset({"api_key"})


@dataclass(frozen=True)
class SamplerSpec:
    """How to build a sampler again: `load_sampler(backend, model, **options)`."""

    backend: str
    model: str
    options: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def describing(cls, sampler: Sampler) -> SamplerSpec:
        """A spec for a sampler built outside reasonloop's registry: recorded, not loadable."""
        return cls(backend="", model=sampler.model_id)

    def load(self, **overrides: Any) -> Sampler:
        """The sampler again, with `overrides` on top of the recorded options."""
        from reasonloop.backends.registry import load_sampler

        if not self.backend:
            raise ConfigError(
                f"the run was sampled by {self.model!r}, built outside reasonloop's backends, "
                "so it cannot be rebuilt here; pass --model (and --backend)"
            )
        return load_sampler(self.backend, self.model, **{**self.options, **overrides})

    def to_dict(self) -> dict[str, Any]:
        options = {k: v for k, v in sorted(self.options.items()) if k not in SECRET_OPTIONS}
        return {"backend": self.backend, "model": self.model, "options": options}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SamplerSpec:
        return cls(str(data["backend"]), str(data["model"]), dict(data.get("options") or {}))


@dataclass(frozen=True)
class RunFingerprint:
    """What made a run's samples. `model_id` is what the sampler calls itself.

    >>> from reasonloop.prompts import DEFAULT_TEMPLATE
    >>> fp = RunFingerprint("sample", "fake:echo", SamplerSpec("fake", "echo"),
    ...                     DEFAULT_TEMPLATE, temperature=0.8, top_p=1.0, seed=0)
    >>> RunFingerprint.from_dict(json.loads(json.dumps(fp.to_dict()))) == fp
    True
    """

    kind: RunKind
    model_id: str
    sampler: SamplerSpec
    template: PromptTemplate
    temperature: float
    top_p: float
    seed: int
    problems: Mapping[str, Any] = field(default_factory=dict)
    max_new_tokens: int | None = None  # pinned by evaluations only
    hint: str | None = None  # the hint format of STaR rationalization

    @classmethod
    def for_sampler(
        cls,
        kind: RunKind,
        sampler: Sampler,
        spec: SamplerSpec,
        template: PromptTemplate,
        params: SamplingParams,
        **extra: Any,
    ) -> RunFingerprint:
        """The fingerprint of drawing with `sampler` (built from `spec`) under `params`."""
        return cls(
            kind,
            sampler.model_id,
            spec,
            template,
            temperature=params.temperature,
            top_p=params.top_p,
            seed=params.seed,
            **extra,
        )

    def params(self, max_new_tokens: int | None = None) -> SamplingParams:
        """The recorded sampling parameters with a token budget: `max_new_tokens`, else the
        pinned one, else the default."""
        budget = max_new_tokens or self.max_new_tokens or SamplingParams().max_new_tokens
        return SamplingParams(budget, self.temperature, self.top_p, self.seed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "model_id": self.model_id,
            "sampler": self.sampler.to_dict(),
            "template": self.template.to_dict(),
            "sampling": {"temperature": self.temperature, "top_p": self.top_p, "seed": self.seed},
            "problems": dict(self.problems),
            "max_new_tokens": self.max_new_tokens,
            "hint": self.hint,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunFingerprint:
        """Read back `to_dict()`; anything else is a `ValueError` naming what is missing."""
        try:
            kind = data["kind"]
            if kind not in RUN_KINDS:
                raise ValueError(f"unknown run kind {kind!r}")
            sampling = data["sampling"]
            template = data["template"]
            return cls(
                kind=kind,
                model_id=str(data["model_id"]),
                sampler=SamplerSpec.from_dict(data["sampler"]),
                template=PromptTemplate(template["system"], template["user"]),
                temperature=float(sampling["temperature"]),
                top_p=float(sampling["top_p"]),
                seed=int(sampling["seed"]),
                problems=dict(data.get("problems") or {}),
                max_new_tokens=data.get("max_new_tokens"),
                hint=data.get("hint"),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a run fingerprint (missing {error})") from error

    def identity(self) -> dict[str, Any]:
        """The part that must match for two runs' samples to mix (see the module doc)."""
        data = self.to_dict()
        options = data["sampler"]["options"]
        data["sampler"]["options"] = {k: v for k, v in options.items() if k not in LOCATION_OPTIONS}
        return data

    def identity_sha256(self) -> str:
        return hash_fingerprint(self.identity())


def canonicalize_fingerprint(fingerprint: Mapping[str, Any]) -> str:
    """The fingerprint as canonical JSON: sorted keys, no spaces, so equal configs hash equal.

    >>> canonicalize_fingerprint({"b": 1, "a": [1.0, "x"]})
    '{"a":[1.0,"x"],"b":1}'
    """
    try:
        return json.dumps(
            fingerprint, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as error:
        raise RunDirError(f"run fingerprint is not plain JSON data: {error}") from error


def hash_fingerprint(fingerprint: Mapping[str, Any]) -> str:
    """sha256 hex digest of the canonical JSON of `fingerprint`."""
    return hashlib.sha256(canonicalize_fingerprint(fingerprint).encode("utf-8")).hexdigest()


def diff_fingerprints(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Dotted names of the keys whose values differ (nested mappings are compared key by key).

    >>> diff_fingerprints({"model": "a", "sampling": {"seed": 0, "top_p": 1}},
    ...                   {"model": "a", "sampling": {"seed": 1, "top_p": 1}})
    ['sampling.seed']
    """
    differing: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            differing += [f"{key}.{sub}" for sub in diff_fingerprints(a, b)]
        elif key not in old or key not in new or _canonical(a) != _canonical(b):
            differing.append(str(key))
    return differing


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
