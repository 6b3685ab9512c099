"""The run fingerprint: JSON round trip, what is part of a run's identity, what is never written."""

from __future__ import annotations

import json

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.fake import FakeSampler
from reasonloop.errors import ConfigError
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec


@pytest.mark.parametrize(
    "fingerprint",
    [
        fake_fingerprint(),
        fake_fingerprint(kind="eval", max_new_tokens=64, problems={"data": "/d/test.jsonl"}),
        fake_fingerprint(kind="rationale", hint="(Hint: {gold})", temperature=0.0),
    ],
)
def test_json_round_trip(fingerprint: RunFingerprint) -> None:
    data = json.loads(json.dumps(fingerprint.to_dict()))
    assert RunFingerprint.from_dict(data) == fingerprint


def test_where_a_server_runs_is_recorded_but_not_identity_and_keys_are_never_written() -> None:
    spec = SamplerSpec("openai", "m", {"base_url": "http://a:8000/v1", "api_key": "sk-secret"})
    fingerprint = fake_fingerprint(sampler=spec)
    assert "sk-secret" not in json.dumps(fingerprint.to_dict())
    assert fingerprint.to_dict()["sampler"]["options"] == {"base_url": "http://a:8000/v1"}
    moved = fake_fingerprint(sampler=SamplerSpec("openai", "m", {"base_url": "http://b/v1"}))
    assert moved.identity() == fingerprint.identity()
    assert moved.identity_sha256() == fingerprint.identity_sha256()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "sample"}, "missing"),
        ({**fake_fingerprint().to_dict(), "kind": "training"}, "unknown run kind"),
    ],
)
def test_not_a_fingerprint(data: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunFingerprint.from_dict(data)


def test_a_spec_rebuilds_its_sampler_and_a_foreign_one_says_why_not() -> None:
    assert SamplerSpec("fake", "arithmetic").load().model_id == "fake:arithmetic"
    foreign = SamplerSpec.describing(FakeSampler("echo"))
    with pytest.raises(ConfigError, match="built outside reasonloop's backends"):
        foreign.load()


def test_params_pin_the_budget_only_when_asked() -> None:
    fingerprint = fake_fingerprint(temperature=0.7, top_p=0.9, seed=3)
    assert fingerprint.params(32).max_new_tokens == 32
    assert (fingerprint.params().temperature, fingerprint.params().seed) == (0.7, 3)
    assert fake_fingerprint(max_new_tokens=48).params().max_new_tokens == 48
