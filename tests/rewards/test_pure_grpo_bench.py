"""benchmarks/pure_grpo_bench.py end to end on the tiny model and the tiny PRM: each arm
trains through TRL's GRPO, saves its policy every few steps, and every saved policy answers
the held-out problems on the CPU engine; a rerun resumes instead of training again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench_scripts import load_benchmark
from reasonloop.files import write_jsonl


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    return load_benchmark("pure_grpo_bench")


def test_training_and_held_out_problems_share_no_question(bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    problems = tmp_path / "problems.jsonl"
    # 1 + 1 is asked twice: it may sit on one side only
    write_jsonl(
        problems,
        [
            {"question": q, "answer": a}
            for q, a in [
                ("1 + 1", "2"),
                ("1 + 1", "2"),
                ("2 + 2", "4"),
                ("3 + 3", "6"),
                ("4 + 4", "8"),
            ]
        ],
    )
    args = bench.argparse.Namespace(task=str(problems), n_train=2, n_test=2)
    train, tests = bench.split_problems(args)
    assert [p.question for p in train] == ["1 + 1", "2 + 2"]
    assert [p.question for p in tests] == ["3 + 3", "4 + 4"]
    with pytest.raises(SystemExit, match="asked for 2 and 3"):
        bench.split_problems(bench.argparse.Namespace(task=str(problems), n_train=2, n_test=3))


# TRL 1.16's GRPO trainer reads a property that transformers 5.x renamed.
@pytest.mark.filterwarnings(
    "ignore:`is_gradient_checkpointing` is deprecated and will be removed in v6:FutureWarning"
)
def test_arms_train_save_evaluate_and_resume(
    bench,
    prm_dir: str,
    tiny_model_dir: str,
    tmp_path: Path,
    monkeypatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    problems = tmp_path / "problems.jsonl"
    write_jsonl(problems, [{"question": f"{a} + 1 =", "answer": str(a + 1)} for a in range(8)])
    out = tmp_path / "pure"
    argv = [
        "pure_grpo_bench.py",
        "--out",
        str(out),
        "--prm",
        prm_dir,
        "--model",
        tiny_model_dir,
        "--task",
        str(problems),
        "--n-train",
        "4",
        "--n-test",
        "4",
        "--steps",
        "2",
        "--eval-every",
        "1",
        "--max-new-tokens",
        "8",
        "--arms",
        "sum",
        "min",
        "--quiet",
    ]
    monkeypatch.setattr(sys, "argv", argv)
    bench.main()
    printed = capsys.readouterr().out
    for arm in ("sum", "min"):
        record = json.loads((out / arm / "train.json").read_text())
        assert record["steps"] == 2
        assert any(f"rewards/prm_{arm}/mean" in entry for entry in record["log_history"])
        for step in (1, 2):
            result = json.loads((out / arm / "eval" / f"step-{step}" / "result.json").read_text())
            assert len(result["correct"]) == 4 and result["steps_per_response"] >= 1
            assert not (out / arm / "checkpoints" / f"step-{step}").exists()  # weights deleted
        assert f"| {arm} | 2 |" in printed and f"| {arm} | 0 |" in printed
    assert (out / "start" / "result.json").is_file()  # the start model, evaluated once
    page = (out / "pure.html").read_text()
    assert page.count('class="rl-plot"') == 4 and "rewards" not in page.split("<pre>")[0]
    # a rerun reads what is there: no second training
    (out / "sum" / "train.json").touch()
    stamp = (out / "sum" / "train.json").stat().st_mtime_ns
    bench.main()
    assert (out / "sum" / "train.json").stat().st_mtime_ns == stamp
    assert "| sum | 2 |" in capsys.readouterr().out
