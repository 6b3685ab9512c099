"""An rm-eval file from PRMBench: per problem its human-verified solution (correct) against the
same solution with errors put in (incorrect), one row per response.

    python benchmarks/rm_eval_prmbench.py -o prmbench_rm.jsonl
    reasonloop rm-eval --data prmbench_rm.jsonl --reward length --json length.json

PRMBench's `subset400` holds 394 modified solutions of PRM800K test problems (208 problems,
573 responses here): each problem gets its original solution once and up to nine of its
modifications (the items whose question was left as it was). The wrong solutions differ from
the right one in a step or two only, so length and style say little: the hard end of a
reward's robustness. PRMBench's modifications were written by an API model; the file is for
evaluating rewards, not for training.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from reasonloop.files import write_jsonl

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "prmbench" / "subset400"
MAX_INCORRECT = 9


def rm_rows(items: list[dict[str, object]]) -> list[dict[str, object]]:
    """The labelled rows: per original question its solution, then its modifications."""
    by_question: dict[str, list[dict[str, object]]] = {}
    for item in items:
        if item["modified_question"] == item["original_question"]:
            by_question.setdefault(str(item["original_question"]), []).append(item)
    rows: list[dict[str, object]] = []
    for number, (question, group) in enumerate(by_question.items()):
        problem_id = f"prmbench-{number:03d}"
        original = "\n".join(str(step) for step in group[0]["original_process"])  # type: ignore[attr-defined]
        rows.append(_row(problem_id, question, original, correct=True))
        for item in group[:MAX_INCORRECT]:
            modified = "\n".join(str(step) for step in item["modified_process"])  # type: ignore[attr-defined]
            rows.append(_row(problem_id, question, modified, correct=False))
    return rows


def _row(problem_id: str, question: str, response: str, correct: bool) -> dict[str, object]:
    return {
        "problem_id": problem_id,
        "question": question,
        "response": response,
        "correct": correct,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DATA / "target_data.jsonl"), help="PRMBench items")
    parser.add_argument("-o", "--out", required=True, help="rm-eval rows .jsonl to write")
    args = parser.parse_args()
    lines = Path(args.data).read_text(encoding="utf-8").splitlines()
    rows = rm_rows([json.loads(line) for line in lines if line.strip()])
    write_jsonl(args.out, rows)
    problems = len({row["problem_id"] for row in rows})
    print(f"{len(rows)} responses of {problems} problems -> {args.out}")


if __name__ == "__main__":
    main()
