"""benchmarks/bstar_bench.py on the fake backend and a tiny model: both arms run, every
iteration is measured, the fixed arm draws about the samples B-STaR spends on its sweep,
and the table prints, so the harness cannot rot between benchmark runs."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_both_arms_run_and_print(
    tiny_model_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        bench = importlib.import_module("bstar_bench")
    finally:
        sys.path.remove(str(BENCHMARKS))
    fake = {
        "backend.name": "fake",
        "backend.model": "arithmetic",
        "backend.options": {"accuracy": 0.5},
        "sampling.rationalize": 0,
        "sampling.max_new_tokens": 32,
        "eval.max_new_tokens": 32,
        "train.options": {"max_steps": 1, "batch_size": 4},
    }
    argv = ["--out", str(tmp_path), "--model", tiny_model_dir, "--n-train", "6", "--n-test", "4"]
    argv += ["--iterations", "2", "--k", "2", "--temperatures", "0.6", "1.0", "--dev-size", "3"]
    argv += ["--dev-k", "2", "--n-star", "1", "--eval-k", "2", "--quiet", "--set", json.dumps(fake)]
    results = bench.main(argv)
    for arm in ("fixed", "bstar"):
        rows = results[arm][0]
        assert [r.iteration for r in rows] == [0, 1, 2]
        assert all(0 <= r.pass_at_k.value <= 1 and r.pass_at_k.n == 4 for r in rows)
    assert [r.temperature for r in results["fixed"][0]] == [None, 0.8, 0.8]
    assert all(r.temperature in (0.6, 1.0) and r.tau is not None for r in results["bstar"][0][1:])
    # the same budget: fixed draws k + 2 x 3 x 2 / 6 = 4 per problem, B-STaR 2 + its sweep
    assert results["fixed"][2] == results["bstar"][2] == 2 * 6 * 4
    out = capsys.readouterr().out
    assert "B-STaR / fixed, final greedy accuracy" in out and "pass@k decay" in out
