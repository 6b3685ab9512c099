"""B-STaR's balance score on hand-computed tables: bs_i = min(n'_i / n*, 1) * n'_i / n_i over
the deduplicated responses scoring at least tau, 0 for a query with nothing selected; the
mean over queries; the T x tau sweep and its argmax; the exploration/exploitation measures."""

from __future__ import annotations

import pytest

from reasonloop.curate.bstar import (
    GridPoint,
    ScoredResponse,
    balance_score,
    choose_point,
    combined_score,
    measure_temperature,
    query_balance,
    sweep_balance,
    threshold_grid,
)


def right(text: str, score: float = 1.0) -> ScoredResponse:
    return ScoredResponse(text, True, score)


def wrong(text: str, score: float = 0.0) -> ScoredResponse:
    return ScoredResponse(text, False, score)


# (responses, tau, n*, expected bs_i), each worked out by hand from the paper's formula.
QUERY_CASES = [
    # 3 distinct correct + 1 wrong, all kept: min(3/8, 1) * 3/4
    ([right("a"), right("b"), right("c"), wrong("d")], 0.0, 8, 3 / 8 * 3 / 4),
    # the same at tau = 1: the wrong one is cut, min(3/8, 1) * 3/3
    ([right("a"), right("b"), right("c"), wrong("d")], 1.0, 8, 3 / 8),
    # n* caps exploration: 10 distinct correct, n* = 8 -> min(10/8, 1) = 1
    ([right(str(i)) for i in range(10)], 1.0, 8, 1.0),
    # ... and n* = 2 caps it at 2 correct, the precision factor still counts: 1 * 3/4
    ([right("a"), right("b"), right("c"), wrong("d")], 0.0, 2, 3 / 4),
    # repeats count once: 4 copies of one correct text (white space aside) + 1 wrong
    # -> n = 2, n' = 1: min(1/1, 1) * 1/2
    ([right("x = 2"), right("x = 2"), right(" x  = 2"), right("x = 2 "), wrong("3")], 0.0, 1, 0.5),
    # nothing above the threshold: 0
    ([right("a", 0.4), wrong("b", 0.1)], 0.5, 8, 0.0),
    # no responses at all: 0
    ([], 0.0, 8, 0.0),
    # only wrong responses selected: n' = 0 -> 0
    ([wrong("a"), wrong("b")], 0.0, 8, 0.0),
    # a finer score (PRM_min / 5 + outcome) cuts inside the correct ones: tau = 1.15 keeps 1
    ([right("a", 1.2), right("b", 1.1), wrong("c", 0.2)], 1.15, 2, 1 / 2 * 1.0),
    ([right("a", 1.2), right("b", 1.1), wrong("c", 0.2)], 1.1, 2, 1.0),
    ([right("a", 1.2), right("b", 1.1), wrong("c", 0.2)], 0.2, 2, 1.0 * 2 / 3),
]


@pytest.mark.parametrize(("responses", "tau", "n_star", "expected"), QUERY_CASES)
def test_query_balance_by_hand(
    responses: list[ScoredResponse], tau: float, n_star: int, expected: float
) -> None:
    assert query_balance(responses, tau, n_star) == pytest.approx(expected)


def test_balance_is_the_mean_over_queries_with_zero_for_empty_ones() -> None:
    queries = {
        "q1": [right("a"), right("b"), wrong("c")],  # n* = 2, tau 0: 1 * 2/3
        "q2": [wrong("a")],  # 0
        "q3": [right("a")],  # 1/2 * 1
    }
    assert balance_score(queries, 0.0, 2) == pytest.approx((2 / 3 + 0 + 1 / 2) / 3)
    assert balance_score(queries, 1.0, 2) == pytest.approx((1 + 0 + 1 / 2) / 3)
    with pytest.raises(ValueError, match="no queries"):
        balance_score({}, 0.0, 2)
    with pytest.raises(ValueError, match="n\\* must be at least 1"):
        query_balance([right("a")], 0.0, 0)


def test_combined_score_is_prm_min_over_five_plus_outcome() -> None:
    assert combined_score(1.0, True) == pytest.approx(1.2)
    assert combined_score(0.0, True) == pytest.approx(1.0)
    assert combined_score(1.0, False) == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("scores", "most", "expected"),
    [
        ([1.0, 0.0, 1.0, 0.0], 21, [0.0, 1.0]),
        ([1.0, 1.0], 21, [1.0]),
        ([0.1, 0.2, 0.3, 0.4, 0.5], 3, [0.1, 0.3, 0.5]),
        ([], 21, []),
    ],
)
def test_threshold_grid(scores: list[float], most: int, expected: list[float]) -> None:
    assert threshold_grid(scores, most) == expected


def test_sweep_is_a_full_temperature_by_threshold_table() -> None:
    cold = {"q1": [right("a"), right("a"), right("a")], "q2": [wrong("x"), wrong("x")]}
    hot = {"q1": [right("a"), right("b"), wrong("c")], "q2": [right("y"), wrong("z")]}
    grid = sweep_balance({1.0: hot, 0.5: cold}, n_star=2)
    table = {(p.temperature, p.tau): p.balance for p in grid}
    assert [(p.temperature, p.tau) for p in grid] == [
        (0.5, 0.0),
        (0.5, 1.0),
        (1.0, 0.0),
        (1.0, 1.0),
    ]
    # cold: q1 one distinct correct -> 1/2 * 1; q2 nothing correct -> 0
    assert table[(0.5, 0.0)] == pytest.approx(0.25)
    assert table[(0.5, 1.0)] == pytest.approx(0.25)
    # hot at tau 0: q1 1 * 2/3, q2 1/2 * 1/2; at tau 1: q1 1 * 1, q2 1/2 * 1
    assert table[(1.0, 0.0)] == pytest.approx((2 / 3 + 1 / 4) / 2)
    assert table[(1.0, 1.0)] == pytest.approx((1 + 1 / 2) / 2)
    assert choose_point(grid) == GridPoint(1.0, 1.0, pytest.approx(0.75))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("grid", "expected"),
    [
        # the highest balance wins, wherever it is
        (
            [GridPoint(0.5, 0.0, 0.1), GridPoint(0.8, 0.0, 0.3), GridPoint(1.2, 1.0, 0.2)],
            (0.8, 0.0),
        ),
        # a tie goes to the higher threshold first ...
        ([GridPoint(1.2, 0.0, 0.3), GridPoint(0.5, 1.0, 0.3)], (0.5, 1.0)),
        # ... then to the higher temperature
        (
            [GridPoint(0.5, 1.0, 0.3), GridPoint(0.9, 1.0, 0.3), GridPoint(0.7, 1.0, 0.3)],
            (0.9, 1.0),
        ),
        # all zero (nothing solved anywhere): the strictest, hottest point
        (
            [GridPoint(0.5, 0.0, 0.0), GridPoint(0.5, 1.0, 0.0), GridPoint(1.0, 0.0, 0.0)],
            (0.5, 1.0),
        ),
    ],
)
def test_choose_point_argmax_and_ties(grid: list[GridPoint], expected: tuple[float, float]) -> None:
    chosen = choose_point(grid)
    assert (chosen.temperature, chosen.tau) == expected
    with pytest.raises(ValueError, match="empty grid"):
        choose_point([])


def test_measures_exploration_and_exploitation() -> None:
    queries = {
        "q1": [right("a"), right("b"), right("a"), wrong("c")],  # 2 distinct correct
        "q2": [wrong("x"), wrong("y"), wrong("x"), wrong("y")],  # none
        "q3": [wrong("p", 0.5), right("q", 0.5), right("r", 0.4), wrong("s", 0.0)],
    }
    m = measure_temperature(0.8, queries)
    assert (m.temperature, m.samples, m.correct) == (0.8, 12, 5)
    assert m.pass_at_k == pytest.approx(2 / 3)  # q1 and q3 solved by some response
    assert m.distinct_correct == pytest.approx((2 + 0 + 2) / 3)
    # best-of-k: q1's top score is correct; q2 none; q3's tie at 0.5 goes to the first (wrong)
    assert m.best_of_k == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="at least one response"):
        measure_temperature(0.8, {"q": []})
