"""The loop's `select` option on a tiny model: the built SFT rows are ranked against a
validation split of the training problems, training reads the selected rows only, and
another selection setting retrains."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.files import read_jsonl
from reasonloop.loop import load_config, run_loop

pytest.importorskip("trl")
pytest.importorskip("sklearn")


def config(model: str, **select: Any) -> Any:
    return load_config(
        None,
        {
            "model": model,
            "n_train": 12,
            "n_test": 4,
            "iterations": 1,
            "backend.name": "fake",
            "backend.model": "arithmetic",
            "sampling.k": 2,
            "sampling.rationalize": 0,
            "sampling.max_new_tokens": 32,
            "train.options": {"max_steps": 2, "batch_size": 2},
            "eval.max_new_tokens": 32,
            "select": {"val_problems": 2, "dim": 64, **select},
        },
    )


@pytest.mark.slow  # a loop with warm-up training
def test_the_loop_trains_on_the_selected_rows_only(tmp_path: Path) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    run_dir = tmp_path / "run"
    run_loop(
        config(model, method="clusterucb", clusters=2, budget=0.6, top=0.3), run_dir, progress=False
    )
    it_dir = run_dir / "iter-1"
    built = read_jsonl(it_dir / "train_rows.jsonl")
    selected = read_jsonl(it_dir / "select" / "selected_rows.jsonl")
    summary = json.loads((it_dir / "select" / "selected_rows.summary.json").read_text())
    validation = {row["problem_id"] for row in built} - {
        row["problem_id"] for row in read_jsonl(it_dir / "select" / "selected_rows.drawn.jsonl")
    }
    assert summary["method"] == "clusterucb"
    assert len(selected) == round(0.3 * summary["pool_size"]) < len(built)
    assert summary["pool_size"] < len(built)  # the validation problems' rows left the pool
    assert all(
        {k: v for k, v in row.items() if k not in ("influence", "cluster")} in built
        for row in selected
    )
    assert validation and not validation & {row["problem_id"] for row in selected}
    trained = json.loads((it_dir / "model" / "reasonloop_train.json").read_text())
    assert trained["rows"] == len(selected)

    # Another selection setting changes what training reads: the model is trained again.
    messages: list[str] = []
    again = config(model, method="clusterucb", clusters=2, budget=0.6, top=0.15)
    run_loop(again, run_dir, force=True, progress=False, notify=messages.append)
    assert "[iter-1/build] done already, skipped" in messages
    for stage in ("iter-1/select", "iter-1/train"):
        assert f"[{stage}] its inputs changed: redoing it" in messages
    trained = json.loads((it_dir / "model" / "reasonloop_train.json").read_text())
    assert trained["rows"] == len(read_jsonl(it_dir / "select" / "selected_rows.jsonl"))


def test_a_run_with_few_solved_problems_selects_against_half_of_them(tmp_path: Path) -> None:
    from tiny_model import build_tiny_model

    model = build_tiny_model(tmp_path / "tiny")
    messages: list[str] = []
    wanted = config(model, method="random", top=0.5, val_problems=50)
    run_loop(wanted, tmp_path / "run", progress=False, notify=messages.append)
    built = read_jsonl(tmp_path / "run" / "iter-1" / "train_rows.jsonl")
    solved = len({row["problem_id"] for row in built})
    assert 2 <= solved < 50
    said = [m for m in messages if "too few solved problems" in m]
    assert said == [
        "[iter-1/select] too few solved problems for select.val_problems=50: the target is "
        f"{solved // 2} problems' rows"
    ]
    selected = read_jsonl(tmp_path / "run" / "iter-1" / "select" / "selected_rows.jsonl")
    assert 0 < len(selected) < len(built)


@pytest.mark.parametrize(
    ("select", "message"),
    [
        ({"method": "best"}, "select.method must be one of"),
        ({"method": "less", "top": 0.0}, "select.top must be in"),
        ({"method": "less", "val_problems": 0}, "select.val_problems"),
        ({"method": "less", "checkpoints": 0}, "select.checkpoints must be at least 1, got 0"),
        ({"method": "clusterucb", "checkpoints": -2}, "select.checkpoints must be at least 1"),
    ],
)
def test_bad_selection_settings_are_named(select: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config("default", **select)


def test_selection_needs_sft() -> None:
    with pytest.raises(ConfigError, match="select needs train.method sft"):
        load_config(None, {"train.method": "dpo", "select.method": "less"})


def test_one_checkpoint_keeps_the_identity_of_runs_made_before_checkpoints() -> None:
    # A select section as run directories made before `checkpoints` existed recorded it.
    before = {
        "method": "less", "budget": 0.2, "top": 0.05, "clusters": None, "val_problems": 2,
        "dim": 64, "max_length": 128,
    }  # fmt: skip
    assert config("default", method="less").to_dict()["select"] == before
    assert config("default", method="less", checkpoints=2).to_dict()["select"] == {
        **before,
        "checkpoints": 2,
    }


@pytest.mark.slow  # ~2 min: warm-up training twice
def test_the_select_stage_sums_influence_over_the_warm_up_checkpoints(tmp_path: Path) -> None:
    from reasonloop.files import write_jsonl
    from reasonloop.loop.stages import select_rows
    from tiny_model import build_tiny_model

    rows = [
        {
            "prompt": [{"role": "user", "content": f"What is {i} + {i % 7}?"}],
            "completion": [{"role": "assistant", "content": f"The answer is {i + i % 7}."}],
            "problem_id": f"p{i // 2}",
        }
        for i in range(104)
    ]
    write_jsonl(tmp_path / "rows.jsonl", rows)
    model = build_tiny_model(tmp_path / "tiny")
    chosen = config(model, method="less", checkpoints=2)
    done = select_rows(model, tmp_path / "rows.jsonl", chosen, tmp_path / "select", progress=False)
    assert done.pool == 100 and done.gradients == 2 * 100  # two per row
    (warm,) = (tmp_path / "select" / "cache").glob("warmup-*")
    assert sorted(p.name for p in warm.glob("checkpoint-*")) == ["checkpoint-1", "checkpoint-2"]
