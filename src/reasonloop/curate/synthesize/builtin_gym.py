"""The offline instructor's half for reasoning-gym tasks: errors typed by generator level, new
problems drawn from the same generator at the level that failed.

A reasoning-gym problem is a generator's item, so the program that made it can make more:
a bad case's error type is its task and generator level (`meta["difficulty_level"]`, from the
difficulty parameters), and a request for that type draws fresh items of the same generator
and options under another seed, keeping those at the failing level. The generator gives the
answer but no worked solution, so a synthesized problem's solution states the answer in the
form the prompt asks for (`write_gym_solution`); what the model learns from it is the answer,
not the working.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from reasonloop.curate.synthesize.builtin_analysis import Finding
from reasonloop.curate.synthesize.records import BadCase, SynthesizedProblem
from reasonloop.tasks.problem import Problem

# Candidates drawn per problem asked for before a level is taken to be too rare.
DRAWS_PER_PROBLEM = 20
# A synthesized item's seed is the run's seed moved this far per instructor seed (plus the
# attempt), so its items are drawn from streams the run's own problems never use.
SEED_STRIDE = 1000


def is_gym_problem(problem: Problem) -> bool:
    """Whether `problem` is a reasoning-gym item that can be drawn again (`rg:` tasks)."""
    return bool(problem.meta.get("rg_task")) and bool(problem.meta.get("task"))


def gym_error_type(problem: Problem) -> str:
    """`TASK level L` (or `TASK` where the generator gives no levels).

    >>> gym_error_type(Problem("p", "q", "1", meta={"rg_task": "gcd", "difficulty_level": 4}))
    'gcd level 4'
    """
    level = problem.meta.get("difficulty_level")
    task = str(problem.meta["rg_task"])
    return f"{task} level {level}" if isinstance(level, int) else task


def gym_findings(case: BadCase) -> list[Finding]:
    """One finding per wrong response: the error type names the task and the level."""
    error_type = gym_error_type(case.problem)
    phrase = f"wrong answers to {error_type} problems"
    return [Finding(error_type, phrase) for _ in case.wrong_answers] or [
        Finding(error_type, phrase)
    ]


def write_gym_solution(gold: str) -> str:
    """The answer in the form the default prompt asks for where an answer phrase reads back
    as exactly the gold; otherwise (a sentence ending in `!`, a grid) in the `<answer>` tags
    reasoning-gym's scorers are read from first.

    >>> write_gym_solution("b, a, 2021"), write_gym_solution("Is it lovely?")
    ('The answer is b, a, 2021.', '<answer>Is it lovely?</answer>')
    """
    from reasonloop.sample.graders import read_gym_answer

    phrase = f"The answer is {gold}."
    if "\n" not in gold and read_gym_answer(phrase) == gold:
        return phrase
    return f"<answer>{gold}</answer>"


def draw_gym_problems(
    examples: Sequence[BadCase], n: int, *, attempt: int, seed: int, instructor: str
) -> list[SynthesizedProblem]:
    """Up to `n` new items of the examples' generator at their level (see the module doc)."""
    from reasonloop.tasks.gym import generate_gym_problems, parse_gym_spec

    seeds = [case.problem for case in examples if is_gym_problem(case.problem)]
    if not seeds or n < 1:
        return []
    model = seeds[0]
    spec = parse_gym_spec(str(model.meta["task"]))
    draw_seed = spec.seed + SEED_STRIDE * (1 + seed) + attempt
    candidates = generate_gym_problems(
        replace(spec, seed=draw_seed), DRAWS_PER_PROBLEM * n, fewer_ok=True
    )
    level = model.meta.get("difficulty_level")
    chosen = [p for p in candidates if p.meta.get("difficulty_level") == level][:n]
    return [
        SynthesizedProblem(
            id=f"builtin-{attempt}-{index}",
            error_type=gym_error_type(model),
            question=problem.question,
            solution=write_gym_solution(problem.gold),
            answer=problem.gold,
            meta={**problem.meta, "instructor": instructor, "drawn_as": problem.id},
        )
        for index, problem in enumerate(chosen)
    ]
