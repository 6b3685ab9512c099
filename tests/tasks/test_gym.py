"""reasoning-gym as a task source: specs, mixtures, errors, ids and metadata, determinism."""

from __future__ import annotations

import os
import sys
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.loop.config import load_config
from reasonloop.tasks import load_problems
from reasonloop.tasks.gym import (
    EXTRA_HINT,
    GymComponent,
    GymSpec,
    difficulty_level_of,
    format_gym_spec,
    generate_gym_problems,
    grader_for,
    parse_gym_spec,
    spec_from_mapping,
)

pytest.importorskip("reasoning_gym")


def test_one_task_with_options_and_seed() -> None:
    spec = parse_gym_spec("rg:chain_sum?min_terms=2&max_terms=3&seed=4")
    assert spec.components == (GymComponent("chain_sum", {"min_terms": 2, "max_terms": 3}),)
    assert spec.seed == 4 and spec.grader is None and not spec.is_mixture


def test_a_plus_in_a_value_stays_a_plus() -> None:
    # parse_qsl would read '+' as a space; '+' is an operator here
    spec = parse_gym_spec('rg:basic_arithmetic?operators=["+","*"]')
    assert spec.components[0].options == {"operators": ["+", "*"]}
    (problem,) = generate_gym_problems(spec, 1)
    assert "/" not in problem.meta["expression"]


def test_mixture_weights_and_per_task_options() -> None:
    spec = parse_gym_spec("rg:mix?chain_sum=2&gcd=1&chain_sum.max_terms=3&seed=1")
    assert spec.components == (
        GymComponent("chain_sum", {"max_terms": 3}, 2.0),
        GymComponent("gcd", {}, 1.0),
    )
    problems = generate_gym_problems(spec, 30)
    counts = {
        name: sum(p.meta["rg_task"] == name for p in problems) for name in ("chain_sum", "gcd")
    }
    assert counts["chain_sum"] > counts["gcd"] > 0
    assert len({p.id for p in problems}) == 30


@pytest.mark.parametrize(
    "spec",
    [
        "rg:chain_sum",
        "rg:chain_sum?max_terms=3&seed=2",
        "rg:mix?chain_sum=2&chain_sum.max_terms=3&gcd=1&seed=2",
        "rg:gcd?grader=reasoning_gym",
    ],
)
def test_format_reads_back(spec: str) -> None:
    assert format_gym_spec(parse_gym_spec(spec)) == spec


def test_same_spec_and_seed_give_the_same_problems_prefix_stable() -> None:
    spec = "rg:mix?leg_counting=1&word_sorting=1&seed=3"
    ten = generate_gym_problems(spec, 10)
    twenty = generate_gym_problems(spec, 20)
    assert [p.to_dict() for p in ten] == [p.to_dict() for p in twenty[:10]]
    other_seed = generate_gym_problems("rg:mix?leg_counting=1&word_sorting=1&seed=4", 10)
    assert not {p.question for p in ten} & {p.question for p in other_seed}


def test_seed_0_is_reasoning_gyms_own_seed_0() -> None:
    import reasoning_gym

    ours = generate_gym_problems("rg:gcd", 3)
    theirs = reasoning_gym.create_dataset("gcd", seed=0, size=3)
    assert [(p.question, p.gold) for p in ours] == [(e["question"], e["answer"]) for e in theirs]


def test_every_problem_keeps_id_metadata_seed_and_grader() -> None:
    (problem,) = generate_gym_problems("rg:chain_sum?max_terms=3&seed=2", 1)
    assert problem.id.startswith("rg-chain_sum-") and problem.id.endswith("-s2-00000")
    meta = problem.meta
    assert meta["source_dataset"] == "chain_sum"  # the generator's own metadata
    assert meta["difficulty"]["num_terms"] == [2, 3]  # JSON data: tuples became lists
    assert meta["task"] == "rg:chain_sum?max_terms=3&seed=2"
    assert (meta["seed"], meta["rg_index"], meta["grader"]) == (2, 0, "verify")
    assert meta["difficulty_level"] in range(1, 6)
    assert problem.source == "chain_sum"


def test_load_problems_takes_rg_specs_and_limit() -> None:
    problems = load_problems("rg:leg_counting", limit=5)
    assert [p.meta["rg_index"] for p in problems] == [0, 1, 2, 3, 4]
    with pytest.raises(ConfigError, match="cannot be used with the built-in task"):
        load_problems("rg:leg_counting", limit=2, split="train")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("rg:chain_summ", r"unknown reasoning-gym task 'chain_summ'; did you mean chain_sum"),
        ("rg:chain_sum?max_term=3", r"unknown option\(s\) max_term .* valid options .*max_terms=6"),
        ("rg:chain_sum?max_terms=1&min_terms=2", r"rejects options .*valid options"),
        ("rg:chain_sum?seed=x", "seed must be an integer"),
        ("rg:chain_sum?grader=judge", "grader must be one of verify, reasoning_gym"),
        ("rg:chain_sum?max_terms", "expected key=value"),
        ("rg:mix", "a mixture needs NAME=WEIGHT"),
        ("rg:mix?gcd=-1", "weight of 'gcd' must be > 0"),
        ("rg:mix?gcd=1&lcm.max_value=9", "add lcm=WEIGHT"),
    ],
)
def test_spec_errors_name_the_fix(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_gym_spec(spec)


def test_missing_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "reasoning_gym", None)  # import now raises ImportError
    with pytest.raises(ConfigError) as caught:
        load_problems("rg:chain_sum", limit=2)
    assert str(caught.value) == EXTRA_HINT and "reasonloop[gym]" in EXTRA_HINT


def test_grader_is_chosen_per_task_and_can_be_overridden() -> None:
    assert grader_for("gcd") == "verify"
    assert grader_for("word_sorting") == "reasoning_gym"
    assert grader_for("gcd", "reasoning_gym") == "reasoning_gym"
    (problem,) = generate_gym_problems("rg:gcd?grader=reasoning_gym", 1)
    assert problem.meta["grader"] == "reasoning_gym"


@pytest.mark.parametrize(
    ("mapping", "spec"),
    [
        ({"reasoning_gym": "chain_sum", "options": {"max_terms": 3}}, "rg:chain_sum?max_terms=3"),
        ({"reasoning_gym": "gcd", "seed": 5}, "rg:gcd?seed=5"),
        (
            {"reasoning_gym": [{"name": "chain_sum", "weight": 2}, "gcd"]},
            "rg:mix?chain_sum=2&gcd=1",
        ),
        (
            {"reasoning_gym": [{"name": "gcd", "options": {"max_value": 50}}, "lcm"]},
            "rg:mix?gcd=1&gcd.max_value=50&lcm=1",
        ),
    ],
)
def test_yaml_task_mapping_becomes_the_spec(mapping: dict[str, Any], spec: str) -> None:
    assert spec_from_mapping(mapping) == spec
    assert load_config(None, {"task": mapping}).task == spec


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"reasoning_gym": "gcd", "option": {}}, "unknown key.*option"),
        ({"name": "gcd"}, "no reasoning_gym key"),
        ({"reasoning_gym": [{"task": "gcd"}]}, "a mixture entry is a name or"),
        ({"reasoning_gym": "gcd", "options": {"nope": 1}}, "valid options"),
    ],
)
def test_yaml_task_mapping_errors(mapping: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(None, {"task": mapping})


def test_difficulty_level_places_parameters_in_their_ranges() -> None:
    ranges = {"num_terms": [2, 6], "num_digits": [1, 4]}
    assert difficulty_level_of({"num_terms": 2, "num_digits": 1, "difficulty": ranges}) == 1
    assert difficulty_level_of({"num_terms": 6, "num_digits": 4, "difficulty": ranges}) == 5
    assert difficulty_level_of({"num_terms": 2, "difficulty": {"num_terms": [2, 2]}}) is None
    assert difficulty_level_of({"difficulty": "hard"}) is None
    problems = generate_gym_problems("rg:chain_sum", 40)
    assert len({p.meta["difficulty_level"] for p in problems}) >= 3


def test_spec_round_trip_of_a_built_spec() -> None:
    spec = GymSpec((GymComponent("gcd", {"max_value": 50}),), seed=1)
    assert parse_gym_spec(format_gym_spec(spec)) == spec


def test_hash_seeded_generators_give_the_same_problems_in_every_process() -> None:
    import subprocess

    code = (
        "from reasonloop.tasks.gym import generate_gym_problems; "
        "print([p.gold for p in generate_gym_problems('rg:polynomial_multiplication', 3)])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_a_generator_with_fewer_distinct_questions() -> None:
    # tower_of_hanoi's defaults give 90 distinct questions: strict generation says so, a
    # source gives the 90 (like a short file), the same first ones as when fewer are asked
    with pytest.raises(ConfigError, match="found only 90 distinct ones, 120 were asked for"):
        generate_gym_problems("rg:tower_of_hanoi", 120)
    problems = load_problems("rg:tower_of_hanoi", limit=120)
    assert len(problems) == 90
    assert [p.id for p in problems[:5]] == [
        p.id for p in generate_gym_problems("rg:tower_of_hanoi", 5)
    ]
