"""benchmarks/gym_agreement.py: the verifier and reasoning-gym's scorers on the same responses,
and the disagreements its README section reads (which grader is right for each kind)."""

from __future__ import annotations

from types import ModuleType

import pytest

from bench_scripts import load_benchmark
from reasonloop.tasks.gym import generate_gym_problems, grader_for

pytest.importorskip("reasoning_gym")


@pytest.fixture(scope="module")
def agreement() -> ModuleType:
    return load_benchmark("gym_agreement")


# (task, response with {gold}, verifier accepts, reasoning-gym accepts, the grader that is right)
CASES = [
    ("lcm", "The answer is {gold}.", True, True, "both"),
    ("lcm", "The answer is {gold}.0.", True, False, "verify"),  # 2646.0 states 2646
    ("lcm", "<answer>x = {gold}</answer>", True, False, "verify"),
    ("dice", "The answer is {double}.", True, False, "reasoning_gym"),  # not in lowest terms
    ("time_intervals", "The answer is {gold}.", False, True, "reasoning_gym"),  # HH:MM:SS
]


@pytest.mark.parametrize(("task", "response", "rule", "gym", "right"), CASES)
def test_the_graders_on_known_disagreements(
    agreement: ModuleType, task: str, response: str, rule: bool, gym: bool, right: str
) -> None:
    # a time of day on time_intervals (its golds are also durations in days)
    problem = next(
        p
        for p in generate_gym_problems(f"rg:{task}", 10)
        if task != "time_intervals" or p.gold.count(":") == 2 and "day" not in p.gold
    )
    double = agreement.unreduced(problem.gold)
    case = agreement.Case(task, "test", problem, response.format(gold=problem.gold, double=double))
    ((by_rule, by_gym, _, _),) = agreement.grade([case])
    assert (by_rule, by_gym) == (rule, gym)
    # where the two disagree, reasonloop uses the grader that is right for the task
    assert right == "both" or grader_for(task) == right


def test_the_script_prints_the_table_and_the_disagreements(
    agreement: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--tasks", "lcm,dice", "--gold-problems", "2", "--model-problems", "0", "--show", "9"]
    assert agreement.main(argv) == 0
    out = capsys.readouterr().out
    header, lcm, dice = out.splitlines()[:3]
    assert header.split()[:3] == ["task", "grader", "gold"]
    assert lcm.split()[:2] == ["lcm", "verify"] and dice.split()[:2] == ["dice", "reasoning_gym"]
    assert "lcm [thousands] V accepts, G rejects" in out
    assert "dice [unreduced] V accepts, G rejects" in out
    assert "disagreements in" in out
