"""Quotas, the ROUGE-L and gradability filter (with the test-set leak check), synthesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.curate.synthesize import BuiltinInstructor, allocate_quotas
from reasonloop.curate.synthesize.bad_cases import select_bad_cases
from reasonloop.curate.synthesize.filters import (
    NEAR_ACCEPTED,
    NEAR_SEED,
    NEAR_TEST,
    UNGRADABLE,
    WRONG_SOLUTION,
    NoveltyFilter,
)
from reasonloop.curate.synthesize.records import ErrorType, SynthesizedProblem
from reasonloop.curate.synthesize.rouge import RougeIndex, lcs_length, rouge_l_f, tokenize
from reasonloop.curate.synthesize.synthesis import synthesize_problems
from reasonloop.errors import ConfigError
from reasonloop.sample.record import GradedSample
from reasonloop.tasks.procedural import generate_task


@pytest.mark.parametrize(
    ("counts", "budget", "expected"),
    [
        ({"a": 5, "b": 3, "c": 2}, 10, {"a": 5, "b": 3, "c": 2}),
        ({"a": 5, "b": 3, "c": 2}, 7, {"a": 4, "b": 2, "c": 1}),
        ({"a": 1, "b": 1, "c": 1}, 2, {"a": 1, "b": 1, "c": 0}),
        ({"a": 9, "b": 1}, 3, {"a": 3, "b": 0}),
        ({"a": 0, "b": 0}, 4, {"a": 0, "b": 0}),
        ({"a": 2}, 0, {"a": 0}),
    ],
)
def test_quotas_are_proportional_and_sum_to_the_budget(
    counts: dict[str, int], budget: int, expected: dict[str, int]
) -> None:
    quotas = allocate_quotas(counts, budget)
    assert quotas == expected
    assert sum(quotas.values()) == (budget if sum(counts.values()) else 0)


def test_negative_budget_is_refused() -> None:
    with pytest.raises(ConfigError, match="budget"):
        allocate_quotas({"a": 1}, -1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("What is 47 + 38?", "What is 47 + 38?", 1.0),
        ("What is 47 + 38?", "What is 47 + 52?", 0.75),
        ("What is 47 + 38?", "What is 12 + 52?", 0.5),
        ("the cat sat on the mat", "the cat on the mat", 2 * 5 / 11),
        ("", "anything", 0.0),
    ],
)
def test_rouge_l_f(a: str, b: str, expected: float) -> None:
    assert rouge_l_f(a, b) == pytest.approx(expected)


def _reference_lcs(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


words = st.lists(st.sampled_from(["what", "is", "1", "2", "x", "carry"]), max_size=12)


@given(words, words)
def test_lcs_matches_the_full_table(a: list[str], b: list[str]) -> None:
    assert lcs_length(a, b) == _reference_lcs(tuple(a), tuple(b))


@given(st.lists(words, max_size=8), words, st.floats(0.0, 0.99))
def test_index_bound_never_hides_a_near_duplicate(
    references: list[list[str]], text: list[str], threshold: float
) -> None:
    index = RougeIndex([" ".join(r) for r in references])
    brute = [r for r in references if rouge_l_f(" ".join(r), " ".join(text)) > threshold]
    assert (index.nearest_above(" ".join(text), threshold) is not None) == bool(brute)


def test_tokens_are_bounded() -> None:
    assert len(tokenize("1 " * 10_000)) == 400


def synthesized(question: str, solution: str, answer: str) -> SynthesizedProblem:
    return SynthesizedProblem("s", "t", question, solution, answer, {})


@pytest.mark.parametrize(
    ("problem", "reason"),
    [
        (synthesized("What is 47 + 38?", "The answer is 85.", "85"), NEAR_TEST),
        (synthesized("What is 47 + 39?", "The answer is 86.", "86"), NEAR_TEST),
        (synthesized("What is 11 + 22?", "The answer is 33.", "33"), NEAR_SEED),
        (synthesized("What is 70 + 60?", "The answer is 130.", "130"), NEAR_ACCEPTED),
        (synthesized("What is 5 + 7 + 9?", "The answer is 21.", ""), UNGRADABLE),
        (synthesized("What is 5 + 7 + 9?", "The answer is 20.", "21"), WRONG_SOLUTION),
        (synthesized("What is 5 + 7 + 9?", "I think so.", "21"), WRONG_SOLUTION),
        (synthesized("What is 508 + 697?", "The answer is 1205.", "1205"), None),
    ],
)
def test_filter_drops_leaks_near_copies_and_ungradable_answers(
    problem: SynthesizedProblem, reason: str | None
) -> None:
    novelty = NoveltyFilter.from_texts(seeds=["What is 11 + 22?"], tests=["What is 47 + 38?"])
    assert novelty.offer(synthesized("What is 70 + 61?", "The answer is 131.", "131"))
    assert novelty.reason_to_drop(problem) == reason
    assert novelty.offer(problem) is (reason is None)
    assert novelty.dropped == ({reason: 1} if reason else {})


def bad_cases_of(task: str, n: int) -> list:  # type: ignore[type-arg]
    problems = generate_task(task, n, seed=5)
    samples = {
        p.id: [
            GradedSample(p.id, i, [], f"The answer is {int(p.gold) + 10}.", False, "incorrect",
                         str(int(p.gold) + 10), 1, 1, "stop", 0.0)
            for i in range(2)
        ]
        for p in problems
    }  # fmt: skip
    return select_bad_cases(problems, samples)


def test_builtin_synthesis_fills_quotas_with_new_gradable_problems() -> None:
    cases = bad_cases_of("arithmetic", 30)
    instructor = BuiltinInstructor(seed=1)
    described = instructor.describe_errors(cases)
    # every wrong answer is gold + 10: a spurious carry, or (where the tens did carry) a big miss
    assert {k.keyphrases for k in described} == {
        ("added a carry into the tens place",),
        ("result far too high",),
    }
    types = [ErrorType("missed carry", ("dropped the carry",), tuple(c.problem.id for c in cases))]
    tests = [p.question for p in generate_task("arithmetic", 200, seed=9)]
    novelty = NoveltyFilter.from_texts([c.problem.question for c in cases], tests)
    problems = synthesize_problems(instructor, types, cases, {"missed carry": 12}, novelty)
    assert len(problems) == 12
    assert len({p.id for p in problems}) == 12
    references = tests + [c.problem.question for c in cases]
    for problem in problems:
        assert all(rouge_l_f(problem.question, r) <= 0.7 for r in references)
        assert problem.solution.endswith(f"The answer is {problem.answer}.")
    assert sum(novelty.dropped.values()) > 0  # the short problems ran into the test set


def test_synthesis_is_deterministic() -> None:
    cases = bad_cases_of("linear", 10)
    types = [ErrorType("sign error", ("x",), tuple(c.problem.id for c in cases))]

    def run() -> list[str]:
        novelty = NoveltyFilter.from_texts([], [])
        made = synthesize_problems(
            BuiltinInstructor(seed=3), types, cases, {"sign error": 6}, novelty
        )
        return [p.question for p in made]

    assert run() == run()
