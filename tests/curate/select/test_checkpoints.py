"""Several warm-up checkpoints on a tiny model: what is saved, and influence summed over them
with learning-rate weights, checked against a hand computation at each checkpoint."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("peft")
pytest.importorskip("sklearn")

from reasonloop.cli.main import main  # noqa: E402
from reasonloop.curate.select import (  # noqa: E402
    FeatureConfig,
    LoraShape,
    SelectConfig,
    WarmupConfig,
    select_examples,
)
from reasonloop.curate.select.checkpoint import (  # noqa: E402
    MOMENTS,
    POINTS,
    load_warm,
    model_directory,
    warm_up,
    warmup_identity,
)
from reasonloop.curate.select.features import (  # noqa: E402
    adam_precondition,
    example_gradient,
    make_projector,
)
from reasonloop.curate.select.rows import FieldMap, to_examples  # noqa: E402
from reasonloop.errors import ConfigError  # noqa: E402

FEATURES = FeatureConfig(dim=256, max_length=64, show_progress=False)


def make_rows(size: int, offset: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "prompt": [{"role": "user", "content": f"What is {i} + {i + 3}?"}],
            "completion": [{"role": "assistant", "content": f"The answer is {2 * i + 3}."}],
        }
        for i in range(offset, offset + size)
    ]


def test_two_checkpoints_are_saved_with_adam_moments_and_mean_rates(
    tiny_model_dir: str, tmp_path: Path
) -> None:
    rows = make_rows(16)  # 4 optimizer steps at batch size 4: checkpoints after steps 2 and 4
    shape = LoraShape(rank=4, alpha=8)
    two = warm_up(
        tiny_model_dir, rows, tmp_path / "two", shape, WarmupConfig(checkpoints=2), max_length=64
    )
    one = warm_up(tiny_model_dir, rows, tmp_path / "one", shape, WarmupConfig(), max_length=64)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]  # no scratch left
    points = json.loads((two / POINTS).read_text())["checkpoints"]
    assert [(p["directory"], p["step"]) for p in points] == [
        ("checkpoint-1", 2),
        ("checkpoint-2", 4),
    ]
    # The linear schedule from 2e-4 to 0 over 4 steps: 2, 1.5 | 1, 0.5 (x 1e-4).
    rates = [p["learning_rate"] for p in points]
    assert rates == pytest.approx([1.75e-4, 0.75e-4])
    # One checkpoint keeps the single-adapter layout of caches written before checkpoints.
    assert (one / MOMENTS).is_file() and (one / "adapter_model.safetensors").is_file()
    assert not (one / POINTS).exists() and not (one / "checkpoint-1").exists()
    first = load_warm(tiny_model_dir, two / "checkpoint-1")
    last = load_warm(tiny_model_dir, two / "checkpoint-2")
    alone = load_warm(tiny_model_dir, one)
    assert first.adam is not None and last.adam is not None and alone.adam is not None
    assert not torch.equal(first.adam.exp_avg_sq[0], last.adam.exp_avg_sq[0])
    assert not torch.equal(_weights(first), _weights(last))
    # Saving along the way changes no training step: the last checkpoint is the lone one.
    assert torch.equal(_weights(last), _weights(alone))
    assert all(
        torch.equal(a, b) for a, b in zip(last.adam.exp_avg, alone.adam.exp_avg, strict=True)
    )


@pytest.mark.parametrize("checkpoints", [1, 2])
def test_influence_is_the_rate_weighted_sum_of_cosines_at_each_checkpoint(
    tiny_model_dir: str, tmp_path: Path, checkpoints: int
) -> None:
    pool_rows, target_rows = make_rows(12), make_rows(2, offset=50)
    config = SelectConfig(
        method="less",
        cache_dir=str(tmp_path / "cache"),
        features=FEATURES,
        lora=LoraShape(rank=4, alpha=8),
        warmup=WarmupConfig(share=0.7, checkpoints=checkpoints),  # 8 rows: 2 steps
    )
    selection = select_examples(pool_rows, target_rows, tiny_model_dir, config)
    assert selection.gradients_used == checkpoints * 12 == checkpoints * len(selection.scores)
    assert selection.gradients_computed == checkpoints * (12 + 2)

    model = model_directory(tiny_model_dir, tmp_path / "cache")
    (warm,) = (tmp_path / "cache").glob("warmup-*")
    if checkpoints == 1:
        directories, rates = [warm], [1.0]
    else:
        points = json.loads((warm / POINTS).read_text())["checkpoints"]
        directories = [warm / p["directory"] for p in points]
        rates = [p["learning_rate"] for p in points]
    pool = to_examples(pool_rows, FieldMap(), "pool")
    targets = to_examples(target_rows, FieldMap(), "target")
    expected = [0.0] * len(pool)
    for directory, rate in zip(directories, rates, strict=True):
        checkpoint = load_warm(model, directory)
        assert checkpoint.adam is not None
        project = make_projector(checkpoint, FEATURES).project
        plain = [_unit(project(example_gradient(checkpoint, t, 64))) for t in targets]
        for i, example in enumerate(pool):
            gradient = adam_precondition(example_gradient(checkpoint, example, 64), checkpoint.adam)
            feature = _unit(project(gradient))
            cosine = sum(float(feature @ t) for t in plain) / len(plain)
            expected[i] += rate / sum(rates) * cosine
    assert [selection.scores[i] for i in range(len(pool))] == pytest.approx(expected, abs=1e-5)


def test_one_checkpoint_keeps_the_cache_keys_of_before() -> None:
    # The warm-up key of a selection made before `checkpoints` existed (its config, as asdict
    # gave it, less show_progress): caches keyed by it stay valid.
    before = {"share": 0.2, "epochs": 1.0, "learning_rate": 2e-4, "batch_size": 4}
    assert warmup_identity(WarmupConfig(share=0.2, show_progress=True)) == before
    assert warmup_identity(WarmupConfig(share=0.2, checkpoints=2)) == {**before, "checkpoints": 2}


@pytest.mark.parametrize("checkpoints", [0, -1])
def test_bad_checkpoint_counts_are_config_errors_naming_the_key(checkpoints: int) -> None:
    with pytest.raises(ConfigError, match="warmup.checkpoints must be at least 1"):
        SelectConfig(warmup=WarmupConfig(checkpoints=checkpoints))


def test_the_cli_refuses_zero_checkpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(json.dumps(row) + "\n" for row in make_rows(4))
    (tmp_path / "pool.jsonl").write_text(rows)
    code = main(
        ["select", "--pool", str(tmp_path / "pool.jsonl"), "--target", str(tmp_path / "pool.jsonl"),
         "--warmup-checkpoints", "0", "-o", str(tmp_path / "sel.jsonl")]
    )  # fmt: skip
    assert code == 2 and "warmup.checkpoints must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "sel.jsonl").exists()


def test_more_checkpoints_than_warm_up_steps_is_a_config_error(
    tiny_model_dir: str, tmp_path: Path
) -> None:
    config = SelectConfig(
        method="less",
        cache_dir=str(tmp_path / "cache"),
        features=FEATURES,
        warmup=WarmupConfig(share=0.5, checkpoints=3),  # 4 rows: 1 step
    )
    with pytest.raises(ConfigError, match=r"warm-up checkpoints \(3\) exceed the warm-up's 1"):
        select_examples(make_rows(8), make_rows(1), tiny_model_dir, config)
    assert not list((tmp_path / "cache").glob("warmup-*"))  # nothing that looks complete
    assert not list((tmp_path / "cache").glob(".warmup-*"))


def _weights(checkpoint: Any) -> Any:
    parameters = dict(checkpoint.model.named_parameters())
    return torch.cat([parameters[name].detach().reshape(-1) for name in checkpoint.names])


def _unit(vector: Any) -> Any:
    return vector / torch.clamp(vector.norm(), min=1e-12)


@pytest.mark.slow  # kills a warm-up
def test_a_warm_up_killed_after_its_first_checkpoint_leaves_nothing_complete(
    tiny_model_dir: str, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps(make_rows(200)))  # 50 steps: checkpoint 1 after step 25
    script = (
        "import json, sys; from pathlib import Path\n"
        "from reasonloop.curate.select.checkpoint import LoraShape, WarmupConfig, warm_up\n"
        "rows = json.loads(Path(sys.argv[2]).read_text())\n"
        "warm_up(sys.argv[1], rows, Path(sys.argv[3]), LoraShape(rank=4, alpha=8),\n"
        "        WarmupConfig(checkpoints=2), max_length=64)\n"
    )
    final = tmp_path / "warm"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    command = [sys.executable, "-c", script, tiny_model_dir, str(rows), str(final)]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list(tmp_path.glob(f".warmup-*/adapter/checkpoint-1/{MOMENTS}")):
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    _, errors = process.communicate()
    assert process.returncode == -signal.SIGKILL, errors.decode()
    assert not final.exists()  # the checkpoint saved so far is in the scratch directory only
    warm_up(tiny_model_dir, json.loads(rows.read_text()), final, LoraShape(rank=4, alpha=8),
            WarmupConfig(checkpoints=2), max_length=64)  # fmt: skip
    assert json.loads((final / POINTS).read_text())["checkpoints"][1]["step"] == 50
