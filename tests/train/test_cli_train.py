"""`reasonloop train` end to end on the tiny model, and the errors a user can hit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.dataset import write_dataset

ROWS = [
    {
        "prompt": [{"role": "user", "content": f"What is {a} + 1?"}],
        "completion": [{"role": "assistant", "content": f"The answer is {a + 1}."}],
    }
    for a in range(4)
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_dataset(ROWS, tmp_path / "sft.parquet")


def test_train_sft_from_the_command_line(
    tiny_base: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "train.yaml"
    config.write_text("learning_rate: 0.01\nbatch_size: 2\nmax_steps: 5\n", encoding="utf-8")
    out = tmp_path / "model"
    argv = ["train", "sft", "--model", tiny_base, "--data", str(data), "--out", str(out)]
    assert main([*argv, "--config", str(config), "--max-steps", "2", "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"trained sft on 4 rows: 2 steps in [\d.]+s, loss [\d.]+ -> [\d.]+", printed)
    assert (out / "config.json").is_file() and (out / "model.safetensors").is_file()


def test_training_shows_one_labelled_bar_with_the_loss(
    tiny_base: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["train", "sft", "--model", tiny_base, "--data", str(data), "--out", str(tmp_path)]
    assert main([*argv, "--max-steps", "3", "--batch-size", "2"]) == 0
    printed = capsys.readouterr()
    # tqdm redraws on stderr: the bar's last state says what trains, how far, the loss.
    states = [s for s in re.split(r"[\r\n]", printed.err) if s.startswith("train sft:")]
    assert re.search(r"100%.* 3/3 \[.*<.*, loss [\d.]+\]$", states[-1]), printed.err
    assert "{'loss'" not in printed.out + printed.err  # no log dict printed per step


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--model", "./missing-model"], "model directory './missing-model' does not exist"),
        (["--data", "{tmp}/missing.jsonl"], "missing.jsonl does not exist"),
        (["--data", "{tmp}/bad.jsonl"], "sft row 0 has no completion"),
        (["--data", "{tmp}/empty.jsonl"], "sft dataset is empty"),
        (["--beta", "0.5"], "--beta does not apply to sft"),
        (["--batch-size", "0"], "batch_size must be at least 1"),
        (["--config", "{tmp}/unknown.yaml"], "unknown sft training option.*: warmup_ratio"),
        (["--config", "{tmp}/nothing.yaml"], "does not exist"),
    ],
)
def test_train_errors_name_the_problem(
    tiny_base: str,
    data: Path,
    tmp_path: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "bad.jsonl").write_text('{"prompt": [{"role": "user", "content": "q"}]}\n')
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "unknown.yaml").write_text("warmup_ratio: 0.1\n")
    base = {"--model": tiny_base, "--data": str(data), "--out": str(tmp_path / "out")}
    given = dict(zip(argv[::2], (a.format(tmp=tmp_path) for a in argv[1::2]), strict=True))
    options = [part for pair in {**base, **given}.items() for part in pair]
    assert main(["train", "sft", *options, "--no-progress"]) == 2
    assert re.search(message, capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("kind", "flags", "field", "value"),
    [
        ("dpo", ["--beta", "0.3"], "beta", 0.3),
        ("grpo", ["--num-generations", "2", "--batch-size", "4"], "num_generations", 2),
        ("sft", ["--lora", "--lora-rank", "8"], "lora_rank", 8),
        ("sft", ["--epochs", "3"], "epochs", 3.0),
    ],
)
def test_flags_reach_the_config(kind: str, flags: list[str], field: str, value: object) -> None:
    from reasonloop.cli.main import build_parser
    from reasonloop.cli.train import config_from_args

    args = build_parser().parse_args(
        ["train", kind, "--model", "m", "--data", "d.jsonl", "--out", "o", *flags]
    )
    assert getattr(config_from_args(args), field) == value
