"""Labelled SmolLM2 outputs: responses reasonloop's embedded default model actually produced.

    OMP_NUM_THREADS=1 reasonloop sample --model default --task arithmetic --limit 60 -k 4 \\
        --max-new-tokens 64 --temperature 0.8 --out runs/smollm2-arith
    OMP_NUM_THREADS=1 reasonloop sample --model default --data ../shared/data/gsm8k/test.jsonl \\
        --format gsm8k --limit 60 -k 2 --max-new-tokens 256 --temperature 0.7 --out runs/smollm2-gsm
    python benchmarks/corpus/build_sample_cases.py runs/smollm2-arith runs/smollm2-gsm
    # a second draw (the CPU engine, another seed), its ids tagged `seed7/`:
    OMP_NUM_THREADS=1 reasonloop sample --model default --task arithmetic --limit 100 -k 4 \\
        --max-new-tokens 64 --temperature 0.8 --seed 7 --out runs/smollm2-arith-seed7
    python benchmarks/corpus/build_sample_cases.py seed7=runs/smollm2-arith-seed7

Writes `smollm2_samples.jsonl` next to this file. The labels are by hand, not by a verifier:
every response was read, and the ones that commit to the gold are listed in CORRECT below;
all others are labelled incorrect (most hold no number equal to the gold at all; the few
that do were read and are wrong, hedged or unfinished). GSM8K questions are not stored, only
the model's responses and the gold numbers. A run given as `TAG=PATH` has its ids tagged
`TAG/`; rows already in the file from runs not given are kept (their runs need not exist).
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
    ("seed7/arithmetic-d2-s0-00006", 0): "34 + 90 = 124.",
    ("seed7/arithmetic-d2-s0-00007", 0): "Yes, 88 + 50 = 138.",
    ("seed7/arithmetic-d2-s0-00009", 0): "The answer is 46.",
    # a chat-style preamble, then the sum
    ("seed7/arithmetic-d2-s0-00009", 2): "... next question. So, 22 + 24 = 46.",
    ("seed7/arithmetic-d2-s0-00024", 2): "19 + 98 = 117",
    # misreads the question as 71.53, then commits to the right sum
    ("seed7/arithmetic-d2-s0-00038", 3): "71.53 is 71 + 53 and that's 124.",
    ("seed7/arithmetic-d2-s0-00061", 0): "90 + 44 equals 134.",
    # a stray 70.71 first, then the sum stated twice
    ("seed7/arithmetic-d2-s0-00062", 2): "70.71 ... 92 + 55 equals 147. ... equals 147.",
    ("seed7/arithmetic-d2-s0-00090", 2): "The answer is 32.",
    ("seed7/arithmetic-d2-s0-00096", 0): "25 + 12 = 37",
    ("seed7/arithmetic-d2-s0-00096", 1): "25 + 12 = 37",
    ("seed7/arithmetic-d2-s0-00096", 2): "25 + 12 = 37.",
    # read and left incorrect although the gold appears: seed7 00016-3 (a chain of wrong
    # equations), 00042-0 (`147 - 1 = 147` after the sum), 00086-0 (`120 = 205` after it)
}


def read_run(run: Path, tag: str = "") -> list[dict[str, object]]:
    query = (
        "select s.problem_id, s.sample_index, p.gold, s.response from samples s"
        " join problems p on p.id = s.problem_id order by s.problem_id, s.sample_index"
    )
    with sqlite3.connect(f"file:{run / 'samples.sqlite'}?mode=ro", uri=True) as db:
        rows = db.execute(query).fetchall()
    category = "smollm2_gsm8k" if "gsm8k" in rows[0][0] else "smollm2_arithmetic"
    prefix = f"{tag}/" if tag else ""
    return [
        {
            "id": f"{prefix}{problem}-{index}",
            "category": category,
            "response": response,
            "gold": gold,
            "label": (prefix + problem, index) in CORRECT,
        }
        for problem, index, gold, response in rows
    ]


def main(runs: list[str]) -> int:
    cases: list[dict[str, object]] = []
    for run in runs:
        tag, _, path = run.rpartition("=")
        cases.extend(read_run(Path(path), tag))
    built = {case["id"] for case in cases}
    if OUT.exists():  # rows of earlier runs not given again stay as labelled
        with OUT.open(encoding="utf-8") as lines:
            kept = [json.loads(line) for line in lines if line.strip()]
        cases = [case for case in kept if case["id"] not in built] + cases
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
