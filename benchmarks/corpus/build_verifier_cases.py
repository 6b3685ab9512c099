"""Write verifier_cases.jsonl, the labelled corpus the verifier benchmark and tests grade.

    python benchmarks/corpus/build_verifier_cases.py

Each line: {"id", "category", "response", "gold", "label", "adversarial"}. `label` is True when
the response's final answer equals the gold. The answer/gold tables live in cases_values.py
(wrapped here in the answer formats models use), whole responses in cases_responses.py,
adversarial and pathological responses in cases_adversarial.py, and a later batch written after
the verifier was tuned on the rest in cases_holdout.py (`holdout_*` categories). Output is
deterministic.
"""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

from cases_adversarial import ADVERSARIAL_TABLES, build_pathological
from cases_holdout import build_holdout
from cases_responses import RESPONSE_TABLES
from cases_values import VALUE_TABLES

OUT_PATH = Path(__file__).with_name("verifier_cases.jsonl")

# Lead-in sentences carry no digits, so they cannot be mistaken for the answer.
LEADS = [
    "Let's work through the problem carefully.",
    "We simplify step by step and collect like terms.",
    "Putting everything together gives the result.",
    "After simplifying the expression, we obtain the value below.",
    "Checking the computation once more confirms it.",
]

LATEX_TEMPLATES = [
    "{lead}\n\nTherefore, the final answer is $\\boxed{{{x}}}$.",
    "{lead} The final answer is ${x}$. I hope it is correct.",
    "{lead}\n\\[\n\\boxed{{{x}}}\n\\]",
    "{lead} So the answer is \\(\\boxed{{{x}}}\\).",
    "{lead}\n\n**Final Answer**\n\\[ \\boxed{{{x}}} \\]",
    "{lead}\n\nAnswer: ${x}$",
    "$\\boxed{{{x}}}$",
    "{lead} Thus we get $\\boxed{{{x}}}$.",
]

TEXT_TEMPLATES = [
    "The answer is {x}.",
    "Answer: {x}",
    "**Answer:** {x}",
    "{lead} Final answer: {x}",
    "{lead} So the answer is {x}.",
]

NUMBER_TEMPLATES = LATEX_TEMPLATES + ["{lead}\n#### {x}", "{lead} The answer is {x}."]

TEMPLATES = {"latex": LATEX_TEMPLATES, "text": TEXT_TEMPLATES, "number": NUMBER_TEMPLATES}
NUMBER_CATEGORIES = {"integer", "decimal"}
HOLDOUT_ADVERSARIAL = {"holdout_adversarial", "holdout_pathological"}


def wrap_answer(answer: str, mode: str, index: int) -> str:
    """Put an answer into the index-th template of its mode, as a model would write it."""
    templates = TEMPLATES[mode]
    template = templates[index % len(templates)]
    return template.format(lead=LEADS[index % len(LEADS)], x=answer)


def build_cases() -> list[dict[str, object]]:
    rows: list[
        tuple[str, str, str, bool, bool]
    ] = []  # category, response, gold, label, adversarial
    index = 0
    for category, (table, mode, adversarial) in VALUE_TABLES.items():
        mode = "number" if category in NUMBER_CATEGORIES else mode
        for answer, gold, label in table:
            rows.append((category, wrap_answer(answer, mode, index), gold, label, adversarial))
            index += 1
    for response, gold, label, category in RESPONSE_TABLES:
        rows.append((f"response_{category}", response, gold, label, False))
    for response, gold, label, category in ADVERSARIAL_TABLES + build_pathological():
        rows.append((category, response, gold, label, not label))
    for response, gold, label, category in build_holdout():
        adversarial = category in HOLDOUT_ADVERSARIAL and not label
        rows.append((category, response, gold, label, adversarial))
    return number_cases(rows)


def number_cases(rows: list[tuple[str, str, str, bool, bool]]) -> list[dict[str, object]]:
    seen: set[tuple[str, str]] = set()
    counters: collections.Counter[str] = collections.Counter()
    cases: list[dict[str, object]] = []
    for category, response, gold, label, adversarial in rows:
        if (response, gold) in seen:
            raise ValueError(f"duplicate case in {category}: {response[:60]!r} / {gold!r}")
        if adversarial and label:
            raise ValueError(f"adversarial case labelled True in {category}: {response[:60]!r}")
        seen.add((response, gold))
        counters[category] += 1
        cases.append(
            {
                "id": f"{category}-{counters[category]:03d}",
                "category": category,
                "response": response,
                "gold": gold,
                "label": label,
                "adversarial": adversarial,
            }
        )
    return cases


def main() -> int:
    cases = build_cases()
    with OUT_PATH.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    n_true = sum(1 for case in cases if case["label"])
    n_adv = sum(1 for case in cases if case["adversarial"])
    print(
        f"wrote {len(cases)} cases to {OUT_PATH}: {n_true} true, {len(cases) - n_true} false, "
        f"{n_adv} adversarial, {len({case['category'] for case in cases})} categories"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
