"""Built-in procedural tasks: exact golds, determinism, distinctness, knob specs."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from reasonloop.errors import ConfigError
from reasonloop.tasks import TASKS, generate_task, parse_task_spec

ARITHMETIC = re.compile(r"What is (\d+) ([-+*]) (\d+)\?")


def _check_arithmetic(question: str, gold: str) -> None:
    match = ARITHMETIC.fullmatch(question)
    assert match, question
    a, op, b = int(match[1]), match[2], int(match[3])
    assert int(gold) == {"+": a + b, "-": a - b, "*": a * b}[op]


def _check_linear(question: str, gold: str) -> None:
    match = re.fullmatch(r"Solve for x: (\d+)x ([-+]) (\d+) = (-?\d+)\. What is x\?", question)
    assert match, question
    a, sign, b, c = int(match[1]), match[2], int(match[3]), int(match[4])
    assert a * int(gold) + (b if sign == "+" else -b) == c


def _check_fractions(question: str, gold: str) -> None:
    match = re.match(r"What is (\d+)/(\d+) \+ (\d+)/(\d+)\?", question)
    assert match, question
    total = Fraction(int(match[1]), int(match[2])) + Fraction(int(match[3]), int(match[4]))
    assert gold == (
        str(total.numerator) if total.denominator == 1 else f"{total.numerator}/{total.denominator}"
    )


CHECKS = {"arithmetic": _check_arithmetic, "linear": _check_linear, "fractions": _check_fractions}


@pytest.mark.parametrize(
    ("name", "knobs"),
    [
        ("arithmetic", {}),
        ("arithmetic", {"digits": 1}),
        ("arithmetic", {"digits": 3, "ops": "+-*"}),
        ("arithmetic", {"digits": 5, "ops": "-"}),
        ("linear", {}),
        ("linear", {"max_coef": 50}),
        ("fractions", {}),
        ("fractions", {"max_den": 20}),
    ],
)
def test_golds_are_exact_and_questions_distinct(name: str, knobs: dict[str, object]) -> None:
    problems = generate_task(name, 60, seed=3, **knobs)
    assert len(problems) == 60
    assert len({p.question for p in problems}) == 60
    assert len({p.id for p in problems}) == 60
    for problem in problems:
        CHECKS[name](problem.question, problem.gold)
        assert problem.source == name


def test_every_registered_task_has_a_check() -> None:
    assert set(TASKS) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_same_seed_same_problems_and_prefix_stable(name: str) -> None:
    first = generate_task(name, 20, seed=7)
    assert first == generate_task(name, 20, seed=7)
    assert first[:10] == generate_task(name, 10, seed=7)
    assert [p.question for p in first] != [p.question for p in generate_task(name, 20, seed=8)]


@pytest.mark.parametrize(
    ("name", "knobs", "seed", "first_id"),
    [
        ("arithmetic", {}, 0, "arithmetic-d2-s0-00000"),
        ("arithmetic", {"digits": 3}, 5, "arithmetic-d3-s5-00000"),
        ("arithmetic", {"ops": "*+"}, 0, "arithmetic-d2-pt-s0-00000"),
        ("linear", {"max_coef": 4}, 1, "linear-c4-s1-00000"),
        ("fractions", {}, 2, "fractions-m9-s2-00000"),
    ],
)
def test_ids_name_task_knobs_and_seed(
    name: str, knobs: dict[str, object], seed: int, first_id: str
) -> None:
    problems = generate_task(name, 18, seed=seed, **knobs)
    assert problems[0].id == first_id
    assert problems[17].id == first_id[:-5] + "00017"


def test_arithmetic_default_is_two_digit_addition() -> None:
    for problem in generate_task("arithmetic", 200):
        a, op, b = ARITHMETIC.fullmatch(problem.question).groups()  # type: ignore[union-attr]
        assert op == "+" and 10 <= int(a) <= 99 and 10 <= int(b) <= 99


def test_ops_order_does_not_change_problems() -> None:
    questions = [p.question for p in generate_task("arithmetic", 30, ops="+-*")]
    assert questions == [p.question for p in generate_task("arithmetic", 30, ops="*-+")]
    assert {ARITHMETIC.fullmatch(q)[2] for q in questions} == {"+", "-", "*"}  # type: ignore[index]


def test_subtraction_never_goes_negative() -> None:
    assert all(int(p.gold) >= 0 for p in generate_task("arithmetic", 200, ops="-"))


def test_too_small_task_space_is_a_config_error() -> None:
    # 1-digit addition has exactly 100 distinct questions
    assert len(generate_task("arithmetic", 100, digits=1)) == 100
    with pytest.raises(ConfigError, match="only 100 distinct problems"):
        generate_task("arithmetic", 101, digits=1)


@pytest.mark.parametrize(
    ("name", "knobs", "message"),
    [
        ("algebra", {}, "unknown task 'algebra'; valid tasks: arithmetic, fractions, linear"),
        ("arithmetic", {"digit": 3}, "unknown knob.*digit.*valid knobs: digits, ops"),
        ("arithmetic", {"digits": 0}, "digits must be between 1 and 18"),
        ("arithmetic", {"digits": "x"}, "knob digits must be an integer"),
        ("arithmetic", {"ops": "+/"}, "ops must be a non-empty mix of"),
        ("arithmetic", {"ops": ""}, "ops must be a non-empty mix of"),
        ("linear", {"max_coef": 1}, "max_coef must be between 2"),
        ("linear", {"digits": 2}, "valid knobs: max_coef"),
        ("fractions", {"max_den": 2}, "max_den must be between 3"),
    ],
)
def test_bad_task_or_knob_names_the_valid_ones(
    name: str, knobs: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        generate_task(name, 3, **knobs)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("arithmetic", ("arithmetic", {})),
        ("arithmetic:", ("arithmetic", {})),
        ("arithmetic:digits=3,ops=+-*", ("arithmetic", {"digits": 3, "ops": "+-*"})),
        (" arithmetic : digits = 4 ", ("arithmetic", {"digits": 4})),
        ("linear:max_coef=20,seed=3", ("linear", {"max_coef": 20, "seed": 3})),
        ("fractions:max_den=12", ("fractions", {"max_den": 12})),
    ],
)
def test_parse_task_spec(spec: str, expected: tuple[str, dict[str, object]]) -> None:
    assert parse_task_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("geometry:sides=3", "unknown task 'geometry'; valid tasks: arithmetic"),
        ("arithmetic:digits", "expected key=value, got 'digits'"),
        ("arithmetic:=3", "expected key=value"),
        ("arithmetic:depth=3", "unknown knob.*depth.*valid knobs: digits, ops"),
        ("arithmetic:digits=two", "knob digits must be an integer, got 'two'"),
        ("arithmetic:seed=x", "knob seed must be an integer"),
        ("arithmetic:ops=+%", "ops must be a non-empty mix"),
    ],
)
def test_parse_task_spec_errors(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_task_spec(spec)


def test_spec_round_trips_into_generate_task() -> None:
    name, knobs = parse_task_spec("arithmetic:digits=3,ops=+-*,seed=2")
    problems = generate_task(name, 5, **knobs)  # type: ignore[arg-type]
    assert problems == generate_task("arithmetic", 5, seed=2, digits=3, ops="+-*")
