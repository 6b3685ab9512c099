"""Error keyphrases grouped into error types, and bad cases tagged with their types.

Two ways, and every keyphrase ends up in exactly one type:

- with the instructor (SEI's way): seed clusters from the first batch of keyphrases, then each
  further batch assigned to an existing type or a new one;
- deterministically: keyphrases whose content words overlap (Jaccard >= `threshold`) are
  linked, and each connected group is a type named by its most central keyphrase. This also
  catches whatever the instructor left unassigned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from reasonloop.curate.synthesize.instructor import Instructor
from reasonloop.curate.synthesize.records import CaseKeyphrases, ErrorType

JACCARD_THRESHOLD = 0.5
BATCH_SIZE = 40
_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS = frozenset("a an the of to in on at by for and or with was were is are it its".split())


def normalize_keyphrase(phrase: str) -> str:
    """Lower case, single spaces, no trailing punctuation: the key keyphrases are deduped by.

    >>> normalize_keyphrase("  Dropped the  CARRY. ")
    'dropped the carry'
    """
    return " ".join(phrase.lower().split()).strip(" .;:,")


def unique_keyphrases(described: Sequence[CaseKeyphrases]) -> list[str]:
    """All keyphrases, normalized and deduplicated, in first-seen order."""
    seen: dict[str, None] = {}
    for case in described:
        for phrase in case.keyphrases:
            key = normalize_keyphrase(phrase)
            if key:
                seen.setdefault(key, None)
    return list(seen)


def group_deterministic(
    phrases: Sequence[str], threshold: float = JACCARD_THRESHOLD
) -> dict[str, list[str]]:
    """Type name -> keyphrases, by linking keyphrases with overlapping content words.

    >>> groups = group_deterministic(["dropped the carry", "dropped a carry digit", "wrong sign"])
    >>> groups["dropped the carry"], groups["wrong sign"]
    (['dropped the carry', 'dropped a carry digit'], ['wrong sign'])
    """
    words = [_content_words(p) for p in phrases]
    linked = [
        [j for j in range(len(phrases)) if j != i and _jaccard(words[i], words[j]) >= threshold]
        for i in range(len(phrases))
    ]
    groups: dict[str, list[str]] = {}
    for indices in _connected(linked):
        center = max(
            indices, key=lambda i: (sum(_jaccard(words[i], words[j]) for j in indices), -i)
        )
        groups[phrases[center]] = [phrases[i] for i in indices]
    return groups


def _connected(linked: Sequence[Sequence[int]]) -> list[list[int]]:
    """The connected groups of a graph given as neighbour lists, each sorted, by first member."""
    placed: set[int] = set()
    groups: list[list[int]] = []
    for first in range(len(linked)):
        if first in placed:
            continue
        # a search from `first` collects everything linked to it, directly or through others
        frontier, group = [first], []
        placed.add(first)
        while frontier:
            i = frontier.pop()
            group.append(i)
            fresh = [j for j in linked[i] if j not in placed]
            placed.update(fresh)
            frontier += fresh
        groups.append(sorted(group))
    return groups


def group_with_instructor(
    instructor: Instructor, phrases: Sequence[str], *, batch_size: int = BATCH_SIZE
) -> dict[str, list[str]]:
    """Type name -> keyphrases: instructor seed clusters, then batch assignment.

    Keyphrases the instructor left out (or put under a name that is not a string) are grouped
    deterministically and added as further types.
    """
    wanted = set(phrases)
    groups: dict[str, list[str]] = {}
    placed: set[str] = set()
    for start in range(0, len(phrases), batch_size):
        batch = phrases[start : start + batch_size]
        if not groups:
            replies = {p: name for name, ps in instructor.propose_types(batch).items() for p in ps}
        else:
            replies = dict(instructor.assign_types(list(groups), batch))
        for phrase, name in replies.items():
            key = normalize_keyphrase(str(name))
            if phrase in wanted and phrase not in placed and key:
                groups.setdefault(key, []).append(phrase)
                placed.add(phrase)
    leftover = [p for p in phrases if p not in placed]
    for name, members in group_deterministic(leftover).items():
        groups.setdefault(normalize_keyphrase(name), []).extend(members)
    return groups


def tag_cases(
    described: Sequence[CaseKeyphrases], groups: Mapping[str, Sequence[str]]
) -> list[ErrorType]:
    """Error types with the bad cases whose keyphrases fall in them, most frequent first."""
    type_of = {phrase: name for name, members in groups.items() for phrase in members}
    cases: dict[str, list[str]] = {name: [] for name in groups}
    for case in described:
        names = {type_of[k] for k in map(normalize_keyphrase, case.keyphrases) if k in type_of}
        for name in sorted(names):
            cases[name].append(case.problem_id)
    types = [
        ErrorType(name, tuple(groups[name]), tuple(cases[name])) for name in groups if cases[name]
    ]
    return sorted(types, key=lambda t: (-t.count, t.name))


def _content_words(phrase: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(phrase.lower()) if w not in _STOPWORDS)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
