"""reasonloop's verifier against reasoning-gym's own scorers, on every arithmetic and algebra task.

    python benchmarks/gym_agreement.py                          # gold forms + embedded model
    python benchmarks/gym_agreement.py --model-problems 0       # gold forms only (seconds)
    python benchmarks/gym_agreement.py --tasks chain_sum,gcd --show 20

For each task of reasoning-gym's `arithmetic` and `algebra` categories (default options, seed 0)
the same responses are graded twice: by `reasonloop.verify.verify` against the gold, and by the
task's `score_answer` on the answer reasonloop extracts (`reasonloop.sample.graders`, score
1.0 = correct). The responses are

- the gold written in several forms (`FORMS`: bare, an answer phrase, a box, an `<answer>` tag,
  thousands separators, a trailing `.0`, a LaTeX fraction, `x = gold`, the fraction
  not in lowest terms, a wrong value), and
- the embedded model's greedy answers (`--model-problems` per task; `--model default`) under
  reasonloop's default prompt, with reasoning-gym's questions (and their format instructions)
  kept as they are.

The table counts, per task, responses both graders accept, both reject, and each accepts alone;
then the disagreements are listed (one per task and kind of response) to be read by hand.
`grader` is the one reasonloop uses for the task (`reasonloop.tasks.gym.VERIFIER_TASKS`).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reasonloop.sample.graders import grade_with_gym
from reasonloop.tasks import Problem
from reasonloop.tasks.gym import generate_gym_problems, grader_for, import_reasoning_gym
from reasonloop.verify import verify_batch

CATEGORIES = ("arithmetic", "algebra")


def thousands(gold: str) -> str | None:
    if not re.fullmatch(r"-?\d{4,}", gold):
        return None
    return f"{int(gold):,}"


def trailing_zero(gold: str) -> str | None:
    return f"{gold}.0" if re.fullmatch(r"-?\d+", gold) else None


def latex_fraction(gold: str) -> str | None:
    match = re.fullmatch(r"(-?)(\d+)/(\d+)", gold)
    return rf"{match[1]}\frac{{{match[2]}}}{{{match[3]}}}" if match else None


def unreduced(gold: str) -> str | None:
    match = re.fullmatch(r"(-?)(\d+)/(\d+)", gold)
    return f"{match[1]}{2 * int(match[2])}/{2 * int(match[3])}" if match else None


def off_by_one(gold: str) -> str | None:
    return str(int(gold) + 1) if re.fullmatch(r"-?\d+", gold) else None


# (kind, how the answer is written, how the response states it); None: the form does not apply
FORMS: tuple[tuple[str, Callable[[str], str | None], str], ...] = (
    ("bare", lambda g: g, "{}"),
    ("phrase", lambda g: g, "The answer is {}."),
    ("boxed", lambda g: g, "So the result is \\boxed{{{}}}."),
    ("tag", lambda g: g, "Let me think. <answer>{}</answer>"),
    ("thousands", thousands, "The answer is {}."),
    ("trailing .0", trailing_zero, "The answer is {}."),
    ("latex frac", latex_fraction, "The answer is ${}$."),
    ("x = gold", lambda g: g, "<answer>x = {}</answer>"),
    ("unreduced", unreduced, "The answer is {}."),  # the same value, not in lowest terms
    ("wrong value", off_by_one, "The answer is {}."),
)


@dataclass(frozen=True)
class Case:
    task: str
    kind: str  # a FORMS kind, or "model"
    problem: Problem
    response: str


def gold_cases(task: str, problems: Sequence[Problem]) -> list[Case]:
    cases = []
    for problem in problems:
        for kind, write, wrap in FORMS:
            answer = write(problem.gold)
            if answer is not None:
                cases.append(Case(task, kind, problem, wrap.format(answer)))
    return cases


def model_cases(tasks: Sequence[str], n: int, model: str, max_new_tokens: int) -> list[Case]:
    """The embedded model's greedy answers to `n` problems of each task, in one batch."""
    from reasonloop.backends.base import SamplingParams
    from reasonloop.backends.registry import load_sampler
    from reasonloop.prompts import DEFAULT_TEMPLATE

    sampler = load_sampler("default", model)
    problems = [(task, p) for task in tasks for p in generate_gym_problems(f"rg:{task}", n)]
    params = SamplingParams(max_new_tokens=max_new_tokens, temperature=0.0)
    started = time.perf_counter()
    completions = sampler.generate([DEFAULT_TEMPLATE.render(p) for _, p in problems], params)
    print(f"sampled {len(problems)} answers in {time.perf_counter() - started:.0f} s", flush=True)
    return [
        Case(task, "model", p, c.text) for (task, p), c in zip(problems, completions, strict=True)
    ]


def grade(cases: Sequence[Case]) -> list[tuple[bool, bool, str | None, str]]:
    """(verifier correct, reasoning-gym correct, extracted answer, gym reason) per case."""
    rule = verify_batch([(c.response, c.problem.gold) for c in cases])
    gym = grade_with_gym([(c.response, c.problem) for c in cases])
    return [(r.correct, g.correct, g.answer, g.reason) for r, g in zip(rule, gym, strict=True)]


def print_table(
    cases: Sequence[Case], graded: Sequence[tuple[bool, bool, str | None, str]]
) -> None:
    counts: dict[str, Counter[str]] = {}
    for case, (rule, gym, _, _) in zip(cases, graded, strict=True):
        source = "model" if case.kind == "model" else "gold"
        outcome = {(True, True): "both", (False, False): "neither"}.get((rule, gym))
        outcome = outcome or ("verify only" if rule else "gym only")
        counts.setdefault(case.task, Counter())[f"{source} {outcome}"] += 1
        counts[case.task][source] += 1
    header = ("task", "grader", "gold forms", "both", "neither", "verify only", "gym only")
    header += ("model", "both", "neither", "verify only", "gym only")
    rows = [header]
    for task, count in counts.items():
        row = [task, grader_for(task)]
        for source in ("gold", "model"):
            row.append(str(count[source]))
            row += [
                str(count[f"{source} {o}"]) for o in ("both", "neither", "verify only", "gym only")
            ]
        rows.append(tuple(row))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        print(
            "  ".join(
                cell.rjust(w) if i > 1 else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )


def print_disagreements(
    cases: Sequence[Case], graded: Sequence[tuple[bool, bool, str | None, str]], show: int
) -> None:
    seen: Counter[tuple[str, str, bool]] = Counter()
    print("\ndisagreements (first per task, response kind and side; V = verifier, G = gym):")
    for case, (rule, gym, answer, reason) in zip(cases, graded, strict=True):
        if rule == gym:
            continue
        key = (case.task, case.kind, rule)
        seen[key] += 1
        if seen[key] > show:
            continue
        side = "V accepts, G rejects" if rule else "G accepts, V rejects"
        response = case.response if len(case.response) < 120 else case.response[:117] + "..."
        print(f"- {case.task} [{case.kind}] {side}: gold {case.problem.gold!r}, answer {answer!r}")
        print(f"    response {response!r}; gym: {reason[:100]}")
    totals = Counter((t, k, r) for (t, k, r) in seen.elements())
    print(f"\n{sum(totals.values())} disagreements in {len(cases)} graded responses")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", help="comma-separated tasks (default: arithmetic + algebra)")
    parser.add_argument(
        "--gold-problems", type=int, default=10, help="problems per task, gold forms"
    )
    parser.add_argument(
        "--model-problems", type=int, default=10, help="problems per task, model answers (0: none)"
    )
    parser.add_argument("--model", default="default", help="the embedded model (default)")
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument(
        "--show", type=int, default=1, help="disagreements shown per task/kind/side"
    )
    args = parser.parse_args(argv)
    rg = import_reasoning_gym()
    tasks = (
        args.tasks.split(",")
        if args.tasks
        else sorted(
            name
            for name, (dataset_cls, _) in rg.factory.DATASETS.items()
            if dataset_cls.__module__.split(".")[1] in CATEGORIES
        )
    )
    cases = [
        c
        for t in tasks
        for c in gold_cases(t, generate_gym_problems(f"rg:{t}", args.gold_problems))
    ]
    if args.model_problems:
        cases += model_cases(tasks, args.model_problems, args.model, args.max_new_tokens)
    graded = grade(cases)
    print_table(cases, graded)
    print_disagreements(cases, graded, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
