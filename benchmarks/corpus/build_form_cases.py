"""Write form_cases.jsonl: real solutions that use the forms of issue 20 (the `forms` suite).

    python benchmarks/corpus/build_form_cases.py [../shared/data]

Nothing here is written to fit the verifier: every response is real text, chosen only because
it uses one of the forms (the first that applies names the category):

- `rejection`: the text rejects a value in words (`is wrong`, `is not correct`, `can't be`,
  `not X but Y`);
- `unicode`: Unicode math (U+2212, `√`, `π`, vulgar fractions, `×`, `÷`, superscript powers,
  `≤ ≥ ≠`, no-break or thin spaces);
- `mixed_number`: a mixed number written with a space (`2 1/2 cups`);
- `named_roots`: roots named in prose (`x = 3 or x = -3`).

Sources, with where each label comes from:

- PRMBench (`prmbench/classified/*.jsonl`, Apache-2.0): `original_process`, the step list of a
  PRM800K solution that a model (GPT-4) wrote and human raters verified step by step; the steps
  are joined by line breaks, as written (most end on a sentence stating the answer, some on
  PRM800K's `# Answer\\n\\n30`). The gold is the MATH test answer of the same problem
  (`math/test.jsonl`, the last `\\boxed{}` of its solution, matched on the problem text; 290 of
  PRMBench's problems match). Label True: PRMBench gives the original process as a
  human-verified correct solution.
- MATH test solutions (`math/test.jsonl`, MIT; written by people, not models): the solution
  text as the response and its own boxed answer as the gold. Label True by construction.
- Responses of the embedded model (SmolLM2-135M-Instruct) in `smollm2_samples.jsonl` that use
  a form, with their hand labels from that file (no negatives added: the file has its own).

Each response is also graded against the gold of the next case of the same source whose gold
differs from its own as written (label False by construction): half the cases are negatives,
so false positives count. Output is deterministic.
"""

from __future__ import annotations

import glob
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "form_cases.jsonl"
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
MAX_PER_SOURCE_FORM = 60  # a balanced suite: no single form of one source dominates

FORMS = {
    "rejection": re.compile(
        r"(?i)\b(?:is|was|would\s+be)\s+(?:wrong|incorrect)\b|\bcan't\s+be\b|\bcannot\s+be\b"
        r"|\bis\s+not\s+(?:correct|right|the\s+answer|possible|valid)\b|\bnot\s+\S+,?\s+but\b"
    ),
    "unicode": re.compile(
        "[\u2212\u221a\u03c0\u00bd\u2153\u2154\u00bc\u00be\u00d7\u00f7\u00b2\u00b3\u2264\u2265"
        "\u2260\u00a0\u2009\u202f\u207b]"
    ),
    "mixed_number": re.compile(r"(?<![\d.,/])\d+ \d+/\d+(?=\s+[A-Za-z])"),
    "named_roots": re.compile(
        r"[a-z]\s*=\s*-?\d+(?:\.\d+)?\$?,?\s+(?:or|and)\s+\$?[a-z]\s*=\s*-?\d+"
    ),
}


def find_form(text: str) -> str | None:
    return next((name for name, pattern in FORMS.items() if pattern.search(text)), None)


def last_box(solution: str) -> str | None:
    """The content of the last `\\boxed{...}` (braces matched), or None."""
    start = solution.rfind("\\boxed")
    if start < 0:
        return None
    open_at = solution.find("{", start)
    depth = 0
    for index in range(open_at, len(solution)):
        depth += {"{": 1, "}": -1}.get(solution[index], 0)
        if depth == 0:
            return solution[open_at + 1 : index].strip()
    return None


def _key(problem: str) -> str:
    return " ".join(problem.split())


def math_golds(data: Path) -> dict[str, tuple[str, str]]:
    """problem text (whitespace folded) -> (solution, boxed gold) of the MATH test set."""
    golds = {}
    with (data / "math" / "test.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            gold = last_box(row["solution"])
            if gold:
                golds[_key(row["problem"])] = (row["solution"], gold)
    return golds


def prmbench_rows(data: Path, golds: dict[str, tuple[str, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for path in sorted(glob.glob(str(data / "prmbench" / "classified" / "*.jsonl"))):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                key = _key(item["original_question"])
                if key in seen or key not in golds:
                    continue
                seen.add(key)
                response = "\n".join(item["original_process"])
                form = find_form(response)
                if form is None:
                    continue
                source = f"prmbench:{Path(path).name}:{item['idx']}"
                rows.append({"form": form, "response": response, "gold": golds[key][1],
                             "source": source})  # fmt: skip
    return rows


def math_rows(golds: dict[str, tuple[str, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for index, (solution, gold) in enumerate(golds.values()):
        form = find_form(solution)
        if form is not None:
            rows.append({"form": form, "response": solution, "gold": gold,
                         "source": f"math:test.jsonl:{index}"})  # fmt: skip
    return rows


def sample_cases(corpus: Path) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    with (corpus / "smollm2_samples.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            form = find_form(row["response"])
            if form is not None:
                cases.append({"id": f"smollm2-{row['id']}", "category": f"smollm2_{form}",
                              "response": row["response"], "gold": row["gold"],
                              "label": row["label"],
                              "source": f"smollm2_samples.jsonl:{row['id']}"})  # fmt: skip
    return cases


def balanced(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    kept: list[dict[str, object]] = []
    for form in FORMS:
        kept += [row for row in rows if row["form"] == form][:MAX_PER_SOURCE_FORM]
    return kept


def with_negatives(rows: list[dict[str, object]], prefix: str) -> list[dict[str, object]]:
    cases: list[dict[str, object]] = []
    for index, row in enumerate(rows):
        base = {"category": f"{prefix}_{row['form']}", "response": row["response"]}
        cases.append({"id": f"{prefix}-{index:03d}-right", **base, "gold": row["gold"],
                      "label": True, "source": row["source"]})  # fmt: skip
        other = next(
            (rows[(index + step) % len(rows)]["gold"] for step in range(1, len(rows))
             if _key(str(rows[(index + step) % len(rows)]["gold"])) != _key(str(row["gold"]))),
            None,
        )  # fmt: skip
        if other is not None:
            note = "gold of another problem"
            cases.append({"id": f"{prefix}-{index:03d}-wrong", **base, "gold": other,
                          "label": False, "source": row["source"], "note": note})  # fmt: skip
    return cases


def main(argv: list[str]) -> int:
    data = Path(argv[0]) if argv else DATA
    golds = math_golds(data)
    cases = with_negatives(balanced(prmbench_rows(data, golds)), "prm800k")
    cases += with_negatives(balanced(math_rows(golds)), "math")
    cases += sample_cases(OUT.parent)
    with OUT.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for case in cases:
        counts[str(case["category"])] = counts.get(str(case["category"]), 0) + 1
    print(f"wrote {len(cases)} cases to {OUT}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
