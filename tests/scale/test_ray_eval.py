"""`reasonloop eval --executor ray`: sampled on Ray actors, the local executor's report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reasonloop.cli.main import main

pytestmark = pytest.mark.ray


def evaluate(tmp_path: Path, name: str, extra: list[str]) -> dict[str, Any]:
    out = tmp_path / f"{name}.json"
    args = ["eval", "--model", "fake:arithmetic", "--task", "arithmetic:digits=2", "--limit", "10"]
    args += ["-k", "4", "--temperature", "0.8", "--ks", "1,2,4", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / name), "--json", str(out), *extra]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    report.pop("run_dir")
    return report


def test_ray_eval_reports_what_the_local_eval_reports(
    ray_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = evaluate(tmp_path, "local", [])
    on_ray = evaluate(tmp_path, "ray", ["--executor", "ray", "--ray-cpus-per-actor", "0.5"])
    assert on_ray == local
    assert 0.0 < local["accuracy"]["value"] < 1.0 and set(local["pass_at_k"]) == {"1", "2", "4"}
    assert capsys.readouterr().out.count("fake:arithmetic on 10 problems, k=4") == 2
