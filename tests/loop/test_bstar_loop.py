"""B-STaR in the loop (`sampling.temperature: auto`) on the fake backend and a tiny model:
each iteration writes iter-N/bstar/balance.json, samples at the chosen temperature (in the
sample stage's fingerprint), and the stage resumes and reruns like every ledger stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.loop import load_config, run_loop
from reasonloop.loop.ledger import Ledger
from reasonloop.loop.records import BStarRecord
from reasonloop.sample.store import read_fingerprint

pytest.importorskip("trl")


def bstar_config(model: str, **overrides: Any) -> Any:
    base: dict[str, Any] = {
        "model": model,
        "n_train": 8,
        "n_test": 4,
        "iterations": 2,
        "backend.name": "fake",
        "backend.model": "arithmetic",
        "backend.options": {"accuracy": 0.5},
        "sampling.k": 2,
        "sampling.rationalize": 0,
        "sampling.max_new_tokens": 32,
        "sampling.temperature": "auto",
        "bstar.temperatures": [0.6, 1.0],
        "bstar.dev_size": 4,
        "bstar.k": 3,
        "bstar.n_star": 2,
        "train.options": {"max_steps": 1, "batch_size": 4},
        "eval.max_new_tokens": 32,
    }
    return load_config(None, {**base, **overrides})


def test_each_iteration_chooses_then_samples_at_its_choice(
    tiny_model_dir: str, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    lines: list[str] = []
    run_loop(bstar_config(tiny_model_dir), run_dir, progress=False, notify=lines.append)
    ledger = Ledger.open(run_dir)
    for iteration in (1, 2):
        it_dir = run_dir / f"iter-{iteration}"
        balance = json.loads((it_dir / "bstar" / "balance.json").read_text())
        assert (balance["n_star"], balance["dev_problems"]) == (2, 4)
        assert {p["temperature"] for p in balance["grid"]} == {0.6, 1.0}
        chosen = balance["chosen"]
        best = max(p["balance"] for p in balance["grid"])
        assert any(
            (p["temperature"], p["tau"], p["balance"])
            == (chosen["temperature"], chosen["tau"], best)
            for p in balance["grid"]
        )
        record = ledger.read(f"iter-{iteration}/bstar", BStarRecord)
        assert (record.temperature, record.tau) == (chosen["temperature"], chosen["tau"])
        fingerprint = read_fingerprint(it_dir / "samples")
        assert fingerprint is not None and fingerprint.temperature == chosen["temperature"]
        for temperature in (0.6, 1.0):  # each dev temperature in its own store
            dev = read_fingerprint(it_dir / "bstar" / f"t{temperature:.2f}")
            assert dev is not None and dev.temperature == temperature
    assert any(line.startswith("[iter-1/bstar]") and "T* =" in line for line in lines)
    report = json.loads((run_dir / "report_data.json").read_text())["bstar"]
    assert [row["iteration"] for row in report] == [1, 2]
    assert report[0]["temperatures"] == [0.6, 1.0] and len(report[0]["pass_at_k"]) == 2
    assert 'id="rl-bstar"' in (run_dir / "report.html").read_text()

    lines.clear()  # the same config again: every stage, B-STaR's included, is reused
    run_loop(bstar_config(tiny_model_dir), run_dir, progress=False, notify=lines.append)
    assert "[iter-1/bstar] done already, skipped" in lines
    assert "[iter-2/bstar] done already, skipped" in lines

    lines.clear()  # another n*: the choice is made again; a same temperature keeps the samples
    changed = bstar_config(tiny_model_dir, **{"bstar.n_star": 1})
    run_loop(changed, run_dir, force=True, progress=False, notify=lines.append)
    assert "[iter-1/bstar] its inputs changed: redoing it" in lines
    again = json.loads((run_dir / "iter-1" / "bstar" / "balance.json").read_text())
    assert again["n_star"] == 1
    if again["chosen"]["temperature"] == record_of(run_dir, 1).temperature:
        assert "[iter-1/sample] done already, skipped" in lines


def record_of(run_dir: Path, iteration: int) -> BStarRecord:
    return Ledger.open(run_dir).read(f"iter-{iteration}/bstar", BStarRecord)


def test_a_fixed_temperature_runs_no_bstar_stage(tiny_model_dir: str, tmp_path: Path) -> None:
    config = bstar_config(tiny_model_dir, iterations=1, **{"sampling.temperature": 0.7})
    run_loop(config, tmp_path / "run", progress=False)
    assert not (tmp_path / "run" / "iter-1" / "bstar").exists()
    fingerprint = read_fingerprint(tmp_path / "run" / "iter-1" / "samples")
    assert fingerprint is not None and fingerprint.temperature == 0.7
    # The default section is not written: run directories made before B-STaR resume.
    assert "bstar" not in load_config(None, {}).to_dict()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sampling.temperature": "hot"}, "sampling.temperature"),
        ({"bstar.temperatures": []}, "bstar.temperatures"),
        ({"bstar.temperatures": [0.5, 0]}, "bstar.temperatures"),
        ({"bstar.n_star": 0}, "bstar.n_star must be at least 1"),
        ({"bstar.dev_size": 0}, "bstar.dev_size must be at least 1"),
        ({"bstar.grid": [0.5]}, "unknown key"),
        ({"bstar.prm": "/no/such/prm"}, "bstar.prm must be a process reward model directory"),
    ],
)
def test_bad_bstar_settings_name_the_key(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(None, overrides)
