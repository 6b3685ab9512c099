"""Every reasoning-gym task's own gold answer, written three ways, through reasonloop's grading.

    python benchmarks/gym_gold_forms.py                         # all tasks, 3 problems each
    python benchmarks/gym_gold_forms.py --tasks knight_swap,futoshiki --n 5

For each task (default options, seed 0) and each of its first `--n` problems, the gold answer
is written as a reasoning-gym `<answer>` tag, as an answer phrase (`The answer is GOLD.`, the
form reasonloop's prompts ask for; a grid runs on over the following lines) and in a box, and
graded as a run grades it (`reasonloop.sample.graders.grade_responses`: the task's grader, in
the killable worker, with its time bounds). Each must be correct; another problem's gold (in
a tag, where the two golds differ) must not be. Tasks whose items have no gold (open answers
such as a graph colouring, where `answer` is None and the scorer checks the response itself)
and tasks that need options (`composite`) are listed apart. Prints one line per task that
fails anything and a summary; exits 1 when a task with a gold fails.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from reasonloop.errors import ConfigError
from reasonloop.sample.graders import grade_responses
from reasonloop.tasks.gym import generate_gym_problems, task_names
from reasonloop.verify.verdict import Verdict

FORMS = {
    "tag": "<answer>{gold}</answer>",
    "phrase": "Let me work it out.\nThe answer is {gold}.",
    "box": "So the result is \\boxed{{{gold}}}",
}


def check_task(name: str, n: int) -> dict[str, object]:
    """{status, grader, failures: [(form, status, reason)]} for one task."""
    try:
        problems = generate_gym_problems(f"rg:{name}", n, fewer_ok=True)
    except ConfigError as error:
        return {"status": "needs options", "reason": str(error)[:160]}
    if all(p.gold in ("", "None") for p in problems):
        return {"status": "open answer", "grader": problems[0].meta["grader"]}
    cases = [(form.format(gold=p.gold), p, kind) for p in problems for kind, form in FORMS.items()]
    others = [(problems[(i + 1) % len(problems)].gold, p) for i, p in enumerate(problems)]
    cases += [(FORMS["tag"].format(gold=g), p, "wrong") for g, p in others if g != p.gold]
    verdicts = grade_responses([c[0] for c in cases], [c[1] for c in cases])
    failures = [
        (kind, verdict.status.value, verdict.reason[:120])
        for (_, _, kind), verdict in zip(cases, verdicts, strict=True)
        if _failed(kind, verdict)
    ]
    status = "ok" if not failures else "fails"
    return {"status": status, "grader": problems[0].meta["grader"], "failures": failures}


def _failed(kind: str, verdict: Verdict) -> bool:
    return verdict.correct if kind == "wrong" else not verdict.correct


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", help="comma-separated task names (default: every task)")
    parser.add_argument("--n", type=int, default=3, help="problems per task")
    args = parser.parse_args(argv)
    names = args.tasks.split(",") if args.tasks else task_names()
    counts: dict[str, list[str]] = {}
    started = time.perf_counter()
    for name in names:
        result = check_task(name, args.n)
        counts.setdefault(str(result["status"]), []).append(name)
        if result["status"] != "ok":
            print(
                f"{name}: {result['status']} {result.get('failures') or result.get('reason', '')}"
            )
        sys.stdout.flush()
    for status, tasks in sorted(counts.items()):
        print(
            f"{status}: {len(tasks)} tasks" + ("" if status == "ok" else f" ({', '.join(tasks)})")
        )
    print(f"{len(names)} tasks, {args.n} problems each, in {time.perf_counter() - started:.0f} s")
    return 1 if counts.get("fails") else 0


if __name__ == "__main__":
    raise SystemExit(main())
