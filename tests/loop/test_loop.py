"""The loop end to end on a tiny local model: the fake backend samples (so some answers are
right), TRL really trains the tiny model, every stage's artifacts land, and re-running resumes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from reasonloop.errors import ConfigError, DataError, RunDirError
from reasonloop.loop import load_config, run_loop
from reasonloop.loop.summary import LoopSummary, read_summary

pytest.importorskip("trl")


def tiny_config(model: str, **overrides: Any) -> Any:
    base: dict[str, Any] = {
        "model": model,
        "n_train": 10,
        "n_test": 6,
        "iterations": 2,
        "backend.name": "fake",
        "backend.model": "arithmetic",
        "backend.options": {"accuracy": 0.3},  # right 30% of the time: some problems unsolved
        "sampling.k": 2,
        "sampling.rationalize": 2,
        "sampling.max_new_tokens": 32,
        "train.options": {"max_steps": 2, "batch_size": 4},
        "eval.k": 2,
        "eval.max_new_tokens": 32,
        "resample.budget": 6,
    }
    return load_config(None, {**base, **overrides})


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LoopSummary]:
    from tiny_model import build_tiny_model

    root = tmp_path_factory.mktemp("loop")
    model = build_tiny_model(root / "tiny")
    run_dir = root / "run"
    summary = run_loop(tiny_config(model), run_dir, progress=False)
    return run_dir, summary


def test_summary_has_the_promised_fields(finished_run: tuple[Path, LoopSummary]) -> None:
    run_dir, summary = finished_run
    assert read_summary(run_dir) == summary
    on_disk = json.loads((run_dir / "summary.json").read_text())
    assert on_disk == summary.to_dict()
    for key in ("baseline_accuracy", "final_accuracy", "n_test", "iterations", "wall_seconds"):
        assert key in on_disk  # the keys readers of summary.json always had
    assert summary.n_test == 6 and summary.iterations == 2
    assert 0.0 <= summary.final_accuracy <= 1.0
    # The change is judged by paired tests on the same 6 test problems.
    greedy, sampled = summary.significance, summary.significance_sampled
    assert greedy.test.startswith("exact McNemar") and greedy.n == 6
    assert sampled is not None
    assert sampled.test.startswith("paired bootstrap") and sampled.n == 6
    assert greedy.before == summary.baseline_accuracy
    assert summary.baseline_permissive_accuracy is not None
    assert 0.0 <= summary.baseline_permissive_accuracy <= 1.0
    # Every task of the run names its grader: the built-in arithmetic by the verifier.
    assert summary.graders == on_disk["graders"] == {"arithmetic": "verify"}


def test_every_stage_leaves_its_artifacts(finished_run: tuple[Path, LoopSummary]) -> None:
    run_dir, _ = finished_run
    for name in ("config.yaml", "stages.json", "train.jsonl", "test.jsonl", "report.html"):
        assert (run_dir / name).is_file(), name
    for iteration in (1, 2):
        it_dir = run_dir / f"iter-{iteration}"
        assert (it_dir / "samples" / "samples.sqlite").is_file()
        assert (it_dir / "profile.json").is_file()
        rows = (it_dir / "train_rows.jsonl").read_text().splitlines()
        assert rows and "completion" in json.loads(rows[0])
        assert (it_dir / "model" / "config.json").is_file()
        sampled = json.loads((it_dir / "eval" / "eval.json").read_text())["sampled"]
        assert (sampled is None) == (iteration == 1)
    stages = json.loads((run_dir / "stages.json").read_text())
    assert list(stages) == [
        "problems", "base-model", "iter-0/eval",
        "iter-1/sample", "iter-1/build", "iter-1/train", "iter-1/eval",
        "iter-2/sample", "iter-2/build", "iter-2/train", "iter-2/eval",
    ]  # fmt: skip


def test_training_logged_a_loss_and_changed_the_weights(
    finished_run: tuple[Path, LoopSummary],
) -> None:
    import torch
    from transformers import AutoModelForCausalLM

    run_dir, summary = finished_run
    record = json.loads((run_dir / "iter-1" / "model" / "reasonloop_train.json").read_text())
    assert record["losses"] and all(loss > 0 for _, loss in record["losses"])
    base = AutoModelForCausalLM.from_pretrained(summary.model)
    # The final model keeps its weights (iter-1's were removed: `keep_models: final`).
    tuned = AutoModelForCausalLM.from_pretrained(run_dir / "iter-2" / "model")
    changed = [
        name
        for (name, a), (_, b) in zip(base.named_parameters(), tuned.named_parameters(), strict=True)
        if not torch.equal(a, b)
    ]
    assert changed


def test_resampling_added_a_longer_round(finished_run: tuple[Path, LoopSummary]) -> None:
    from reasonloop.sample.store import RunStore

    run_dir, _ = finished_run
    with RunStore.open_existing(run_dir / "iter-1" / "samples") as store:
        extra = store.samples(round=1)
    assert 0 < len(extra) <= 6
    # hard and unsolved problems get twice the token budget; medium ones the base budget
    assert {s.max_new_tokens for s in extra} <= {32, 64}
    assert any(s.max_new_tokens == 64 for s in extra)


def test_rationales_train_under_the_hint_free_prompt(
    finished_run: tuple[Path, LoopSummary],
) -> None:
    from reasonloop.sample.store import RunStore

    run_dir, _ = finished_run
    it_dir = run_dir / "iter-1"
    with RunStore.open_existing(it_dir / "rationales") as store:
        hinted = store.samples()
    assert hinted and all("Hint: the correct answer is" in s.prompt[-1]["content"] for s in hinted)
    with RunStore.open_existing(it_dir / "samples") as store:
        solved = {
            pid
            for pid, group in store.samples_by_problem().items()
            if any(s.correct for s in group)
        }
    assert not solved & {s.problem_id for s in hinted}  # only unsolved problems get hints
    rows = [json.loads(line) for line in (it_dir / "train_rows.jsonl").read_text().splitlines()]
    assert {row["problem_id"] for row in rows} - solved  # some rows come from rationales
    assert not any("Hint" in row["prompt"][-1]["content"] for row in rows)


def test_report_data_matches_the_summary(finished_run: tuple[Path, LoopSummary]) -> None:
    from reasonloop.report import read_report_data

    run_dir, summary = finished_run
    data = read_report_data(run_dir / "report_data.json")
    assert [it.iteration for it in data.iterations] == [0, 1, 2]
    assert data.iterations[-1].accuracy == summary.final_accuracy
    assert data.iterations[1].train_losses and data.iterations[1].n_train_rows > 0
    assert data.examples
    # The sampled pass@k of the baseline and the final model carry intervals over problems.
    for result in (data.iterations[0], data.iterations[-1]):
        assert set(result.pass_at_k_ci) == set(result.pass_at_k) == {1, 2}
        low, high = result.pass_at_k_ci[2]
        assert low <= result.pass_at_k[2] <= high


def test_rerun_resumes_without_redoing_stages(finished_run: tuple[Path, LoopSummary]) -> None:
    run_dir, summary = finished_run
    before = json.loads((run_dir / "stages.json").read_text())
    messages: list[str] = []
    again = run_loop(tiny_config(summary.model), run_dir, progress=False, notify=messages.append)
    assert json.loads((run_dir / "stages.json").read_text()) == before
    # Before the first stage, what the run will do; after the base model's eval, a time.
    told = [m for m in messages if m.startswith(("[plan]", "[estimate]"))]
    assert told[0].startswith(
        "[plan] up to 122 samples to draw (40 training, up to 40 hinted, 42 held-out) and 2 "
        "trainings of up to 4 steps in all"
    )
    assert re.match(r"\[estimate\] about \d+ min of sampling left at the [\d.]+ samples/s", told[1])
    assert messages.index(told[1]) > messages.index("[iter-0/eval] done already, skipped")
    assert all("skipped" in m for m in messages if m not in told)
    assert again.final_accuracy == summary.final_accuracy


def test_a_different_config_is_refused(finished_run: tuple[Path, LoopSummary]) -> None:
    run_dir, summary = finished_run
    changed = tiny_config(summary.model, **{"sampling.k": 3})
    with pytest.raises(RunDirError, match="sampling.k"):
        run_loop(changed, run_dir, progress=False)
    assert (run_dir / "iter-2" / "model" / "config.json").is_file()  # nothing lost


def test_a_run_that_finished_no_stage_takes_another_config(tmp_path: Path) -> None:
    # The first attempt failed before its first stage ended (here: no such data file); the
    # directory then takes a corrected config without --force.
    broken = tiny_config("default", data=str(tmp_path / "missing.jsonl"))
    with pytest.raises(DataError):
        run_loop(broken, tmp_path / "run", progress=False)
    assert (tmp_path / "run" / "config.yaml").is_file()
    with pytest.raises(DataError, match="other.jsonl"):  # past the config check
        run_loop(tiny_config("default", data=str(tmp_path / "other.jsonl")), tmp_path / "run")


def test_a_missing_model_path_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        run_loop(tiny_config(str(tmp_path / "no-such-model")), tmp_path / "run", progress=False)


def test_a_dataset_without_answers_names_the_field(tmp_path: Path, tiny_model_dir: str) -> None:
    data = tmp_path / "problems.jsonl"
    data.write_text("".join(json.dumps({"question": f"q{i}"}) + "\n" for i in range(20)))
    config = tiny_config(tiny_model_dir, data=str(data), format="plain")
    with pytest.raises(DataError, match="answer"):
        run_loop(config, tmp_path / "run", progress=False)


def test_a_loop_sample_run_reopens_from_the_cli(
    finished_run: tuple[Path, LoopSummary], tmp_path: Path
) -> None:
    # A loop stage records its sampler like `reasonloop sample` does, so the CLI can add to it.
    import shutil

    from reasonloop.cli.main import main
    from reasonloop.sample.store import RunStore

    run_dir, _ = finished_run
    copy = shutil.copytree(run_dir / "iter-1" / "samples", tmp_path / "samples")
    argv = ["profile", str(copy), "--resample-budget", "4", "--round", "2", "--no-progress"]
    assert main(argv) == 0
    with RunStore.open_existing(copy) as store:
        assert store.count(round=2) == 4
        assert store.fingerprint is not None and store.fingerprint.sampler.backend == "fake"


def test_the_train_stage_shows_a_labelled_bar_when_the_loop_shows_progress(
    tiny_model_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A loop used to train in silence for minutes: its train stage now shows the trainer's bar.
    from reasonloop.dataset import write_dataset
    from reasonloop.loop.stages import train_stage

    rows = [
        {
            "prompt": [{"role": "user", "content": f"What is {a} + 1?"}],
            "completion": [{"role": "assistant", "content": f"The answer is {a + 1}."}],
        }
        for a in range(4)
    ]
    data = write_dataset(rows, tmp_path / "rows.jsonl")
    config = tiny_config(tiny_model_dir)  # max_steps 2
    train_stage(tiny_model_dir, data, config, tmp_path / "model", progress=True)
    states = [s for s in re.split(r"[\r\n]", capsys.readouterr().err) if s.startswith("train sft:")]
    assert states and "100%" in states[-1] and "2/2" in states[-1] and "loss" in states[-1]
