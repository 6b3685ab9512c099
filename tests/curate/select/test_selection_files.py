"""What a selection reports, counted from the typed `Selection`: rows per cluster, the line
the CLI prints, and the summary JSON built from the same counts."""

from __future__ import annotations

import pytest

from reasonloop.curate.select.methods import Selection
from reasonloop.curate.select.selection_files import (
    ClusterCount,
    count_clusters,
    describe_selection,
    summarize,
)


def selection(
    labels: tuple[int, ...] | None, scored: list[int], kept: tuple[int, ...]
) -> Selection:
    scores = {i: 0.1 * i for i in scored}
    return Selection("clusterucb", 6, kept, scores, labels, len(scored), len(scored), 6, 2, {})


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (
            selection((0, 0, 1, 1, 1, 2), [0, 2, 3, 5], (3, 0)),
            {0: ClusterCount(2, 1, 1), 1: ClusterCount(3, 2, 1), 2: ClusterCount(1, 1, 0)},
        ),
        (selection((1, 1, 1, 1, 1, 1), [0, 1], (1,)), {1: ClusterCount(6, 2, 1)}),
        (selection(None, [0, 1, 2], (2, 1)), {}),  # LESS: no clusters
    ],
    ids=["three-clusters", "one-cluster", "no-clusters"],
)
def test_rows_are_counted_per_cluster(chosen: Selection, expected: dict[int, ClusterCount]) -> None:
    assert count_clusters(chosen) == expected
    summary = summarize(chosen)  # the JSON holds the same counts
    assert summary["clusters"] == len(expected)
    assert summary["per_cluster"] == {
        str(c): {"size": n.size, "drawn": n.drawn, "selected": n.selected}
        for c, n in expected.items()
    }
    assert summary["selected"] == len(chosen.selected)


def test_the_cli_line_says_what_was_kept_and_what_it_cost() -> None:
    chosen = selection((0, 0, 1, 1, 1, 2), [0, 2, 3, 5], (3, 0))
    assert describe_selection(chosen) == (
        "clusterucb: kept 2 of 6 rows using 4 influence gradients (4 computed now)"
    )
