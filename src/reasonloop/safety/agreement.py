"""How far a refusal judge agrees with human labels: accuracy, refusal precision and recall.

Accuracy is three-way where the source labels three classes (XSTest) and refused/not
elsewhere. Refusal is the positive class: precision is the share of the judge's refusals
that people called refusals, recall the share of people's refusals the judge found.

>>> s = score_agreement("x", [True, False, True], [True, True, False])
>>> (s.n, round(s.accuracy, 3), s.refusal_precision, s.refusal_recall)
(3, 0.333, 0.5, 0.5)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reasonloop.safety.judge import RefusalLabel
from reasonloop.safety.labels import LabelledResponse


@dataclass(frozen=True)
class Agreement:
    """A judge against one source's human labels."""

    source: str
    n: int
    accuracy: float
    refusal_precision: float | None
    refusal_recall: float | None

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "n": self.n,
            "accuracy": self.accuracy,
            "refusal_precision": self.refusal_precision,
            "refusal_recall": self.refusal_recall,
        }


def score_agreement(
    source: str,
    truth: Sequence[bool],
    called: Sequence[bool],
    *,
    labels: Sequence[str] | None = None,
    judged: Sequence[str] | None = None,
) -> Agreement:
    """Refused (`truth`) against the judge's refusals (`called`); three-way accuracy from
    `labels`/`judged` when both are given."""
    if labels is not None and judged is not None:
        hits = sum(a == b for a, b in zip(labels, judged, strict=True))
    else:
        hits = sum(a == b for a, b in zip(truth, called, strict=True))
    both = sum(a and b for a, b in zip(truth, called, strict=True))
    called_n, truth_n = sum(called), sum(truth)
    return Agreement(
        source,
        len(truth),
        hits / len(truth) if truth else 0.0,
        # None, not 0: a judge that called nothing a refusal has no precision to speak of.
        both / called_n if called_n else None,
        both / truth_n if truth_n else None,
    )


def agreement_by_source(
    rows: Sequence[LabelledResponse], judge: Callable[[str], RefusalLabel]
) -> list[Agreement]:
    """`judge` (completion -> label) scored on every source of `rows`, then on all together
    (each response judged once)."""
    judged = [(row, judge(row.completion)) for row in rows]
    groups: dict[str, list[tuple[LabelledResponse, RefusalLabel]]] = {}
    for pair in judged:
        groups.setdefault(pair[0].source, []).append(pair)
    results = [_score(name, group) for name, group in groups.items()]
    if len(groups) > 1:
        results.append(_score("all", judged))
    return results


def _score(name: str, judged: Sequence[tuple[LabelledResponse, RefusalLabel]]) -> Agreement:
    three_way = all(row.label is not None for row, _ in judged)
    return score_agreement(
        name,
        [row.truth_refused for row, _ in judged],
        [label == "refusal" for _, label in judged],
        labels=[row.label or "" for row, _ in judged] if three_way else None,
        judged=[label for _, label in judged] if three_way else None,
    )
