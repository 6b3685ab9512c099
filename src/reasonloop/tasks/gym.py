"""reasoning-gym generators as a problem source: `rg:NAME?key=value&...` and weighted mixtures.

Spec syntax (one string, for `--task` and the loop's `task:`):

    rg:chain_sum                                  one generator, its default options
    rg:chain_sum?min_terms=2&max_terms=4&seed=3   options (values read as JSON, else text)
    rg:mix?chain_sum=2&gcd=1&chain_sum.max_terms=3
                                                  a mixture: NAME=WEIGHT, NAME.OPTION=VALUE

`seed` (default 0) and `grader` (`verify` or `reasoning_gym`; default: chosen per task, see
`grader_for`) are reserved keys. In YAML, `task: {reasoning_gym: chain_sum, options: {...},
seed: 3}` or `task: {reasoning_gym: [{name: chain_sum, weight: 2, options: {...}}, gcd]}`
become the same string (`spec_from_mapping`).

A problem is item `index` of reasoning-gym's dataset for (name, options, seed): the same spec
and seed give the same problems on every machine running the same reasoning-gym version (item
i comes from `random.Random(seed + i)`, see `gym_seed`; the few generators that also depend on
the hash seed run with PYTHONHASHSEED=0, see `HASH_SEEDED_TASKS`). Problem ids keep that
index, so a longer run keeps the first problems of a shorter one. `meta` holds the generator's
own metadata (its difficulty parameters among them), what grading needs to rebuild the item
(`rg_task`, `rg_options`, `seed`, `rg_seed`, `rg_index`), the `grader`, and a generator
difficulty level (`difficulty_level`, see `difficulty_level_of`).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import random
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from reasonloop.errors import ConfigError
from reasonloop.tasks.gym_scorers import OWN_SCORERS
from reasonloop.tasks.problem import Problem

PREFIX = "rg:"
MIX = "mix"
GRADERS = ("verify", "reasoning_gym")
EXTRA_HINT = "reasoning-gym tasks need the gym extra: pip install 'reasonloop[gym]'"

# Tasks whose answers are one number or equation solution: reasonloop's verifier grades them
# (it reads \boxed{}, "The answer is", thousands separators, `62.0`, `x = 62`, which
# reasoning-gym's scorers reject). Every other task (words, lists, grids, moves, dates, hex,
# expressions, answers to a tolerance) is graded by reasoning-gym's own `score_answer`; so are
# dice and fraction_simplification, whose questions ask for a fraction in lowest terms (the
# verifier compares values: it takes 2/4 for 1/2). benchmarks/gym_agreement.py measures the two
# side by side.
VERIFIER_TASKS = frozenset(
    {
        "basic_arithmetic",
        "chain_sum",
        "count_bits",
        "decimal_chain_sum",
        "gcd",
        "gsm_symbolic",
        "lcm",
        "leg_counting",
        "number_format",
        "products",
        "simple_equations",
    }
)

# Generators whose items depend on the interpreter's hash seed (set order, sympy's term order):
# 5 items of every task generated under PYTHONHASHSEED=1 and =2 differ only for these
# (reasoning-gym 0.1.25). They are generated in a child interpreter with PYTHONHASHSEED=0.
HASH_SEEDED_TASKS = frozenset(
    {
        "isomorphic_strings",
        "knight_swap",
        "list_functions",
        "polynomial_multiplication",
        "ransom_note",
        "word_ladder",
    }
)

# Draw at most this many items per requested problem before deciding the generator repeats.
_DRAWS_PER_PROBLEM = 20
_RESERVED = ("seed", "grader")
_META_KEYS = ("task", "seed", "grader", "difficulty_level")


@dataclass(frozen=True)
class GymComponent:
    """One generator of a spec: its name, the options given, and its mixture weight."""

    name: str
    options: Mapping[str, Any]
    weight: float = 1.0


@dataclass(frozen=True)
class GymSpec:
    """A parsed `rg:` spec: one or more generators, the seed, and a grader override."""

    components: tuple[GymComponent, ...]
    seed: int = 0
    grader: str | None = None

    @property
    def is_mixture(self) -> bool:
        return len(self.components) > 1


def is_gym_spec(source: str) -> bool:
    """Whether `source` names reasoning-gym tasks (`rg:...`)."""
    return source.strip().startswith(PREFIX)


def import_reasoning_gym() -> Any:
    """The `reasoning_gym` module, or a ConfigError naming the extra that installs it."""
    try:
        import reasoning_gym
    except ImportError as error:
        raise ConfigError(EXTRA_HINT) from error
    return reasoning_gym


def task_names() -> list[str]:
    """The names of every reasoning-gym generator."""
    return sorted(import_reasoning_gym().factory.DATASETS)


def parse_gym_spec(spec: str) -> GymSpec:
    """Parse `rg:NAME?k=v&...` or `rg:mix?NAME=W&NAME.k=v&...`; names and options are checked
    against the installed reasoning-gym (a ConfigError names the fix)."""
    if not is_gym_spec(spec):
        raise ConfigError(f"{spec!r} is not a reasoning-gym spec; it starts with {PREFIX!r}")
    head, _, query = spec.strip()[len(PREFIX) :].partition("?")
    name = head.strip()
    pairs = _read_query(spec, query)
    seed = _read_seed(spec, pairs.pop("seed", 0))
    grader = _read_grader(spec, pairs.pop("grader", None))
    if name == MIX:
        components = _mixture_components(spec, pairs)
    else:
        components = (GymComponent(check_task_name(name), pairs),)
    for component in components:
        check_options(component.name, component.options)
    return GymSpec(components, seed, grader)


def _read_query(spec: str, query: str) -> dict[str, Any]:
    # Split by hand: parse_qsl would turn '+' into a space, and '+' is an arithmetic operator.
    pairs: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in query.split("&"))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"task spec {spec!r}: expected key=value, got {item!r}")
        pairs[unquote(key.strip())] = _read_value(unquote(value.strip()))
    return pairs


def _read_value(text: str) -> Any:
    """`3` -> 3, `true` -> True, `[1, 2]` -> [1, 2]; anything else stays text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _read_seed(spec: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"task spec {spec!r}: seed must be an integer, got {value!r}")
    return value


def _read_grader(spec: str, value: Any) -> str | None:
    if value is not None and value not in GRADERS:
        raise ConfigError(
            f"task spec {spec!r}: grader must be one of {', '.join(GRADERS)}, got {value!r}"
        )
    return None if value is None else str(value)


def _mixture_components(spec: str, pairs: Mapping[str, Any]) -> tuple[GymComponent, ...]:
    weights = {key: value for key, value in pairs.items() if "." not in key}
    if not weights:
        raise ConfigError(f"task spec {spec!r}: a mixture needs NAME=WEIGHT items (rg:mix?gcd=1)")
    options: dict[str, dict[str, Any]] = {name: {} for name in weights}
    for key, value in pairs.items():
        if "." in key:
            name, _, option = key.partition(".")
            if name not in weights:
                raise ConfigError(
                    f"task spec {spec!r}: option {key!r} names {name!r}, which has no weight; "
                    f"add {name}=WEIGHT"
                )
            options[name][option] = value
    components = []
    for name, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise ConfigError(f"task spec {spec!r}: weight of {name!r} must be > 0, got {weight!r}")
        components.append(GymComponent(check_task_name(name), options[name], float(weight)))
    return tuple(components)


def check_task_name(name: str) -> str:
    """`name` if reasoning-gym has it, else a ConfigError with the closest names."""
    names = task_names()
    if name in names:
        return name
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ConfigError(
        f"unknown reasoning-gym task {name!r}{hint} "
        f"({len(names)} tasks: `python -c 'import reasoning_gym; "
        "print(sorted(reasoning_gym.factory.DATASETS))'` lists them)"
    )


def option_defaults(name: str) -> dict[str, Any]:
    """A generator's options and their defaults (its config dataclass, less seed and size)."""
    config_cls = import_reasoning_gym().factory.DATASETS[name][1]
    defaults: dict[str, Any] = {}
    for field in dataclasses.fields(config_cls):
        if field.name in ("seed", "size"):
            continue
        if field.default is not dataclasses.MISSING:
            defaults[field.name] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            defaults[field.name] = field.default_factory()
        else:
            defaults[field.name] = None
    return defaults


def check_options(name: str, options: Mapping[str, Any]) -> None:
    """A ConfigError listing `name`'s valid options when one is unknown or its value is bad."""
    defaults = option_defaults(name)
    valid = ", ".join(f"{key}={_show(value)}" for key, value in defaults.items())
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        raise ConfigError(
            f"unknown option(s) {', '.join(unknown)} for reasoning-gym task {name!r}; "
            f"valid options (default): {valid or 'none'}"
        )
    try:
        _create_dataset(name, dict(options), seed=0, size=1)
    except Exception as error:  # the generator's own checks: assert, ValueError, TypeError
        raise ConfigError(
            f"reasoning-gym task {name!r} rejects options {dict(options)}: "
            f"{type(error).__name__}: {error or 'invalid value'}; valid options (default): {valid}"
        ) from None


def _show(value: Any) -> str:
    return json.dumps(to_plain(value), ensure_ascii=False)


def _create_dataset(name: str, options: Mapping[str, Any], *, seed: int, size: int) -> Any:
    factory = import_reasoning_gym().factory
    config_cls = factory.DATASETS[name][1]
    kinds = {field.name: field for field in dataclasses.fields(config_cls)}
    typed = {key: _as_field(value, kinds[key]) for key, value in options.items()}
    return factory.create_dataset(name, seed=seed, size=size, **typed)


def _as_field(value: Any, field: dataclasses.Field[Any]) -> Any:
    # JSON and YAML give lists where the config's defaults are tuples (operators, ranges).
    default = field.default if field.default is not dataclasses.MISSING else None
    if isinstance(value, list) and isinstance(default, tuple):
        return tuple(value)
    return value


def format_gym_spec(spec: GymSpec) -> str:
    """The canonical string of `spec` (what `parse_gym_spec` reads back).

    >>> format_gym_spec(GymSpec((GymComponent("gcd", {"max_value": 50}),), seed=1))
    'rg:gcd?max_value=50&seed=1'
    """
    items: list[str] = []
    if spec.is_mixture:
        for component in spec.components:
            items.append(f"{component.name}={component.weight:g}")
            items += [f"{component.name}.{k}={_show(v)}" for k, v in component.options.items()]
        head = MIX
    else:
        head = spec.components[0].name
        items += [f"{k}={_show(v)}" for k, v in spec.components[0].options.items()]
    if spec.seed:
        items.append(f"seed={spec.seed}")
    if spec.grader is not None:
        items.append(f"grader={spec.grader}")
    return PREFIX + head + ("?" + "&".join(items) if items else "")


def spec_from_mapping(data: Mapping[str, Any]) -> str:
    """The `rg:` string for a YAML `task:` mapping (`{reasoning_gym: NAME, options: {...}}`,
    or a list of `{name, weight, options}` / names under `reasoning_gym`)."""
    known = {"reasoning_gym", "options", "seed", "grader"}
    unknown = sorted(set(data) - known)
    if unknown or "reasoning_gym" not in data:
        raise ConfigError(
            f"task mapping: unknown key(s) {', '.join(unknown) or '(none)'} or no reasoning_gym "
            f"key; known keys: {', '.join(sorted(known))} "
            "(e.g. task: {reasoning_gym: chain_sum, options: {max_terms: 3}})"
        )
    target = data["reasoning_gym"]
    components: tuple[GymComponent, ...]
    if isinstance(target, str):
        components = (GymComponent(target, dict(data.get("options") or {})),)
    elif isinstance(target, Sequence) and target:
        if data.get("options"):
            raise ConfigError("task mapping: a mixture takes options per entry, not at the top")
        components = tuple(_component_from_yaml(entry) for entry in target)
    else:
        raise ConfigError(f"task mapping: reasoning_gym must be a name or a list, got {target!r}")
    spec = GymSpec(components, _read_seed("task", data.get("seed", 0)), data.get("grader"))
    text = format_gym_spec(spec)
    parse_gym_spec(text)  # check names and options now, with the same errors as the CLI
    return text


def _component_from_yaml(entry: Any) -> GymComponent:
    if isinstance(entry, str):
        return GymComponent(entry, {})
    if (
        not isinstance(entry, Mapping)
        or "name" not in entry
        or set(entry)
        - {
            "name",
            "weight",
            "options",
        }
    ):
        raise ConfigError(
            f"task mapping: a mixture entry is a name or {{name, weight, options}}, got {entry!r}"
        )
    return GymComponent(
        str(entry["name"]), dict(entry.get("options") or {}), entry.get("weight", 1)
    )


def grader_for(name: str, override: str | None = None) -> str:
    """`verify` for tasks with numeric answers (`VERIFIER_TASKS`), else `reasoning_gym`."""
    if override is not None:
        return override
    return "verify" if name in VERIFIER_TASKS else "reasoning_gym"


def generate_gym_problems(spec: str | GymSpec, n: int, *, fewer_ok: bool = False) -> list[Problem]:
    """`n` distinct problems of `spec`, the same ones for the same spec and seed.

    A generator with fewer distinct questions (tower_of_hanoi has 90 with its defaults) is a
    ConfigError, or with `fewer_ok` gives the distinct ones it has, like a short file.
    """
    parsed = parse_gym_spec(spec) if isinstance(spec, str) else spec
    if n < 0:
        raise ConfigError(f"the number of problems must be >= 0, got {n}")
    hash_seeded = any(c.name in HASH_SEEDED_TASKS for c in parsed.components)
    if hash_seeded and os.environ.get("PYTHONHASHSEED") != "0":
        return _generate_with_hash_seed_0(parsed, n, fewer_ok)
    picks = _mixture_picks(parsed, n)
    datasets = {
        c.name: _create_dataset(c.name, c.options, seed=gym_seed(parsed.seed), size=max(n, 1) * 2)
        for c in parsed.components
    }
    next_index = {c.name: 0 for c in parsed.components}
    problems: list[Problem] = []
    seen: set[str] = set()
    for component in picks:
        problem = _next_distinct(parsed, component, datasets, next_index, seen)
        if problem is None and fewer_ok and problems:
            break  # the first problems are the same as when more are asked for
        if problem is None:
            raise ConfigError(
                f"reasoning-gym task {component.name!r} with {dict(component.options)} repeats "
                f"its questions: found only {len(seen)} distinct ones, {n} were asked for; "
                "ask for fewer or widen its options"
            )
        problems.append(problem)
    return problems


def _generate_with_hash_seed_0(spec: GymSpec, n: int, fewer_ok: bool) -> list[Problem]:
    """`generate_gym_problems` in a child interpreter whose hash seed is fixed, so a generator
    that iterates a set draws the same problems on every machine and in every process."""
    code = (
        "import json, sys\n"
        "from reasonloop.tasks.gym import generate_gym_problems\n"
        "fewer_ok = sys.argv[3] == '1'\n"
        "problems = generate_gym_problems(sys.argv[1], int(sys.argv[2]), fewer_ok=fewer_ok)\n"
        "print(json.dumps([p.to_dict() for p in problems]))\n"
    )
    text = format_gym_spec(spec)
    result = subprocess.run(
        [sys.executable, "-c", code, text, str(n), "1" if fewer_ok else "0"],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ConfigError(f"generating {text} failed: {result.stderr.strip()[-800:]}")
    rows = json.loads(result.stdout.splitlines()[-1])
    return [Problem.from_dict(row) for row in rows]


def gym_seed(seed: int) -> int:
    """reasoning-gym's seed for reasonloop's `seed`: item i is drawn from `Random(seed + i)`,
    so seeds 0 and 1 would share all but one problem; a million apart they share none below a
    million problems. Seed 0 stays 0 (the problems of reasoning-gym's own `seed=0`).

    >>> gym_seed(0), gym_seed(2)
    (0, 2000000)
    """
    return seed * 1_000_000


def _mixture_picks(spec: GymSpec, n: int) -> list[GymComponent]:
    """The component of each problem in order: drawn by weight, prefix-stable in n."""
    if not spec.is_mixture:
        return [spec.components[0]] * n
    rng = random.Random(f"rg-mix-s{spec.seed}")
    weights = [c.weight for c in spec.components]
    return [rng.choices(spec.components, weights)[0] for _ in range(n)]


def _next_distinct(
    spec: GymSpec,
    component: GymComponent,
    datasets: dict[str, Any],
    next_index: dict[str, int],
    seen: set[str],
) -> Problem | None:
    """The component's next item whose question is new; None when it keeps repeating."""
    for _ in range(_DRAWS_PER_PROBLEM * max(len(seen), 1) + _DRAWS_PER_PROBLEM):
        index = next_index[component.name]
        next_index[component.name] += 1
        dataset = datasets[component.name]
        if index >= dataset.size:  # item `index` does not depend on size: grow it
            dataset = _create_dataset(
                component.name, component.options, seed=gym_seed(spec.seed), size=dataset.size * 2
            )
            datasets[component.name] = dataset
        entry = dataset[index]
        if entry["question"] in seen:
            continue
        seen.add(entry["question"])
        return _to_problem(spec, component, entry, index)
    return None


def _to_problem(
    spec: GymSpec, component: GymComponent, entry: Mapping[str, Any], index: int
) -> Problem:
    options = {key: to_plain(value) for key, value in component.options.items()}
    metadata = to_plain(entry.get("metadata") or {})
    # The generator's keys first; reasonloop's own keys win (a generator's `seed` moves aside).
    meta: dict[str, Any] = {
        (f"gym_{key}" if key in _META_KEYS else key): value for key, value in metadata.items()
    }
    meta.update(
        task=format_gym_spec(GymSpec((component,), spec.seed)),
        rg_task=component.name,
        rg_options=options,
        seed=spec.seed,
        rg_seed=gym_seed(spec.seed),
        rg_index=index,
        grader=grader_for(component.name, spec.grader),
        difficulty_level=difficulty_level_of(metadata),
    )
    problem_id = f"rg-{component.name}-{_options_tag(options)}s{spec.seed}-{index:05d}"
    return Problem(problem_id, str(entry["question"]), str(entry["answer"]), component.name, meta)


def _options_tag(options: Mapping[str, Any]) -> str:
    if not options:
        return ""
    text = json.dumps(options, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8] + "-"


def difficulty_level_of(metadata: Mapping[str, Any]) -> int | None:
    """A generator difficulty level from 1 (easiest) to 5: each difficulty parameter's value
    placed in its configured range, averaged. None when the generator reports no ranges.

    >>> difficulty_level_of({"num_terms": 3, "difficulty": {"num_terms": [2, 6]}})
    2
    >>> difficulty_level_of({"num_terms": 6, "difficulty": {"num_terms": [2, 6]}})
    5
    """
    ranges = metadata.get("difficulty")
    if not isinstance(ranges, Mapping):
        return None
    positions = []
    for key, bounds in ranges.items():
        value = metadata.get(key)
        if not _is_number(value) or not isinstance(bounds, Sequence) or len(bounds) != 2:
            continue
        low, high = bounds
        if not (_is_number(low) and _is_number(high)):
            continue
        # a one-value range says nothing about how hard this problem is within the task
        if high > low:
            positions.append(min(max((value - low) / (high - low), 0.0), 1.0))
    if not positions:
        return None
    return 1 + min(int(sum(positions) / len(positions) * 5), 4)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def to_plain(value: Any) -> Any:
    """`value` as JSON data: tuples and sets become lists, unknown objects their `str`."""
    if isinstance(value, Mapping):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((to_plain(item) for item in value), key=str)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


_SCORING_DATASETS: dict[str, Any] = {}
_SCORING_CACHE_SIZE = 16  # generators kept per process (arc_agi's takes seconds to build)


def dataset_key(problem: Problem) -> str:
    """Which generator (task, options, seed) scores `problem`: a problem's item is rebuilt
    from it, and a worker that has built it once keeps it."""
    meta = problem.meta
    options = to_plain(dict(meta.get("rg_options") or {}))
    return json.dumps([meta["rg_task"], options, int(meta["rg_seed"])], sort_keys=True)


def scoring_dataset(problem: Problem) -> Any:
    """The generator of `problem`'s item, built once per process and grown when a later item
    is asked for (item i does not depend on the dataset's size)."""
    key = dataset_key(problem)
    index = int(problem.meta["rg_index"])
    dataset = _SCORING_DATASETS.pop(key, None)
    if dataset is None or index >= dataset.size:
        size = max(index + 1, 2 * dataset.size if dataset is not None else 1)
        name, options, seed = json.loads(key)
        dataset = _create_dataset(name, options, seed=seed, size=size)
    _SCORING_DATASETS[key] = dataset  # most recently used last
    while len(_SCORING_DATASETS) > _SCORING_CACHE_SIZE:
        _SCORING_DATASETS.pop(next(iter(_SCORING_DATASETS)))
    return dataset


_SCORING_ENTRIES: dict[tuple[str, int], Any] = {}
SCORING_ENTRIES_KEPT = 4096  # items kept per process (knight_swap's take seconds to generate)


def scoring_entry(problem: Problem) -> tuple[Any, Any]:
    """`problem`'s generator and its item, generated once per process: reasoning-gym does not
    keep items, and some take seconds (knight_swap searches for its puzzle's solution)."""
    dataset = scoring_dataset(problem)
    key = (dataset_key(problem), int(problem.meta["rg_index"]))
    entry = _SCORING_ENTRIES.get(key)
    if entry is None:
        entry = dataset[key[1]]
        if len(_SCORING_ENTRIES) >= SCORING_ENTRIES_KEPT:
            _SCORING_ENTRIES.pop(next(iter(_SCORING_ENTRIES)))
        _SCORING_ENTRIES[key] = entry
    return dataset, entry


def score_with_gym(answer: str, problem: Problem) -> float:
    """reasoning-gym's score of an extracted answer to `problem`.

    The item is generated again from the problem's meta: its metadata, which `score_answer`
    reads, does not survive a JSON round trip intact (tuples come back as lists). A generator
    whose items depend on the interpreter's hash seed (sympy's term order in
    polynomial_multiplication) rebuilds another item in another process; then the problem as
    stored is scored, its metadata as read back. Tasks whose scorer accepts wrong answers are
    scored by reasonloop's own (`reasonloop.tasks.gym_scorers.OWN_SCORERS`).
    """
    meta = problem.meta
    own = OWN_SCORERS.get(str(meta.get("rg_task")))
    if own is not None:
        return own(answer, problem)
    dataset, entry = scoring_entry(problem)
    if (entry["question"], str(entry["answer"])) != (problem.question, problem.gold):
        entry = {"question": problem.question, "answer": problem.gold, "metadata": dict(meta)}
    return float(dataset.score_answer(answer, entry))
