"""Built-in procedural tasks: problems drawn from a seed, with exact gold answers.

Each task is a `Task`: a `draw` function that turns a random generator and the task's knobs
into one (question, gold) pair, plus the knobs' defaults. `generate_task` draws until it has
`n` distinct questions. The sequence is prefix-stable: the first 10 problems of `n=20` are
the 10 problems of `n=10` for the same seed and knobs, so a run can grow without renumbering.

>>> [p.question for p in generate_task("arithmetic", 2, seed=0)]
['What is 52 + 10?', 'What is 60 + 19?']
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.tasks.problem import Problem

Knobs = Mapping[str, Any]
Drawn = tuple[str, str]  # (question, gold)

# Try this many draws per requested problem before deciding the task space is too small.
_DRAWS_PER_PROBLEM = 50

_OP_NAMES = {"+": "p", "-": "m", "*": "t"}


@dataclass(frozen=True)
class Task:
    """A procedural task: `draw` makes one (question, gold) pair from a generator and knobs."""

    name: str
    description: str
    defaults: Mapping[str, int | str]
    draw: Callable[[random.Random, Knobs], Drawn]
    validate: Callable[[Knobs], None]
    tag: Callable[[Knobs], str]  # the knob part of problem ids, e.g. "d2"


def _draw_arithmetic(rng: random.Random, knobs: Knobs) -> Drawn:
    digits = int(knobs["digits"])
    low = 0 if digits == 1 else 10 ** (digits - 1)
    high = 10**digits - 1
    a, b = rng.randint(low, high), rng.randint(low, high)
    # a canonical order, so "*+" and "+*" draw the same problems (they share ids)
    op = rng.choice(sorted(set(str(knobs["ops"])), key="+-*".index))
    if op == "-" and a < b:
        # keep differences non-negative: a small model should not also have to handle signs
        a, b = b, a
    result = {"+": a + b, "-": a - b, "*": a * b}[op]
    return f"What is {a} {op} {b}?", str(result)


def _validate_arithmetic(knobs: Knobs) -> None:
    digits, ops = knobs["digits"], str(knobs["ops"])
    if not 1 <= int(digits) <= 18:
        raise ConfigError(f"arithmetic: digits must be between 1 and 18, got {digits}")
    if not ops or set(ops) - set(_OP_NAMES):
        raise ConfigError(f"arithmetic: ops must be a non-empty mix of '+-*', got {ops!r}")


def _tag_arithmetic(knobs: Knobs) -> str:
    ops = str(knobs["ops"])
    tag = f"d{knobs['digits']}"
    if ops == "+":
        return tag
    return tag + "-" + "".join(_OP_NAMES[op] for op in sorted(set(ops), key="+-*".index))


def _draw_linear(rng: random.Random, knobs: Knobs) -> Drawn:
    max_coef = int(knobs["max_coef"])
    a = rng.randint(2, max_coef)
    x = rng.randint(-max_coef, max_coef)
    b = rng.choice([v for v in range(-max_coef, max_coef + 1) if v != 0])
    c = a * x + b
    sign = "+" if b > 0 else "-"
    return f"Solve for x: {a}x {sign} {abs(b)} = {c}. What is x?", str(x)


def _validate_linear(knobs: Knobs) -> None:
    max_coef = knobs["max_coef"]
    if not 2 <= int(max_coef) <= 10**6:
        raise ConfigError(f"linear: max_coef must be between 2 and 1000000, got {max_coef}")


def _draw_fractions(rng: random.Random, knobs: Knobs) -> Drawn:
    max_den = int(knobs["max_den"])
    b, d = rng.randint(2, max_den), rng.randint(2, max_den)
    a, c = rng.randint(1, b - 1), rng.randint(1, d - 1)
    total = Fraction(a, b) + Fraction(c, d)
    # str(Fraction) is already in lowest terms, and drops a denominator of 1: "3/2", "1"
    return f"What is {a}/{b} + {c}/{d}? Give the answer as a fraction in lowest terms.", str(total)


def _validate_fractions(knobs: Knobs) -> None:
    max_den = knobs["max_den"]
    if not 3 <= int(max_den) <= 10**6:
        raise ConfigError(f"fractions: max_den must be between 3 and 1000000, got {max_den}")


TASKS: dict[str, Task] = {
    task.name: task
    for task in (
        Task(
            name="arithmetic",
            description="integer arithmetic on two numbers of `digits` digits with `ops` from +-*",
            defaults={"digits": 2, "ops": "+"},
            draw=_draw_arithmetic,
            validate=_validate_arithmetic,
            tag=_tag_arithmetic,
        ),
        Task(
            name="linear",
            description="solve a*x + b = c for integer x; coefficients and x up to `max_coef`",
            defaults={"max_coef": 9},
            draw=_draw_linear,
            validate=_validate_linear,
            tag=lambda knobs: f"c{knobs['max_coef']}",
        ),
        Task(
            name="fractions",
            description="add two proper fractions with denominators up to `max_den`; lowest terms",
            defaults={"max_den": 9},
            draw=_draw_fractions,
            validate=_validate_fractions,
            tag=lambda knobs: f"m{knobs['max_den']}",
        ),
    )
}


def find_task(name: str) -> Task:
    """The registered task called `name`, or a ConfigError listing the valid names."""
    if name not in TASKS:
        raise ConfigError(f"unknown task {name!r}; valid tasks: {', '.join(sorted(TASKS))}")
    return TASKS[name]


def resolve_knobs(task: Task, knobs: Knobs) -> dict[str, int | str]:
    """The task's defaults overridden by `knobs`, converted to the defaults' types and checked."""
    unknown = sorted(set(knobs) - set(task.defaults))
    if unknown:
        valid = ", ".join(sorted(task.defaults))
        raise ConfigError(
            f"unknown knob(s) {', '.join(unknown)} for task {task.name!r}; valid knobs: {valid}"
        )
    resolved = dict(task.defaults)
    for key, value in knobs.items():
        resolved[key] = _convert_knob(task.name, key, value, type(task.defaults[key]))
    task.validate(resolved)
    return resolved


def _convert_knob(task: str, key: str, value: Any, kind: type) -> int | str:
    if kind is int:
        if isinstance(value, bool):
            raise ConfigError(f"{task}: knob {key} must be an integer, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{task}: knob {key} must be an integer, got {value!r}") from None
    return str(value)


def generate_task(name: str, n: int, *, seed: int = 0, **knobs: Any) -> list[Problem]:
    """`n` distinct problems of task `name`, the same ones for the same seed and knobs."""
    task = find_task(name)
    resolved = resolve_knobs(task, knobs)
    if n < 0:
        raise ConfigError(f"{name}: the number of problems must be >= 0, got {n}")
    prefix = f"{name}-{task.tag(resolved)}-s{seed}"
    rng = random.Random(f"{prefix}")
    problems: list[Problem] = []
    seen: set[str] = set()
    for _ in range(n * _DRAWS_PER_PROBLEM):
        if len(problems) == n:
            break
        question, gold = task.draw(rng, resolved)
        if question in seen:
            continue
        seen.add(question)
        meta = {"task": name, "seed": seed, **resolved}
        problems.append(Problem(f"{prefix}-{len(problems):05d}", question, gold, name, meta))
    if len(problems) < n:
        raise ConfigError(
            f"{name}: found only {len(problems)} distinct problems with {resolved}, "
            f"{n} were asked for; ask for fewer or make the task harder"
        )
    return problems


def parse_task_spec(spec: str) -> tuple[str, dict[str, int | str]]:
    """Split a CLI task spec into its name and typed knobs; `seed` is accepted as a knob.

    >>> parse_task_spec("arithmetic:digits=3,ops=+-*")
    ('arithmetic', {'digits': 3, 'ops': '+-*'})
    """
    name, _, knob_text = spec.strip().partition(":")
    task = find_task(name.strip())
    raw: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in knob_text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"task spec {spec!r}: expected key=value, got {item!r}")
        raw[key.strip()] = value.strip()
    seed = raw.pop("seed", None)
    knobs: dict[str, int | str] = {
        key: value for key, value in resolve_knobs(task, raw).items() if key in raw
    }
    if seed is not None:
        knobs["seed"] = _convert_knob(task.name, "seed", seed, int)
    return task.name, knobs


def is_task_spec(source: str) -> bool:
    """Whether `source` names a built-in task (`"arithmetic"`, `"linear:max_coef=5"`)."""
    return source.partition(":")[0].strip() in TASKS
