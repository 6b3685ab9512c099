"""The run profile (profile.json): one shape, read back exactly, errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graded import make_samples
from reasonloop.errors import DataError
from reasonloop.profile.summary import profile_run, read_run_profile, write_run_profile

VERDICTS = {"e": "1111", "m": "1100", "h": "1000", "u": "0000"}


def test_profile_round_trips_through_json(tmp_path: Path) -> None:
    profile = profile_run({pid: make_samples(pid, v) for pid, v in VERDICTS.items()})
    assert profile.pass_at_k[1] == pytest.approx((1 + 0.5 + 0.25 + 0) / 4)
    assert list(profile.maj_at_k) == [1, 2, 4] and profile.rounds == (0,)
    path = write_run_profile(profile, tmp_path / "profile.json")
    assert read_run_profile(path) == profile
    assert profile.difficulty.counts == {"unsolved": 1, "hard": 1, "medium": 1, "easy": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), ("{}", "not a profile.json"), ("{oops", "not valid JSON")],
)
def test_unreadable_profiles_are_named(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "profile.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataError, match=message) as caught:
        read_run_profile(path)
    assert str(path) in str(caught.value)


def test_profile_keeps_generator_levels(tmp_path: Path) -> None:
    from reasonloop.profile.generator_levels import GeneratorLevel
    from reasonloop.tasks import Problem

    def rg(pid: str, task: str, level: int) -> Problem:
        return Problem(pid, "q", "1", task, {"rg_task": task, "difficulty_level": level})

    problems = [rg("e", "gcd", 1), rg("m", "gcd", 1), rg("h", "gcd", 4), rg("u", "lcm", 4)]
    samples = {pid: make_samples(pid, v) for pid, v in VERDICTS.items()}
    profile = profile_run(samples, problems=problems)
    assert profile.generator_levels == (
        GeneratorLevel("gcd", 1, 2, 0.75),
        GeneratorLevel("gcd", 4, 1, 0.25),
        GeneratorLevel("lcm", 4, 1, 0.0),
    )
    path = write_run_profile(profile, tmp_path / "profile.json")
    assert read_run_profile(path) == profile
    # a profile.json written before generator levels reads back with none
    assert profile_run(samples).generator_levels == ()
    old = tmp_path / "old.json"
    data = profile_run(samples).to_dict()
    del data["generator_levels"]
    old.write_text(json.dumps(data))
    assert read_run_profile(old).generator_levels == ()
