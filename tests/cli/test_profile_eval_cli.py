"""`reasonloop profile` and `reasonloop eval` through the real CLI entry, on the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.profile.difficulty import profile_difficulty
from reasonloop.sample.store import RunStore

FAKE = ["--model", "fake:arithmetic", "--task", "arithmetic:digits=2", "--limit", "12"]


def sample_run(run_dir: Path, *extra: str, k: int = 6) -> Path:
    code = main(["sample", *FAKE, "-k", str(k), "--out", str(run_dir), "--no-progress", *extra])
    assert code == 0
    return run_dir


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return sample_run(tmp_path / "run")


def read_json(path: Path) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(path.read_text(encoding="utf-8"))  # type: ignore[type-arg]
    return data


def test_profile_prints_the_table_and_writes_profile_json(
    run_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profile", str(run_dir), "--json", str(run_dir / "copy.json")]) == 0
    out = capsys.readouterr().out
    for text in ("level", "problems", "mean pass rate", "unsolved", "easy", "pass@k", "maj@k"):
        assert text in out
    data = read_json(run_dir / "profile.json")
    assert data == read_json(run_dir / "copy.json")
    assert data["overall"]["problems"] == 12
    assert data["overall"]["samples"] == 72
    assert sum(level["problems"] for level in data["levels"]) == 12
    assert list(data["pass_at_k"]) == list(data["maj_at_k"]) == ["1", "2", "4"]
    assert data["rounds"] == [0]
    assert "all" in out and "72" in out


@pytest.mark.parametrize(
    ("cuts", "levels"),
    [
        (["--hard", "0.2", "--medium", "0.5"], {"hard": (0, 0.2), "medium": (0.2, 0.5)}),
        (["--hard", "0.5", "--medium", "0.9"], {"hard": (0, 0.5), "medium": (0.5, 0.9)}),
    ],
)
def test_profile_cuts_decide_the_levels(
    run_dir: Path, cuts: list[str], levels: dict[str, tuple[float, float]]
) -> None:
    assert main(["profile", str(run_dir), *cuts]) == 0
    for row in read_json(run_dir / "profile.json")["problems"]:
        if row["level"] in levels:
            low, high = levels[row["level"]]
            assert low < row["rate"] <= high


def test_profile_resampling_adds_a_round_where_it_helps(
    run_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = read_json(run_dir / "run.json")
    code = main(["profile", str(run_dir), "--resample-budget", "20", "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("mean pass rate") == 2  # the table before and after
    assert "resampling: 20 extra samples" in out
    data = read_json(run_dir / "profile.json")
    assert data["rounds"] == [0, 1]
    assert data["overall"]["samples"] == 72 + 20
    assert "plan" not in data  # profile.json has one shape, resampled or not
    plan = read_json(run_dir / "resample_plan.json")  # the curate stage's own artifact
    assert plan["round"] == 1 and sum(plan["extra_k"].values()) == 20
    with RunStore.open_existing(run_dir) as store:
        extra = store.samples(round=1)
        first = profile_difficulty(store.samples_by_problem(round=0))
    assert len(extra) == 20
    assert {s.problem_id for s in extra} == set(plan["extra_k"])
    for sample in extra:
        long = first.level_of(sample.problem_id) in {"hard", "unsolved"}
        assert sample.max_new_tokens == (512 if long else 256)
    per_level: dict[str, list[int]] = {}
    for pid, k in plan["extra_k"].items():
        per_level.setdefault(first.level_of(pid), []).append(k)
    if "hard" in per_level:
        assert min(per_level["hard"]) >= max(max(ks) for ks in per_level.values()) - 1
    assert read_json(run_dir / "run.json") == before  # the run's fingerprint is untouched

    # Run again: the plan comes from round 0 only, so the round is already complete.
    assert main(["profile", str(run_dir), "--resample-budget", "20", "--no-progress"]) == 0
    assert "drew 0 new samples (20 already stored)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("setup", "argv_tail", "message"),
    [
        ("empty", [], "not a run directory"),
        ("greedy", ["--resample-budget", "5"], "greedily"),
        ("sampled", ["--resample-budget", "5", "--round", "0"], "--round must be >= 1"),
        ("sampled", ["--hard", "0.9", "--medium", "0.5"], "cuts"),
        ("sampled", ["--resample-budget", "5", "--model", "echo"], "sampled by 'fake:arithmetic'"),
    ],
)
def test_profile_errors_name_the_fix(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    argv_tail: list[str],
    message: str,
) -> None:
    target = tmp_path / "run"
    if setup == "empty":
        target.mkdir()
    elif setup == "greedy":
        sample_run(target, "--temperature", "0", k=1)
    else:
        sample_run(target, k=2)
    capsys.readouterr()
    assert main(["profile", str(target), *argv_tail]) == 2
    assert message in capsys.readouterr().err


def test_eval_greedy_prints_accuracy_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json = tmp_path / "eval.json"
    argv = ["eval", *FAKE, "--backend-option", "accuracy=1.0", "--json", str(out_json)]
    assert main([*argv, "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "accuracy 1.000" in out and "95% CI" in out and "greedy" in out
    data = read_json(out_json)
    assert data["accuracy"]["value"] == 1.0 and data["accuracy"]["n"] == 12
    assert data["pass_at_k"] == {"1": 1.0} and data["maj_at_k"] == {"1": 1.0}


def test_eval_sampled_with_levels_and_kept_samples(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profile", str(run_dir)]) == 0
    argv = ["eval", *FAKE, "-k", "4", "--temperature", "0.8", "--out", str(tmp_path / "ev")]
    argv += ["--levels", str(run_dir / "profile.json"), "--no-progress"]
    capsys.readouterr()
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "pass@k" in out and "maj@k" in out and "pass@4" in out
    assert f"samples kept in {tmp_path / 'ev'}" in out
    with RunStore.open_existing(tmp_path / "ev") as store:
        assert store.count() == 48
        assert store.fingerprint is not None and store.fingerprint.kind == "eval"


@pytest.mark.parametrize(
    ("argv_tail", "message"),
    [
        (["-k", "4"], "temperature"),
        (["--ks", "1,x"], "--ks"),
        (["--levels", "missing.json"], "profile.json"),
    ],
)
def test_eval_errors_name_the_fix(
    capsys: pytest.CaptureFixture[str], argv_tail: list[str], message: str
) -> None:
    assert main(["eval", *FAKE, "--no-progress", *argv_tail]) == 2
    assert message in capsys.readouterr().err
