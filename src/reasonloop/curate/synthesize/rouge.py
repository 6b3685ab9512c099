"""ROUGE-L F between two texts: the longest common subsequence of their word tokens.

Tokens are lower-cased runs of letters and digits (the usual ROUGE tokenization), so
"What is 47 + 38?" is [what, is, 47, 38]. Inputs are cut to `MAX_TOKENS` tokens, which bounds
the quadratic LCS table for any text a model writes.

>>> round(rouge_l_f("What is 47 + 38?", "What is 47 + 52?"), 2)
0.75
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

MAX_TOKENS = 400
_TOKEN = re.compile(r"[a-z0-9]+")


def tokenize(text: str) -> tuple[str, ...]:
    """Lower-cased alphanumeric tokens of `text`, at most `MAX_TOKENS`.

    >>> tokenize("Solve for x: 3x - 4 = 11.")
    ('solve', 'for', 'x', '3x', '4', '11')
    """
    return tuple(_TOKEN.findall(text.lower())[:MAX_TOKENS])


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (one row of the DP table at a time).

    >>> lcs_length("abcbdab", "bdcaba")
    4
    """
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for token in a:
        current = [0]
        for j, other in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[-1]))
        previous = current
    return previous[-1]


def f_measure(common: int, n: int, m: int) -> float:
    """The F1 of `common` shared tokens between texts of n and m tokens (0 for empty texts)."""
    return 2.0 * common / (n + m) if n + m else 0.0


def rouge_l_f(a: str, b: str) -> float:
    """ROUGE-L F1 of two texts (symmetric)."""
    tokens_a, tokens_b = tokenize(a), tokenize(b)
    return f_measure(lcs_length(tokens_a, tokens_b), len(tokens_a), len(tokens_b))


class RougeIndex:
    """Reference texts to compare new texts against, with a cheap bound to skip most of them.

    The shared-token count (multiset intersection) bounds the LCS from above, so a reference
    whose bound is already at or below the threshold cannot be a near-duplicate and its LCS is
    never computed. That keeps a check against a test set of thousands of problems fast.
    """

    def __init__(self, texts: Sequence[str] = ()) -> None:
        self._entries: list[tuple[str, tuple[str, ...], Counter[str]]] = []
        self._texts: set[str] = set()
        for text in texts:
            self.add(text)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, text: object) -> bool:
        """Whether `text` is one of the references, exactly."""
        return text in self._texts

    def add(self, text: str) -> None:
        tokens = tokenize(text)
        self._entries.append((text, tokens, Counter(tokens)))
        self._texts.add(text)

    def nearest_above(self, text: str, threshold: float) -> tuple[float, str] | None:
        """The first reference whose ROUGE-L F with `text` exceeds `threshold`, or None."""
        tokens = tokenize(text)
        counts = Counter(tokens)
        for reference, ref_tokens, ref_counts in self._entries:
            shared = sum((counts & ref_counts).values())
            if f_measure(shared, len(tokens), len(ref_tokens)) <= threshold:
                continue
            score = f_measure(lcs_length(tokens, ref_tokens), len(tokens), len(ref_tokens))
            if score > threshold:
                return score, reference
        return None
