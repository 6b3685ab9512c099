"""Is a change between two evaluations on the same problems more than noise?

Both evaluations answer the same test problems, so the comparison is paired: a problem that
is easy stays easy, and only the problems whose outcome changed carry evidence. Greedy
outcomes (one right/wrong per problem) get the exact McNemar test: under no change, each
discordant problem is equally likely to have gone either way, a fair coin. Sampled outcomes
(a pass rate per problem) get a paired bootstrap over problems, seeded.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from math import comb
from typing import Any

MCNEMAR = "exact McNemar test on per-problem greedy outcomes"
BOOTSTRAP = "paired bootstrap over problems of per-problem pass rates"


@dataclass(frozen=True)
class PairedComparison:
    """A before/after change on `n` shared problems, with a two-sided p-value.

    `improved` and `worsened` count the problems whose outcome went up or down. `resamples`
    is the bootstrap's B (None for an exact test): a bootstrap cannot resolve a p-value below
    1/B, so one that came out 0 is written `< 1/B` (`p_text`), never 0.
    """

    test: str
    n: int
    before: float
    after: float
    improved: int
    worsened: int
    p_value: float
    alpha: float = 0.05
    resamples: int | None = None

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    @property
    def p_text(self) -> str:
        """The p-value as a reader should see it: below the bootstrap's resolution, `< 1/B`.

        >>> PairedComparison(BOOTSTRAP, 9, 0.1, 0.9, 9, 0, 0.0, resamples=1000).p_text
        '< 0.001'
        >>> PairedComparison(MCNEMAR, 9, 0.1, 0.9, 9, 0, 0.0039).p_text
        '0.0039'
        """
        if self.resamples is not None and self.p_value < 1 / self.resamples:
            return f"< {1 / self.resamples:g}"
        return f"{self.p_value:.3g}"

    @property
    def verdict(self) -> str:
        """One line for a report, e.g. 'not significant (exact McNemar ..., p = 0.50)'."""
        word = "significant" if self.significant else "not significant"
        p = self.p_text if self.p_text.startswith("<") else f"= {self.p_text}"
        return f"{word} at {self.alpha:g} ({self.test}, p {p}, n = {self.n})"

    def to_dict(self) -> dict[str, Any]:
        """Plain data; an unresolved bootstrap p-value is the string `< 1/B`, not 0."""
        p_value: float | str = self.p_text if self.p_text.startswith("<") else self.p_value
        return {**asdict(self), "p_value": p_value, "significant": self.significant}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PairedComparison:
        resamples = data.get("resamples")
        p_value = data["p_value"]
        return cls(
            test=str(data["test"]),
            n=int(data["n"]),
            before=float(data["before"]),
            after=float(data["after"]),
            improved=int(data["improved"]),
            worsened=int(data["worsened"]),
            # "< 1/B": below what the bootstrap resolves, which the dataclass holds as 0.
            p_value=0.0 if isinstance(p_value, str) and p_value.startswith("<") else float(p_value),
            alpha=float(data.get("alpha", 0.05)),
            resamples=None if resamples is None else int(resamples),
        )


def mcnemar_exact(
    before: Mapping[str, bool], after: Mapping[str, bool], alpha: float = 0.05
) -> PairedComparison:
    """Exact McNemar test on the problems both mappings grade (problem id -> correct).

    Two-sided: twice the binomial tail of the rarer direction among the discordant problems,
    capped at 1. With no discordant problem there is no evidence of change (p = 1).

    >>> before = {str(i): i < 2 for i in range(10)}
    >>> after = {str(i): i < 6 for i in range(10)}
    >>> round(mcnemar_exact(before, after).p_value, 4)
    0.125
    """
    shared = _shared(before, after)
    improved = sum(after[p] and not before[p] for p in shared)
    worsened = sum(before[p] and not after[p] for p in shared)
    discordant = improved + worsened
    tail = sum(comb(discordant, i) for i in range(min(improved, worsened) + 1))
    p_value = min(1.0, 2.0 * tail / 2**discordant)
    return PairedComparison(
        MCNEMAR,
        len(shared),
        _mean([float(before[p]) for p in shared]),
        _mean([float(after[p]) for p in shared]),
        improved,
        worsened,
        p_value,
        alpha,
    )


def paired_bootstrap(
    before: Mapping[str, float],
    after: Mapping[str, float],
    alpha: float = 0.05,
    resamples: int = 10_000,
    seed: int = 0,
) -> PairedComparison:
    """Paired bootstrap over the shared problems of per-problem rates (problem id -> rate).

    Problems are resampled with replacement; the two-sided p-value is twice the share of
    resampled mean differences on the far side of zero (the share at zero split evenly).
    """
    shared = _shared(before, after)
    differences = [after[p] - before[p] for p in shared]
    rng = random.Random(seed)
    below = at_zero = 0
    observed = _mean(differences)
    for _ in range(resamples):
        mean = _mean(rng.choices(differences, k=len(differences)))
        # Counted on the side opposite to the observed change.
        far = mean < 0 if observed >= 0 else mean > 0
        below += far
        at_zero += mean == 0
    p_value = min(1.0, 2.0 * (below + at_zero / 2) / resamples) if any(differences) else 1.0
    return PairedComparison(
        BOOTSTRAP,
        len(shared),
        _mean([before[p] for p in shared]),
        _mean([after[p] for p in shared]),
        sum(d > 0 for d in differences),
        sum(d < 0 for d in differences),
        p_value,
        alpha,
        resamples,
    )


def _shared(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    shared = sorted(set(before) & set(after))
    if not shared:
        raise ValueError("the two evaluations share no problem; a paired test needs the same ones")
    return shared


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
