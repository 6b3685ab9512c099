"""Bad arguments and inputs fail in a second or two, before torch, transformers or TRL load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs one command in a fresh interpreter and says which heavy modules it imported.
SCRIPT = """
import sys
from reasonloop.cli.main import main
code = main(sys.argv[1:])
heavy = [name for name in ("torch", "transformers", "trl") if name in sys.modules]
print("heavy modules:", heavy, file=sys.stderr)
sys.exit(code)
"""
TASK = ["--task", "arithmetic", "--limit", "2", "-k", "1"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sample", "--model", "./no/such/dir", *TASK], "model directory './no/such/dir' does not"),
        (["sample", "--model", "defualt", *TASK], "did you mean 'default'?"),
        (["eval", "--model", "defualt", *TASK[:4]], "did you mean 'default'?"),
        (["train", "sft", "--model", "defualt", "--data", "EMPTY"], "did you mean 'default'?"),
        (["demo", "--set", "model=defualt"], "did you mean 'default'?"),
        (["train", "sft", "--model", "default", "--data", "EMPTY"], "sft dataset is empty"),
    ],
)
def test_a_bad_input_fails_before_anything_heavy_loads(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    (tmp_path / "empty.jsonl").write_text("")
    argv = [str(tmp_path / "empty.jsonl") if arg == "EMPTY" else arg for arg in argv]
    env = {**os.environ, "HF_HUB_CACHE": str(tmp_path / "hub")}
    env.pop("REASONLOOP_DEFAULT_MODEL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *argv, "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "heavy modules: []" in done.stderr
