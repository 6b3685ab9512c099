"""`reasonloop rm-eval` and `reasonloop best-of-n` end to end on a fake-backend run and a
labelled file: the JSON the outside checks read, the CSV, the plots, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("rm") / "run")
    code = main(
        ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "12"]
        + ["-k", "8", "--out", out, "--no-progress", "--grade-workers", "1"]
    )
    assert code == 0
    return out


def test_rm_eval_of_a_run(run_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, table, plot = tmp_path / "rm.json", tmp_path / "rm.csv", tmp_path / "rm.svg"
    args = ["rm-eval", "--data", run_dir, "--reward", "random", "--reward-option", "seed=2"]
    args += ["--json", str(out), "--csv", str(table), "--plot", str(plot), "--no-progress"]
    assert main([*args, "--cache", str(tmp_path / "scores.sqlite")]) == 0
    result = json.loads(out.read_text())
    assert {"accuracy", "mrr", "pairwise_accuracy", "problems", "skipped", "per_problem"} <= set(
        result
    )
    assert result["problems"] + result["skipped"] == 12 and result["problems"] > 0
    first = result["per_problem"][0]
    assert first["correct"][0] is True and not any(first["correct"][1:])
    assert len(first["scores"]) == len(first["correct"]) <= 10
    assert table.read_text().splitlines()[0].startswith("problem_id,responses,incorrect")
    assert plot.read_text().startswith("<svg") and "rm-eval of random" in capsys.readouterr().out
    # the same call again reads every score from the cache
    assert main([*args, "--cache", str(tmp_path / "scores.sqlite")]) == 0
    assert json.loads(out.read_text())["cached_scores"] == sum(
        len(p["scores"]) for p in result["per_problem"]
    )


def test_rm_eval_of_a_labelled_file(tmp_path: Path) -> None:
    rows = [
        ("p1", "The answer is 4.", True),
        ("p1", "After a long and winding road the answer is 5.", False),
        ("p1", "It is 3 because of reasons that take a while.", False),
        ("p2", "A long correct answer that is right: 7.", True),
        ("p2", "8", False),
        ("p3", "no wrong one here", True),
    ]
    data = tmp_path / "set.jsonl"
    data.write_text(
        "".join(
            json.dumps({"problem_id": p, "response": r, "correct": c, "question": "?"}) + "\n"
            for p, r, c in rows
        )
    )
    out = tmp_path / "out.json"
    args = ["rm-eval", "--data", str(data), "--reward", "length", "--json", str(out)]
    assert main([*args, "--no-cache", "--no-progress"]) == 0
    result = json.loads(out.read_text())
    assert result["per_problem"] == [
        {"problem_id": "p1", "scores": [-16.0, -46.0, -45.0], "correct": [True, False, False]},
        {"problem_id": "p2", "scores": [-39.0, -1.0], "correct": [True, False]},
    ]
    assert (result["accuracy"], result["mrr"], result["pairwise_accuracy"]) == (0.5, 0.75, 2 / 3)
    assert (result["problems"], result["skipped"]) == (2, 1)


def test_rm_eval_refuses_a_file_with_one_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "set.jsonl"
    data.write_text(json.dumps({"problem_id": "p", "response": "r", "correct": True}) + "\n")
    assert main(["rm-eval", "--data", str(data), "--reward", "length", "--no-cache"]) == 2
    assert "every row is labelled correct and none incorrect" in capsys.readouterr().err


def test_best_of_n_with_two_rewards(
    run_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plot = tmp_path / "bon.json", tmp_path / "bon.svg"
    args = ["best-of-n", run_dir, "--reward", "length", "--reward", "random:seed=1"]
    args += ["--n", "1,2,4,8", "--json", str(out), "--plot", str(plot), "--no-cache"]
    assert main([*args, "--no-progress"]) == 0
    result = json.loads(out.read_text())
    bon = result["best_of_n"]
    assert bon["problems"] == 12 and set(bon["rewards"]) == {"length", "random:seed=1"}
    for n in ("1", "2", "4", "8"):
        assert bon["oracle"][n]["value"] >= bon["rewards"]["length"][n]["value"] - 1e-12
    assert set(result["rm_eval"]) == {"length", "random:seed=1"}
    assert set(result["rank_correlation"]) == {"1", "2", "4", "8"}
    printed = capsys.readouterr().out
    assert "Spearman rho of rm-eval accuracy vs best-of-8" in printed
    assert plot.read_text().count('class="rl-curve"') == 4  # two rewards, oracle, majority


def test_best_of_n_options_go_in_the_spec_with_several_rewards(
    run_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["best-of-n", run_dir, "--reward", "length", "--reward", "random"]
    assert main([*args, "--reward-option", "seed=1", "--no-cache"]) == 2
    assert "put each one's options in its spec" in capsys.readouterr().err


def test_best_of_n_on_the_first_k_samples(run_dir: str, tmp_path: Path) -> None:
    out = tmp_path / "bon.json"
    args = ["best-of-n", run_dir, "--reward", "length", "--n", "1,4", "--max-samples", "4"]
    assert main([*args, "--json", str(out), "--no-cache", "--no-progress"]) == 0
    bon = json.loads(out.read_text())["best_of_n"]
    assert bon["samples_per_problem"] == 4 and bon["ns"] == [1, 4]
    assert "rm_eval" not in json.loads(out.read_text())  # one reward: no comparison asked
