"""Every `reasonloop` command of the README, in order, through the real CLI entry point.

Two passes, both offline and fast:

- **as written**, with the embedded default model stood in for by the tiny local model through
  the model resolver's own hook (`$REASONLOOP_DEFAULT_MODEL`): every command that any model can
  serve, including `profile --resample-budget` on the run `sample --model default` made;
- **on the fake backend**: the same sequence with the sampling commands pointed at
  `fake:arithmetic` (it answers correctly often enough for every dataset kind to be
  non-empty) and the loop shrunk, so `build`, `train`, `run` and `report` work on real data.

The README's commands are read from README.md itself, so a changed command fails here until
this test runs it.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reasonloop.backends.source import DEFAULT_MODEL_ENV
from reasonloop.cli.main import main
from reasonloop.sample.store import RunStore

pytest.importorskip("trl")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# The loop, shrunk to seconds on the fake backend (n_train problems, two short trainings).
FAKE_LOOP = [
    "--set", "backend.name=fake", "--set", "backend.model=arithmetic",
    "--set", "n_train=12", "--set", "n_test=6", "--set", "eval.k=2",
    "--set", "train.options.max_steps=2", "--no-progress",
]  # fmt: skip


# README commands whose inputs no earlier README command makes (a target set `val.jsonl`, a
# served instructor, a judge model, GSM8K) and what they write: their own tests run them
# (tests/curate/select, tests/curate/synthesize, tests/verify/judge).
NOT_CHAINED = {"select", "synthesize", "audit-verifier"}


def chained(argv: list[str]) -> bool:
    if argv[1] in NOT_CHAINED or "--judge" in argv:
        return False
    return not any(a.startswith("synth/") for a in argv)


def readme_commands() -> list[list[str]]:
    """The `reasonloop ...` commands of the README's bash blocks, split like a shell would."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    text = "\n".join(blocks).replace("\\\n", " ")  # join continued lines
    commands = [
        shlex.split(line, comments=True)
        for line in text.splitlines()
        if line.startswith("reasonloop ")
    ]
    return [argv for argv in commands if chained(argv)]


def on_fake_backend(argv: list[str]) -> list[str]:
    """`argv` with its sampling pointed at the fake backend (other commands unchanged)."""
    command = argv[1]
    if command in ("sample", "eval"):
        return [*argv[:1], *(("fake:arithmetic" if a == "default" else a) for a in argv[1:])]
    if command == "run":
        return [*argv, *FAKE_LOOP]
    return argv


def run_commands(commands: list[list[str]], rewrite: Callable[[list[str]], list[str]]) -> None:
    """Run each command (after `rewrite`) through the CLI's entry point; each must succeed."""
    for argv in commands:
        code = main(rewrite(argv)[1:])
        assert code == 0, f"`{shlex.join(argv)}` exited with {code}"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_dir: str) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DEFAULT_MODEL_ENV, tiny_model_dir)
    return tmp_path


def test_the_readme_lists_the_commands_this_test_runs() -> None:
    names = [argv[1] for argv in readme_commands()]
    assert names == [
        "verify", "verify",
        "sample", "profile", "profile", "eval", "export",
        "build", "build", "build", "build", "rationalize", "build", "train",
        "run",
    ]  # fmt: skip


def test_readme_commands_as_written_with_a_stand_in_default_model(workdir: Path) -> None:
    # Only what needs no correct answers: a random tiny model gets every problem wrong.
    wanted = {"verify", "sample", "profile", "eval", "export", "rationalize"}
    commands = [argv for argv in readme_commands() if argv[1] in wanted]
    run_commands(commands, lambda argv: argv)
    with RunStore.open_existing(workdir / "runs" / "arith") as store:
        assert store.fingerprint is not None
        assert store.fingerprint.sampler.backend == "default"
        rounds = [s.round for s in store.samples()]
    # `profile --resample-budget 24` reopened the default model and drew round 1.
    assert rounds.count(0) == 12 * 4 and rounds.count(1) == 24
    # `rationalize` reopened it too: 4 hinted samples for each problem it never solved.
    with RunStore.open_existing(workdir / "runs" / "arith" / "rationales") as store:
        assert store.fingerprint is not None and store.fingerprint.kind == "rationale"
        assert store.count() % 4 == 0 and store.count() > 0
    assert (workdir / "samples.parquet").is_file() and (workdir / "graded.jsonl").is_file()


def test_readme_commands_in_sequence_on_the_fake_backend(workdir: Path) -> None:
    commands = readme_commands()
    run_commands(commands, on_fake_backend)
    for name in (
        "sft.jsonl",
        "dpo.jsonl",
        "grpo.jsonl",
        "verl.parquet",
        "star.jsonl",
        "models/sft1",
    ):
        assert (workdir / name).exists(), name
    summary = json.loads((workdir / "runs" / "loop1" / "summary.json").read_text())
    assert summary["iterations"] == 2 and summary["n_test"] == 6
    # The README's prose command: re-render the loop's report.
    assert main(["report", "runs/loop1"]) == 0
    assert (workdir / "runs" / "loop1" / "report.html").is_file()
