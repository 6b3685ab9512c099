"""Labelled SmolLM2 outputs: responses reasonloop's embedded default model actually produced.

    OMP_NUM_THREADS=1 reasonloop sample --model default --task arithmetic --limit 60 -k 4 \\
        --max-new-tokens 64 --temperature 0.8 --out runs/smollm2-arith
    OMP_NUM_THREADS=1 reasonloop sample --model default --data ../shared/data/gsm8k/test.jsonl \\
        --format gsm8k --limit 60 -k 2 --max-new-tokens 256 --temperature 0.7 --out runs/smollm2-gsm
    python benchmarks/corpus/build_sample_cases.py runs/smollm2-arith runs/smollm2-gsm

Writes `smollm2_samples.jsonl` next to this file. The labels are by hand, not by a verifier:
every response was read, and the ones that commit to the gold are listed in CORRECT below;
all others are labelled incorrect (most hold no number equal to the gold at all; the few
that do were read and are wrong, hedged or unfinished). GSM8K questions are not stored, only
the model's responses and the gold numbers.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "smollm2_samples.jsonl"
# (problem id, sample index) of the responses a person grades correct, with the reading
CORRECT = {
    ("arithmetic-d2-s0-00002", 1): "83 + 70 = 153",
    ("arithmetic-d2-s0-00003", 1): "44 + 49 = 93",
    ("arithmetic-d2-s0-00022", 0): "72 + 79 = 151.",
    # computes 151, then echoes the prompt's template ("The answer is N"), which states nothing
    ("arithmetic-d2-s0-00022", 2): "72 + 79 = 151. The answer is N, ...",
    ("arithmetic-d2-s0-00027", 1): "99 + 87 = 186.",
    ("arithmetic-d2-s0-00037", 0): "79 + 70 = 149",
    ("arithmetic-d2-s0-00037", 3): "79 + 70 = 149",
    ("arithmetic-d2-s0-00047", 2): "... Therefore, the answer is 94.",
}


def read_run(run: Path) -> list[dict[str, object]]:
    query = (
        "select s.problem_id, s.sample_index, p.gold, s.response from samples s"
        " join problems p on p.id = s.problem_id order by s.problem_id, s.sample_index"
    )
    with sqlite3.connect(f"file:{run / 'samples.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute(query).fetchall()
    category = "smollm2_gsm8k" if "gsm8k" in rows[0][0] else "smollm2_arithmetic"
    return [
        {
            "id": f"{problem}-{index}",
            "category": category,
            "response": response,
            "gold": gold,
            "label": (problem, index) in CORRECT,
        }
        for problem, index, gold, response in rows
    ]


def main(runs: list[str]) -> int:
    cases = [case for run in runs for case in read_run(Path(run))]
    found = {tuple(str(case["id"]).rsplit("-", 1)) for case in cases if case["label"]}
    missing = {f"{p}-{i}" for p, i in CORRECT} - {f"{p}-{i}" for p, i in found}
    if missing:
        raise SystemExit(f"labelled responses not in these runs: {sorted(missing)}")
    with OUT.open("w", encoding="utf-8") as out:
        for case in cases:
            out.write(json.dumps(case, ensure_ascii=False) + "\n")
    sys.stderr.write(f"wrote {len(cases)} cases ({len(CORRECT)} correct) to {OUT}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
