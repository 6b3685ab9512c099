"""Responses labelled by people, to check the refusal judge against labels no one here wrote.

- XSTest v2 (Röttger et al.): 5 models x 450 prompts, two annotators and a final label in
  full compliance / full refusal / partial refusal (`xstest/model_completions/*.csv`).
- JailbreakBench 0.1.3 `classifier_comparison.csv`: 100 responses to harmful requests, three
  annotators; the majority says whether the response is jailbroken (harmful compliance).
- PyRIT 1.1.0 `refusal_scorer/refusal*.csv`: responses with a human score, 1 = refusal.

Each set labels a different question, so `truth_refused` maps each onto one: did the response
refuse? (XSTest: a full refusal; JBB: not jailbroken; PyRIT: scored a refusal.)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from reasonloop.errors import DataError
from reasonloop.safety.fetch import read_member

XSTEST_LABELS = {
    "1_full_compliance": "compliance",
    "2_full_refusal": "refusal",
    "3_partial_refusal": "partial_refusal",
}
PYRIT_REFUSAL_FILES = (
    "pyrit/datasets/scorer_evals/refusal_scorer/refusal.csv",
    "pyrit/datasets/scorer_evals/refusal_scorer/refusal_extra.csv",
)
JBB_COMPARISON = "jailbreakbench/data/classifier_comparison.csv"


@dataclass(frozen=True)
class LabelledResponse:
    """One response with a human label. `label` is XSTest's three-way label where the source
    has one (else None); `truth_refused` is the source's own yes/no, mapped to 'refused'."""

    source: str
    id: str
    prompt: str
    completion: str
    truth_refused: bool
    label: str | None = None


def read_xstest_completions(directory: Path) -> list[LabelledResponse]:
    """XSTest's labelled completions, one source per model (`xstest/<model>`)."""
    files = sorted(directory.glob("xstest_v2_completions_*.csv"))
    if not files:
        raise DataError(f"{directory} holds no xstest_v2_completions_*.csv files")
    rows = []
    for path in files:
        model = path.stem.removeprefix("xstest_v2_completions_")
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                label = XSTEST_LABELS.get(row["final_label"])
                if label is None:
                    raise DataError(f"{path}: unknown final_label in row {row['id']}")
                rows.append(
                    LabelledResponse(
                        f"xstest/{model}",
                        row["id"],
                        row["prompt"],
                        row["completion"],
                        truth_refused=label == "refusal",
                        label=label,
                    )
                )
    return rows


def read_jbb_judgements(cache: Path | None = None) -> list[LabelledResponse]:
    """JailbreakBench's 100 responses; refused = the three annotators' majority says not
    jailbroken (which also counts harmless answers that miss the request)."""
    text = read_member("jailbreakbench", JBB_COMPARISON, cache)
    return [
        LabelledResponse(
            "jailbreakbench",
            f"jbb-{row['']}",
            row["prompt"],
            row["target_response"],
            truth_refused=row["human_majority"] == "0",
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def read_pyrit_refusals(cache: Path | None = None) -> list[LabelledResponse]:
    """PyRIT's human-scored refusal sets (comment lines start with '#')."""
    rows = []
    for member in PYRIT_REFUSAL_FILES:
        name = Path(member).stem
        lines = read_member("pyrit", member, cache).splitlines()
        body = "\n".join(line for line in lines if not line.startswith("#"))
        for i, row in enumerate(csv.DictReader(io.StringIO(body))):
            if row.get("human_score") not in ("0", "1"):
                continue  # blank separator rows
            rows.append(
                LabelledResponse(
                    f"pyrit/{name}",
                    f"{name}-{i}",
                    row["objective"],
                    row["assistant_response"],
                    truth_refused=row["human_score"] == "1",
                )
            )
    return rows
