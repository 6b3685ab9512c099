"""benchmarks/learning_bench.py: one tiny cell per method family runs through the loop (the
fake oracle samples, TRL trains a tiny local model), and the finished cells assemble into
the table and the plot, so the harness cannot rot between benchmark runs."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest

from reasonloop.files import read_json
from reasonloop.loop import apply_overrides
from reasonloop.loop.config import LoopConfig
from reasonloop.tasks.gym import generate_gym_problems

pytest.importorskip("reasoning_gym")
pytest.importorskip("trl")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module("learning_bench")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_every_method_is_a_valid_loop_config_at_the_planned_budget(bench: ModuleType) -> None:
    from learning.methods import METHODS, Budget

    budget = Budget()
    for method in METHODS.values():
        overrides = {**budget.shared_overrides(), **method.overrides(budget)}
        config = apply_overrides(LoopConfig(), overrides)
        assert config.iterations == 1 and config.train.options["max_steps"] == budget.steps
    # equal sampling compute as planned: plain samples + the method's own ~ k per problem
    plain = budget.k * budget.n_train
    dast = METHODS["dast-p"].overrides(budget)
    assert dast["sampling.k"] * budget.n_train + dast["resample.budget"] * 2 == plain
    assert METHODS["star"].overrides(budget)["sampling.k"] == budget.k - 2
    bstar = METHODS["b-star"].overrides(budget)
    sweep = bstar["bstar.dev_size"] * bstar["bstar.k"] * len(bstar["bstar.temperatures"])
    assert plain - budget.n_train < bstar["sampling.k"] * budget.n_train + sweep <= plain


def test_tiny_cells_assemble_into_the_table(bench: ModuleType, tmp_path: Path) -> None:
    from learning.cell import run_cell
    from learning.methods import METHODS, Budget, Method
    from learning.table import write_table
    from learning.tasks import find_task
    from tiny_model import build_tiny_model

    task = find_task("rg:gcd?max_value=100")
    problems = generate_gym_problems(task.train_spec(0), 6) + generate_gym_problems(
        task.test_spec(), 6
    )
    backend = {
        "name": "fake",
        "model": "oracle",
        "options": {"answers": {p.question: p.gold for p in problems}, "accuracy": 0.5},
    }
    budget = Budget(n_train=6, n_test=6, k=3, max_new_tokens=32, steps=1)
    model = build_tiny_model(tmp_path / "tiny")
    for name in ("rft", "star"):
        run_cell(
            task, METHODS[name], budget, 0, tmp_path, model=model, backend=backend, progress=False
        )
    star = read_json(tmp_path / "cells" / "rg_gcd_max_value_100--star--s0.json")
    assert len(star["final"]) == len(star["base"]) == 6
    assert star["tokens"]["tokens"] == star["tokens"]["samples tokens"] + star["tokens"].get(
        "rationales tokens", 0
    )
    assert star["tokens"]["tokens"] > 0 and star["rows_trained"] > 0
    unready = Method("later", "a method still to come", dict, missing="not yet available: ...")
    with pytest.raises(SystemExit, match="not yet available"):
        run_cell(task, unready, budget, 0, tmp_path, model=model, backend=backend)

    table, plots = write_table(tmp_path)
    lines = table.splitlines()
    rows = {line.split(" | ")[1]: line for line in lines[2:]}
    assert set(rows) == {"base", "rft", "star"}
    assert "n=6" in rows["base"]
    star_cells = rows["star"].split(" | ")
    assert 0.0 <= float(star_cells[5]) <= 1.0  # McNemar p against RFT
    assert star_cells[6].endswith(")")  # tokens (x RFT)
    svg = plots[0].read_text()
    assert svg.startswith("<svg") and svg.count("<circle") == 3  # base, rft, star
    page = plots[-1].read_text()
    assert plots[-1].name == "learning.html" and svg in page and "<td>star</td>" in page
