"""Exact and near-duplicate requests across sources.

The same request shows up in several sets (AdvBench behaviours reappear in HarmBench and JBB,
sometimes with a word changed), and a held-out request whose twin sits in the training data
measures memory, not refusal. Two texts are duplicates when their normalised forms are equal,
near-duplicates when both are short and their word-bigram sets overlap by at least
`threshold` (Jaccard).

>>> normalise("  Write a TUTORIAL, please! ")
'write a tutorial please'
>>> round(jaccard(shingles("how do I pick a lock"), shingles("how do i pick a lock quickly")), 2)
0.83
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

NEAR_DUPLICATE = 0.6
# Near-duplicates are sought among texts of at most this many words. Longer ones are mostly a
# jailbreak template around a short request, and their bigram overlap measures the template
# (the study's 1,000 wrapped prompts overlap by 0.6 in 874 pairs): they are deduplicated exactly.
NEAR_MAX_WORDS = 80

_NON_WORD = re.compile(r"[^\w\s]+")


def normalise(text: str) -> str:
    """Lower case, punctuation dropped, white space collapsed."""
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def shingles(text: str) -> frozenset[str]:
    """Word bigrams of the normalised text (the single word for one-word texts)."""
    words = normalise(text).split()
    if len(words) < 2:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def find_duplicates(texts: Sequence[str], threshold: float = NEAR_DUPLICATE) -> dict[int, int]:
    """index -> the earlier index it duplicates, for every text that repeats an earlier one.

    Earlier wins, so callers order texts by priority (held-out sources first). Candidates come
    from an inverted index of shingles, so the work grows with shared bigrams, not n squared.

    >>> find_duplicates(["Pick a lock.", "pick a LOCK", "bake a cake", "pick a lock now"])
    {1: 0, 3: 0}
    """
    index: dict[str, list[int]] = {}
    sizes: dict[int, int] = {}
    duplicates: dict[int, int] = {}
    seen_exact: dict[str, int] = {}
    for i, text in enumerate(texts):
        key = normalise(text)
        if key in seen_exact:
            duplicates[i] = seen_exact[key]
            continue
        seen_exact[key] = i
        if len(key.split()) > NEAR_MAX_WORDS:
            continue
        own = shingles(key)
        match = _near_match(own, index, sizes, threshold)
        if match is not None:
            duplicates[i] = match
            del seen_exact[key]
            continue
        sizes[i] = len(own)
        for gram in own:
            index.setdefault(gram, []).append(i)
    return duplicates


def _near_match(
    own: frozenset[str], index: dict[str, list[int]], sizes: dict[int, int], threshold: float
) -> int | None:
    """The earliest indexed text whose bigram Jaccard with `own` reaches `threshold`."""
    shared = Counter(j for gram in own for j in index.get(gram, ()))
    for j in sorted(shared):
        n = shared[j]
        if n / (len(own) + sizes[j] - n) >= threshold:
            return j
    return None
