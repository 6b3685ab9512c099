"""Keyphrases grouped into error types: deterministically and through an instructor."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pytest

from reasonloop.curate.synthesize.error_types import (
    group_deterministic,
    group_with_instructor,
    tag_cases,
    unique_keyphrases,
)
from reasonloop.curate.synthesize.instructor import SynthesisRequest
from reasonloop.curate.synthesize.records import (
    BadCase,
    CaseKeyphrases,
    SynthesizedProblem,
)

DESCRIBED = [
    CaseKeyphrases("p1", ("Dropped the carry into the tens.", "misread the operation")),
    CaseKeyphrases("p2", ("dropped the carry into the hundreds", "swapped two digits")),
    CaseKeyphrases("p3", ("misread the operation sign",)),
    CaseKeyphrases("p4", ("digits swapped in the result", "dropped the carry into the tens")),
]


def test_keyphrases_are_normalized_and_deduplicated_in_order() -> None:
    assert unique_keyphrases(DESCRIBED) == [
        "dropped the carry into the tens",
        "misread the operation",
        "dropped the carry into the hundreds",
        "swapped two digits",
        "misread the operation sign",
        "digits swapped in the result",
    ]


def test_deterministic_grouping_on_fixed_keyphrases() -> None:
    groups = group_deterministic(unique_keyphrases(DESCRIBED))
    assert groups == {
        "dropped the carry into the tens": [
            "dropped the carry into the tens",
            "dropped the carry into the hundreds",
        ],
        "misread the operation": ["misread the operation", "misread the operation sign"],
        "swapped two digits": ["swapped two digits", "digits swapped in the result"],
    }


@pytest.mark.parametrize(("threshold", "n_groups"), [(0.0, 1), (0.5, 3), (0.7, 6), (1.0, 6)])
def test_grouping_covers_every_keyphrase_once(threshold: float, n_groups: int) -> None:
    phrases = unique_keyphrases(DESCRIBED)
    groups = group_deterministic(phrases, threshold)
    assert len(groups) == n_groups
    assert sorted(p for members in groups.values() for p in members) == sorted(phrases)


def test_cases_are_tagged_with_their_types_most_frequent_first() -> None:
    groups = group_deterministic(unique_keyphrases(DESCRIBED))
    types = tag_cases(DESCRIBED, groups)
    assert [(t.name, t.problem_ids) for t in types] == [
        ("dropped the carry into the tens", ("p1", "p2", "p4")),
        ("misread the operation", ("p1", "p3")),
        ("swapped two digits", ("p2", "p4")),
    ]


class ScriptedGrouper:
    """An instructor whose grouping replies are fixed (the way a strong model might answer)."""

    name = "scripted"

    def __init__(self, seed: Mapping[str, Sequence[str]], assign: Mapping[str, str]) -> None:
        self.seed, self.assign = seed, assign
        self.malformed: Counter[str] = Counter()
        self.calls: list[tuple[str, list[str]]] = []

    def describe_errors(self, cases: Sequence[BadCase]) -> list[CaseKeyphrases]:
        return []

    def propose_types(self, keyphrases: Sequence[str]) -> Mapping[str, Sequence[str]]:
        self.calls.append(("propose", list(keyphrases)))
        return self.seed

    def assign_types(self, types: Sequence[str], keyphrases: Sequence[str]) -> Mapping[str, str]:
        self.calls.append(("assign", list(types)))
        return self.assign

    def synthesize(self, request: SynthesisRequest) -> list[SynthesizedProblem]:
        return []


def test_instructor_seeds_clusters_then_assigns_batches_and_leftovers_are_grouped() -> None:
    phrases = unique_keyphrases(DESCRIBED)
    instructor = ScriptedGrouper(
        seed={"Carry errors": ["dropped the carry into the tens", "not a keyphrase of ours"]},
        assign={
            "misread the operation": "operation confusion",
            "dropped the carry into the hundreds": "carry errors",
            "misread the operation sign": "operation confusion",
        },
    )
    groups = group_with_instructor(instructor, phrases, batch_size=2)
    assert instructor.calls[0] == ("propose", phrases[:2])
    assert instructor.calls[1] == ("assign", ["carry errors"])
    assert groups["carry errors"] == [
        "dropped the carry into the tens",
        "dropped the carry into the hundreds",
    ]
    assert groups["operation confusion"] == ["misread the operation", "misread the operation sign"]
    # never assigned by the instructor: grouped deterministically, so every phrase has a type
    assert groups["swapped two digits"] == ["swapped two digits", "digits swapped in the result"]
    assert sorted(p for members in groups.values() for p in members) == sorted(phrases)
