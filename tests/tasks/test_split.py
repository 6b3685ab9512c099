"""Train/test splits that share no id and no question."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.errors import ConfigError
from reasonloop.tasks import Problem, generate_task, split_problems


@pytest.mark.parametrize(
    ("n", "test_size", "expected_test"),
    [
        (100, 20, 20),
        (100, 0.25, 25),
        (100, 0, 0),
        (100, 100, 100),
        (10, 0.33, 3),
        (7, 1.0, 7),
        (7, 0.0, 0),
    ],
)
def test_sizes_and_disjointness(n: int, test_size: int | float, expected_test: int) -> None:
    problems = generate_task("arithmetic", n, seed=1)
    train, test = split_problems(problems, test_size, seed=4)
    assert len(test) == expected_test
    assert len(train) + len(test) == n
    assert not {p.id for p in train} & {p.id for p in test}
    assert not {p.question for p in train} & {p.question for p in test}
    # each side keeps the input order
    order = {p.id: i for i, p in enumerate(problems)}
    assert [order[p.id] for p in train] == sorted(order[p.id] for p in train)
    assert [order[p.id] for p in test] == sorted(order[p.id] for p in test)


def test_deterministic_for_a_seed() -> None:
    problems = generate_task("linear", 50)
    assert split_problems(problems, 10, seed=3) == split_problems(problems, 10, seed=3)
    assert split_problems(problems, 10, seed=3) != split_problems(problems, 10, seed=4)


def test_shared_question_or_id_stays_on_one_side() -> None:
    problems = [Problem(f"p{i}", f"question {i}", "1") for i in range(40)]
    problems += [
        Problem("dup-text", "  QUESTION 3 ", "1"),  # same question as p3, other id
        Problem("p5", "another wording", "1"),  # same id as p5, other question
        Problem("chain", "another   wording", "2"),  # linked to p5 through the question above
    ]
    for seed in range(20):
        train, test = split_problems(problems, 0.5, seed=seed)
        for side in (train, test):
            ids = {p.id for p in side}
            assert ("p3" in ids) == ("dup-text" in ids)
            assert ("chain" in ids) == ("p5" in ids)
        assert len(train) + len(test) == len(problems)


def test_groups_that_do_not_fit_leave_the_test_set_short() -> None:
    problems = [Problem(f"p{i}", "same question", "1") for i in range(5)]
    train, test = split_problems(problems, 2, seed=0)
    assert (len(train), len(test)) == (5, 0)


@pytest.mark.parametrize(
    ("test_size", "message"),
    [
        (11, "between 0 and 10"),
        (-1, "between 0 and 10"),
        (1.5, r"in \[0, 1\]"),
        (-0.5, r"in \[0, 1\]"),
        (True, "a count or a fraction"),
    ],
)
def test_bad_test_size(test_size: int | float, message: str) -> None:
    problems = generate_task("arithmetic", 10)
    with pytest.raises(ConfigError, match=message):
        split_problems(problems, test_size, seed=0)


@given(
    st.lists(st.tuples(st.integers(0, 15), st.integers(0, 15)), max_size=40),
    st.floats(0.0, 1.0),
    st.integers(0, 5),
)
def test_split_invariants(pairs: list[tuple[int, int]], fraction: float, seed: int) -> None:
    # small id and question alphabets force many shared ids and questions
    problems = [Problem(f"id{i}", f"question {q}", "1") for i, q in pairs]
    train, test = split_problems(problems, fraction, seed=seed)
    assert sorted(map(id, train + test)) == sorted(map(id, problems))
    assert len(test) <= round(len(problems) * fraction)
    assert not {p.id for p in train} & {p.id for p in test}
    assert not {p.question for p in train} & {p.question for p in test}
