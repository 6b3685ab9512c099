"""The offline analyst and problem writer of the built-in tasks."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from reasonloop.curate.synthesize import builtin_analysis as errors
from reasonloop.curate.synthesize.builtin_analysis import (
    borrow_columns,
    carry_columns,
    diagnose,
)
from reasonloop.curate.synthesize.builtin_generate import make_problem, write_solution
from reasonloop.curate.synthesize.builtin_tasks import (
    Arithmetic,
    FractionSum,
    Linear,
    Structure,
    parse_answer,
    parse_question,
    write_question,
)
from reasonloop.tasks.procedural import generate_task
from reasonloop.verify import verify


@pytest.mark.parametrize(
    ("structure", "wrong", "error_type", "phrase"),
    [
        (Arithmetic(47, "+", 38), None, errors.NO_ANSWER, "gave no final answer"),
        (Arithmetic(47, "+", 38), "75", errors.MISSED_CARRY, "carry into the tens"),
        (Arithmetic(95, "+", 17), "102", errors.MISSED_CARRY, "carry into the tens"),
        (Arithmetic(95, "+", 17), "2", errors.MISSED_CARRY, "every carry"),
        (Arithmetic(41, "+", 38), "89", errors.EXTRA_CARRY, "added a carry into the tens"),
        (Arithmetic(47, "+", 38), "9", errors.WRONG_OPERATION, "subtraction instead of addition"),
        (Arithmetic(52, "-", 38), "26", errors.SMALLER_FROM_LARGER, "smaller digit"),
        (Arithmetic(52, "-", 38), "24", errors.MISSED_BORROW, "borrow from the tens"),
        (Arithmetic(52, "-", 38), "90", errors.WRONG_OPERATION, "addition instead of subtraction"),
        (Arithmetic(23, "*", 45), "207", errors.UNSHIFTED_PRODUCTS, "partial products"),
        (Arithmetic(47, "+", 38), "58", errors.DIGIT_ORDER, "swapped digits"),
        (Arithmetic(60, "+", 65), "15", errors.DIGIT_COUNT, "dropped a digit"),
        (Arithmetic(60, "+", 65), "1255", errors.DIGIT_COUNT, "extra digit"),
        (Arithmetic(40, "+", 40), "800", errors.PLACE_VALUE, "factor of ten"),
        (Arithmetic(47, "+", 38), "-85", errors.SIGN, "wrong sign"),
        (Arithmetic(47, "+", 38), "88", errors.SMALL_SLIP, "too high"),
        (Arithmetic(47, "+", 38), "300", errors.LARGE_ERROR, "far too high"),
        (Linear(3, -4, 11), "7/3", errors.CONSTANT_SIGN, "without changing its sign"),
        (Linear(3, -4, 11), "15", errors.NO_DIVISION, "divide by the coefficient"),
        (Linear(3, -4, 11), "-5", errors.SIGN, "wrong sign"),
        (FractionSum(1, 2, 1, 3), "2/5", errors.FRACTION_PARTS, "numerators and the denominators"),
        (FractionSum(1, 2, 1, 3), "2/3", errors.DENOMINATOR, "without a common denominator"),
    ],
)
def test_diagnose_names_the_error(
    structure: Structure, wrong: str | None, error_type: str, phrase: str
) -> None:
    finding = diagnose(structure, parse_answer(wrong))
    assert finding.type == error_type
    assert phrase in finding.keyphrase


@pytest.mark.parametrize("text", ["", "x = 3", "1/0", "9" * 100, "\\frac{a}{b}", "2.5"])
def test_answers_that_are_not_plain_numbers_read_as_none(text: str) -> None:
    assert parse_answer(text) is None


@pytest.mark.parametrize("task", ["arithmetic:ops=+-*", "linear", "fractions"])
def test_task_questions_round_trip(task: str) -> None:
    name, _, knob = task.partition(":")
    knobs = {"ops": knob.partition("=")[2]} if knob else {}
    for problem in generate_task(name, 30, seed=3, **knobs):
        structure = parse_question(problem.question)
        assert structure is not None
        assert write_question(structure) == problem.question
        assert Fraction(structure.value) == parse_answer(problem.gold)


MAKER_CASES = [
    (errors.MISSED_CARRY, Arithmetic(47, "+", 38), lambda s: carry_columns(s.a, s.b) >= {1, 2}),
    (errors.MISSED_BORROW, Arithmetic(52, "-", 38), lambda s: len(borrow_columns(s.a, s.b)) >= 1),
    (errors.WRONG_OPERATION, Arithmetic(52, "-", 38), lambda s: s.op == "-" and s.a >= s.b),
    (errors.UNSHIFTED_PRODUCTS, Arithmetic(23, "*", 45), lambda s: s.op == "*" and s.b >= 10),
    (errors.CONSTANT_SIGN, Linear(3, 4, 10), lambda s: s.b < 0),
    (errors.SIGN, Linear(3, 4, 10), lambda s: s.value < 0),
    (errors.FRACTION_PARTS, FractionSum(1, 2, 1, 3), lambda s: s.b != s.d),
]


@pytest.mark.parametrize(("error_type", "seed", "holds"), MAKER_CASES)
@pytest.mark.parametrize("extra", [0, 1])
def test_made_problems_exercise_the_type_and_their_solutions_verify(
    error_type: str, seed: Structure, holds: object, extra: int
) -> None:
    rng = random.Random(0)
    for _ in range(40):
        structure = make_problem(error_type, seed, rng, extra)
        assert holds(structure), structure  # type: ignore[operator]
        question = write_question(structure)
        assert parse_question(question) == structure
        solution = write_solution(structure)
        assert verify(solution, str(parse_answer(str(Fraction(structure.value))))).correct
