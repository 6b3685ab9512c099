"""Reopening a run: the sampler that made its samples, rebuilt from its fingerprint.

Any run directory (from `reasonloop sample`, `reasonloop eval`, or a loop stage) records how
its sampler was built, so later commands (resampling, rationalization) draw more samples that
match the old ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reasonloop.backends.base import Sampler
from reasonloop.errors import ConfigError, RunDirError
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.store import RUN_JSON, RunStore


def run_fingerprint(store: RunStore) -> RunFingerprint:
    """The store's fingerprint; a run.json of an older reasonloop cannot be reopened."""
    if store.fingerprint is None:
        raise RunDirError(
            f"{store.run_dir}/{RUN_JSON} does not record how its samples were drawn (it is "
            "missing or was written by an older reasonloop), so its sampler cannot be rebuilt"
        )
    return store.fingerprint


def reopened_spec(fingerprint: RunFingerprint, model: str | None) -> SamplerSpec:
    """How the run's sampler was built, with `model` (when given) in place of its model."""
    spec = fingerprint.sampler
    return spec if model is None else replace(spec, model=model)


def reopen_sampler(
    fingerprint: RunFingerprint,
    model: str | None,
    run_dir: Path,
    load: Callable[[SamplerSpec], Sampler] = SamplerSpec.load,
) -> Sampler:
    """The sampler that made the run (`model` replaces the recorded model argument), built
    by `load`: the caller's choice of where it runs (on a `ray` executor, only its name
    here: `cli._executor.load_on_executor`).

    The result must call itself what the run recorded, so new samples never mix with another
    model's.
    """
    sampler = load(reopened_spec(fingerprint, model))
    if sampler.model_id != fingerprint.model_id:
        raise ConfigError(
            f"{run_dir} was sampled by {fingerprint.model_id!r} but --model {model!r} loads "
            f"{sampler.model_id!r}; pass the --model that the run was sampled with"
        )
    return sampler
