"""How the suite itself runs: settings that keep it right on a busy machine and under xdist."""

from __future__ import annotations

import pytest
from hypothesis import settings


def test_hypothesis_examples_have_no_time_limit() -> None:
    # A 200 ms limit per example fails at random on two loaded cores (tests/conftest.py).
    assert settings.default.deadline is None


def test_ray_tests_are_slow_and_share_one_worker(request: pytest.FixtureRequest) -> None:
    items = [item for item in request.session.items if item.get_closest_marker("ray")]
    for item in items:
        assert item.get_closest_marker("slow") is not None, item.nodeid
        group = item.get_closest_marker("xdist_group")
        assert group is not None and group.args == ("ray",), item.nodeid
