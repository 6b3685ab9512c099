"""Split problems into train and test sets that share no id and no question text."""

from __future__ import annotations

import random
from collections.abc import Sequence

from reasonloop.errors import ConfigError
from reasonloop.tasks.problem import Problem


def split_problems(
    problems: Sequence[Problem], test_size: int | float, seed: int = 0
) -> tuple[list[Problem], list[Problem]]:
    """(train, test), disjoint by id and by question text, each in the input order.

    `test_size` is a count (int) or a fraction (float in [0, 1]) of the problems. Problems that
    share an id or a question (whitespace and case ignored) stay on the same side, so the test
    set can be a few problems short of `test_size` when such groups do not fit exactly.

    >>> train, test = split_problems([Problem(str(i), f"q{i}", "1") for i in range(10)], 0.3)
    >>> len(train), len(test)
    (7, 3)
    """
    target = _test_count(len(problems), test_size)
    groups = _group_linked(problems)
    random.Random(seed).shuffle(groups)
    test_indices: set[int] = set()
    for group in groups:
        if len(test_indices) + len(group) <= target:
            test_indices.update(group)
        if len(test_indices) == target:
            break
    train = [p for i, p in enumerate(problems) if i not in test_indices]
    test = [p for i, p in enumerate(problems) if i in test_indices]
    return train, test


def _test_count(total: int, test_size: int | float) -> int:
    if isinstance(test_size, bool):
        raise ConfigError(f"test_size must be a count or a fraction, got {test_size!r}")
    if isinstance(test_size, float):
        if not 0.0 <= test_size <= 1.0:
            raise ConfigError(f"a fractional test_size must be in [0, 1], got {test_size}")
        return round(total * test_size)
    count = int(test_size)
    if not 0 <= count <= total:
        raise ConfigError(f"test_size must be between 0 and {total} problems, got {count}")
    return count


def _group_linked(problems: Sequence[Problem]) -> list[list[int]]:
    """Indices of problems grouped so that a shared id or question joins two groups."""
    parent = list(range(len(problems)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_by_key: dict[tuple[str, str], int] = {}
    for index, problem in enumerate(problems):
        for key in (("id", problem.id), ("question", _normalize(problem.question))):
            if key in first_by_key:
                parent[find(index)] = find(first_by_key[key])
            else:
                first_by_key[key] = index
    groups: dict[int, list[int]] = {}
    for index in range(len(problems)):
        groups.setdefault(find(index), []).append(index)
    return list(groups.values())


def _normalize(question: str) -> str:
    return " ".join(question.lower().split())
