"""Run fingerprints for tests that open a run store directly."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec


def fake_fingerprint(**changes: Any) -> RunFingerprint:
    """What `reasonloop sample --model fake:arithmetic` records, with `changes` applied."""
    base = RunFingerprint(
        kind="sample",
        model_id="fake:arithmetic",
        sampler=SamplerSpec("fake", "arithmetic"),
        template=DEFAULT_TEMPLATE,
        temperature=0.8,
        top_p=1.0,
        seed=0,
        problems={"task": "arithmetic:digits=2"},
    )
    return replace(base, **changes)
