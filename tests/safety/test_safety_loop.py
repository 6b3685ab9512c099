"""The loop's `safety:` section: off by default, refusal rows of the chosen format when on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from safety_data import LRM_SAFETY, need_shared

from reasonloop.errors import ConfigError
from reasonloop.loop.safety import SafetyStageConfig, safety_rows


def test_off_by_default() -> None:
    assert safety_rows(SafetyStageConfig(), seed=0) == []


def test_rows_of_the_format_from_a_file() -> None:
    config = SafetyStageConfig(
        rows=12, format="template-cot", harmful=str(need_shared(LRM_SAFETY)), archives=False
    )
    rows = safety_rows(config, seed=3)
    assert len(rows) == 12 and rows == safety_rows(config, seed=3)
    assert Counter((r["kind"], r["format"]) for r in rows) == {("refusal", "template-cot"): 12}


@pytest.mark.parametrize(
    ("options", "message"), [({"rows": -1}, "rows"), ({"format": "long"}, "format")]
)
def test_bad_values_name_the_key(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=f"safety.{message}"):
        SafetyStageConfig(**options)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_loop_iteration_trains_on_refusals_beside_its_math(
    tmp_path: Path, tiny_model_dir: str
) -> None:
    pytest.importorskip("trl")
    from reasonloop.files import read_jsonl
    from reasonloop.loop import load_config, run_loop

    overrides = {
        "model": tiny_model_dir,
        "n_train": 6,
        "n_test": 4,
        "iterations": 1,
        "backend.name": "fake",
        "backend.model": "arithmetic",
        "sampling.k": 2,
        "sampling.max_new_tokens": 32,
        "train.options": {"max_steps": 1, "batch_size": 4},
        "eval.max_new_tokens": 32,
        "safety.rows": 5,
        "safety.format": "no-cot",
        "safety.harmful": str(need_shared(LRM_SAFETY)),
        "safety.archives": False,
    }
    run_loop(load_config(None, overrides), tmp_path / "run", progress=False)
    (rows_file,) = (tmp_path / "run").rglob("train_rows.jsonl")
    kinds = Counter(row.get("kind", "math") for row in read_jsonl(rows_file))
    assert kinds["refusal"] == 5 and kinds["math"] > 0
    with pytest.raises(ConfigError, match="safety.rows"):
        load_config(None, {**overrides, "train.method": "dpo"})
