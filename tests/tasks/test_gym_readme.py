"""The README's reasoning-gym commands, read from README.md and run in order through the CLI.

They are left out of the README walk-through that tests/integration replays on the embedded
model (the loop alone takes about 20 minutes there); here each runs as written but for its
model: an oracle fake that knows each task's answers (right half the time), and a tiny local
model for the loop to train, whose loop is shrunk to seconds.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.loop.summary import read_summary
from reasonloop.tasks.gym import generate_gym_problems

pytest.importorskip("reasoning_gym")
pytest.importorskip("trl")

ROOT = Path(__file__).resolve().parents[2]


def gym_commands() -> list[list[str]]:
    """The `reasonloop` commands of the first sh block after "### reasoning-gym tasks"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### reasoning-gym tasks", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the README's reasoning-gym section has no sh block"
    lines = block.group(1).replace("\\\n", " ").splitlines()
    return [shlex.split(line) for line in lines if line.startswith("reasonloop ")]


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def task_of(argv: list[str]) -> str:
    """The task a command names: `--task T`, or a loop's `--set task=T`."""
    if "--task" in argv:
        return option(argv, "--task")
    (value,) = [arg.split("=", 1)[1] for arg in argv if arg.startswith("task=")]
    return value


def oracle_options(task: str) -> list[str]:
    answers = {p.question: p.gold for p in generate_gym_problems(task, 120)}
    return [
        "--backend-option", "answers=" + json.dumps(answers),
        "--backend-option", "accuracy=0.5",
    ]  # fmt: skip


def on_the_oracle(argv: list[str], tiny: str) -> list[str]:
    """`argv` with the oracle for the embedded model; the loop shrunk and training `tiny`."""
    task = task_of(argv)
    if argv[1] in ("eval", "sample"):
        model = argv.index("--model") + 1
        return [*argv[1:model], "fake:oracle", *argv[model + 1 :], *oracle_options(task)]
    assert argv[1] == "run", argv
    answers = {p.question: p.gold for p in generate_gym_problems(task, 120)}
    settings = {
        "model": tiny,
        "n_train": 8,
        "n_test": 6,
        "backend.name": "fake",
        "backend.model": "oracle",
        "backend.options": json.dumps({"answers": answers, "accuracy": 0.5}),
        "sampling.k": 2,
        "sampling.rationalize": 0,
        "train.options": "{max_steps: 1, batch_size: 4, max_length: 1024}",
        "eval.examples": 2,
    }
    sets = [part for key, value in settings.items() for part in ("--set", f"{key}={value}")]
    return [*argv[1:], *sets, "--no-progress"]


def test_the_readme_shows_a_loop_on_a_gym_task() -> None:
    commands = gym_commands()
    assert [argv[1] for argv in commands] == ["eval", "sample", "eval", "run"]
    assert task_of(commands[-1]).startswith("rg:")


def test_the_readme_gym_commands_run_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tiny_model import build_tiny_model

    tiny = build_tiny_model(tmp_path / "tiny")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for argv in gym_commands():
        assert main(on_the_oracle(argv, tiny)) == 0, shlex.join(argv)
    assert json.loads((tmp_path / "leg.json").read_text())
    assert (tmp_path / "runs" / "chain" / "run.json").is_file()
    summary = read_summary(tmp_path / "runs" / "cs1")
    assert summary.graders == {"chain_sum": "verify"}
    assert summary.iterations == 1
