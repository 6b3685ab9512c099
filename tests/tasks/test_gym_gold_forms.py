"""benchmarks/gym_gold_forms.py: each task's gold in three forms is graded right, another
problem's gold wrong, open-answer tasks listed apart; why two tasks have scorers of our own."""

from __future__ import annotations

from types import ModuleType

import pytest

from bench_scripts import load_benchmark

pytest.importorskip("reasoning_gym")


@pytest.fixture(scope="module")
def gold_forms() -> ModuleType:
    return load_benchmark("gym_gold_forms")


def test_tasks_pass_and_open_answers_are_apart(
    gold_forms: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    code = gold_forms.main(["--tasks", "word_sorting,game_of_life_halting,graph_color", "--n", "2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "ok: 2 tasks" in out and "open answer: 1 tasks (graph_color)" in out


def test_why_halting_is_scored_by_exact_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """reasoning-gym's own game_of_life_halting scorer (in this process, the override off)
    accepts any non-empty answer; when a release fixes it, this fails and the override can go."""
    import reasonloop.tasks.gym as gym

    (problem,) = gym.generate_gym_problems("rg:game_of_life_halting", 1)
    wrong = {"True": "False", "False": "True"}[problem.gold]
    assert gym.score_with_gym(wrong, problem) == 0.0
    monkeypatch.setattr(gym, "OWN_SCORERS", {})
    assert gym.score_with_gym(wrong, problem) == 1.0
    assert gym.score_with_gym("not sure", problem) == 1.0


def test_why_puzzle24_has_its_own_scorer(monkeypatch: pytest.MonkeyPatch) -> None:
    """reasoning-gym's puzzle24 scorer never checks that the numbers are the problem's."""
    import reasonloop.tasks.gym as gym

    first, second = gym.generate_gym_problems("rg:puzzle24", 2)
    assert first.meta["numbers"] != second.meta["numbers"]
    assert gym.score_with_gym(first.gold, first) == 1.0
    assert gym.score_with_gym(second.gold, first) == 0.0
    monkeypatch.setattr(gym, "OWN_SCORERS", {})
    assert gym.score_with_gym(second.gold, first) == 1.0
