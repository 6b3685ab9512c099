"""`reasonloop synthesize` end to end on a run sampled from the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.curate.synthesize.rouge import rouge_l_f
from reasonloop.dataset.io import read_dataset
from reasonloop.files import read_jsonl
from reasonloop.tasks.sources import load_problems

TEST_SPEC = "arithmetic:seed=1"


def sample(out: Path, *extra: str) -> None:
    argv = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "40"]
    assert main([*argv, "-k", "4", "--out", str(out), "--no-progress", *extra]) == 0


def synthesize(run: Path, out: Path, *extra: str) -> int:
    # the one-shot target is the run's own model (fake:arithmetic) unless --target names one
    argv = ["synthesize", str(run), "--instructor", "builtin"]
    return main([*argv, "--budget", "12", "-o", str(out), "--no-progress", *extra])


def test_full_pipeline_on_the_fake_backend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample(tmp_path / "run")
    out = tmp_path / "synth"
    assert synthesize(tmp_path / "run", out, "--test", TEST_SPEC, "--test-limit", "100") == 0
    printed = capsys.readouterr().out
    assert "error type" in printed and "kept by the one-shot filter" in printed

    summary = json.loads((out / "summary.json").read_text())
    assert summary["accepted"] == 12 and summary["gradable_share"] == 1.0
    assert summary["malformed_replies"] == {}
    table = json.loads((out / "error_types.json").read_text())
    assert sum(row["count"] for row in table) >= summary["bad_cases"]
    assert all(row["examples"] and row["keyphrases"] for row in table)
    assert sum(summary["quotas"].values()) == 12

    synthesized = read_jsonl(out / "synthesized.jsonl")
    tests = [p.question for p in load_problems(TEST_SPEC, limit=100)]
    for row in synthesized:
        assert all(rouge_l_f(row["question"], t) <= 0.7 for t in tests)
        assert {"score", "baseline", "kept"} <= set(row["one_shot"])
    kept = read_dataset(out / "kept_sft.jsonl")
    assert len(kept) == summary["kept"] == sum(row["one_shot"]["kept"] for row in synthesized)
    for row in kept:  # TRL conversational prompt-completion, as `reasonloop build sft` writes
        assert (
            row["prompt"][-1]["role"] == "user"
            and "The answer is N." in row["prompt"][-1]["content"]
        )
        assert row["completion"][0]["role"] == "assistant"

    # a second run reads the one-shot replies from the cache and writes the same kept set
    assert synthesize(tmp_path / "run", out, "--test", TEST_SPEC, "--test-limit", "100") == 0
    assert read_dataset(out / "kept_sft.jsonl") == kept


def test_keep_top_fraction(tmp_path: Path) -> None:
    sample(tmp_path / "run")
    assert synthesize(tmp_path / "run", tmp_path / "synth", "--keep", "top:0.25") == 0
    summary = json.loads((tmp_path / "synth" / "summary.json").read_text())
    assert summary["kept"] == 3


def test_a_run_without_errors_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample(tmp_path / "run", "--backend-option", "accuracy=1.0")
    assert synthesize(tmp_path / "run", tmp_path / "synth") == 2
    assert "no bad cases" in capsys.readouterr().err
    assert not (tmp_path / "synth").exists()


def test_an_instructor_whose_every_reply_is_malformed_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample(tmp_path / "run")
    out = tmp_path / "synth"
    argv = ["synthesize", str(tmp_path / "run"), "--instructor", "fake:echo"]
    assert main([*argv, "--target", "fake:arithmetic", "-o", str(out), "--no-progress"]) == 2
    error = capsys.readouterr().err
    assert "described none of the" in error and "'keyphrases':" in error
    assert (out / "instructor_cache.jsonl").is_file()  # the replies are kept for a re-run


@pytest.mark.slow
def test_embedded_model_with_the_likelihood_score(tmp_path: Path) -> None:
    run, out = tmp_path / "run", tmp_path / "synth"
    argv = ["sample", "--model", "default", "--task", "arithmetic", "--limit", "4", "-k", "1"]
    assert main([*argv, "--max-new-tokens", "32", "--out", str(run), "--no-progress"]) == 0
    # the one-shot target defaults to the run's model: the embedded one
    argv = ["synthesize", str(run), "--instructor", "builtin", "--score", "likelihood"]
    assert main([*argv, "--budget", "4", "--dev-size", "4", "-o", str(out)]) == 0
    rows = read_jsonl(out / "synthesized.jsonl")
    assert len(rows) == 4
    assert len({row["one_shot"]["score"] for row in rows}) > 1


def test_builtin_instructor_on_other_problems_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "problems.jsonl"
    rows = [{"question": f"Tom has {i} apples and buys 2. How many?", "answer": str(i + 2)}
            for i in range(10)]  # fmt: skip
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    argv = ["sample", "--model", "fake:oracle", "--data", str(data), "--backend-option"]
    answers = json.dumps({row["question"]: row["answer"] for row in rows})
    argv += [f"answers={answers}", "--backend-option", "accuracy=0.3"]
    assert main([*argv, "-k", "2", "--out", str(tmp_path / "run"), "--no-progress"]) == 0
    assert synthesize(tmp_path / "run", tmp_path / "synth") == 2
    assert "knows only the built-in tasks" in capsys.readouterr().err
