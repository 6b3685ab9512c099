"""Step-DPO pairs and PRM rows from step values drawn on the fake backend, where the wrong
step is known; both formats read by TRL's own data utilities and `datasets`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.cli.main import main
from reasonloop.dataset.io import to_hf_dataset
from reasonloop.dataset.rows import build_rows, build_step_rows
from reasonloop.dataset.step_dpo import StepPairs, build_step_dpo_pairs
from reasonloop.errors import ConfigError, EmptyDatasetError, RunDirError
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import ValueSettings
from reasonloop.steps.values import read_values, value_samples
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status

DOUBLE = Problem("double", "Double the sum of 12 and 30.", "84")
TRIPLE = Problem("triple", "Triple the sum of 2 and 3.", "15")  # never solved in the run
# (problem, response, correct); the fake continues a prefix with a false equation wrongly.
SAMPLES = [
    (DOUBLE, "12 + 30 = 42.\n42 * 2 = 85.\nThe answer is 85.", False),  # pit at step 2
    (DOUBLE, "12 + 30 = 42.\n42 * 2 = 84.\nThe answer is 84.", True),
    (DOUBLE, "12 + 30 = 42.\n42 * 2 = 84.\nThe answer is 85.", False),  # only the answer
    (DOUBLE, "12 + 30 = 43.\n43 * 2 = 86.\nThe answer is 86.", False),  # pit at step 1
    (TRIPLE, "2 + 3 = 6.\n6 * 3 = 18.\nThe answer is 18.", False),  # nothing to pair with
]


def make_run(run_dir: Path, include_correct: bool = False) -> Path:
    with RunStore.open(run_dir, fake_fingerprint(template=DEFAULT_TEMPLATE)) as store:
        store.add_problems([DOUBLE, TRIPLE])
        store.put_samples(
            [
                GradedSample(
                    problem.id,
                    index,
                    DEFAULT_TEMPLATE.render(problem),
                    response,
                    correct,
                    Status.CORRECT if correct else Status.INCORRECT,
                    None,
                    6,
                    12,
                    "stop",
                    0.0,
                )
                for index, (problem, response, correct) in enumerate(SAMPLES)
            ]
        )
        sampler = FakeSampler("oracle", answers={DOUBLE.question: "84", TRIPLE.question: "15"})
        draw = DrawSettings(DEFAULT_TEMPLATE, batch_size=8, grade_workers=1)
        settings = ValueSettings(k=2, include_correct=include_correct)
        value_samples(store, sampler, SamplingParams(seed=3), draw, settings)
    return run_dir


def step_pairs(run_dir: Path, **options: object) -> StepPairs:
    with RunStore.open_existing(run_dir) as store:
        problems, samples = store.problems(), store.samples_by_problem()
    built = build_step_rows("step-dpo", problems, samples, read_values(run_dir), **options)  # type: ignore[arg-type]
    assert isinstance(built, StepPairs)
    return built


def test_pairs_reject_the_prefix_through_the_first_pit(tmp_path: Path) -> None:
    built = step_pairs(make_run(tmp_path))
    rows = {row["sample_index"]: row for row in built.rows}
    assert sorted(rows) == [0, 3]
    assert rows[0]["rejected"] == [{"role": "assistant", "content": "12 + 30 = 42.\n42 * 2 = 85."}]
    assert rows[0]["pit_step"] == 1 and rows[0]["values"] == [1.0, 0.0, 0.0]
    assert rows[3]["rejected"][0]["content"] == "12 + 30 = 43."
    assert rows[3]["pit_step"] == 0 and rows[3]["values"] == [0.0, 0.0, 0.0]
    for row in rows.values():
        assert row["chosen"][0]["content"] == SAMPLES[1][1]
        assert row["prompt"] == DEFAULT_TEMPLATE.render(DOUBLE)
        assert row["chosen_sample_index"] == 1 and row["n_steps"] == 3
    assert built.skipped == {"drops_only_at_the_answer": 1, "never_rises": 1}
    assert built.summary()["paired_wrong_responses"] == 2


def test_the_cap_and_a_problem_without_a_correct_response(tmp_path: Path) -> None:
    built = step_pairs(make_run(tmp_path), max_per_problem=1)
    assert [row["sample_index"] for row in built.rows] == [0]
    assert built.skipped["over_the_cap"] == 1
    with RunStore.open_existing(tmp_path) as store:
        problems = store.problems()
        by_problem = store.samples_by_problem()
    samples = {pid: [s for s in group if not s.correct] for pid, group in by_problem.items()}
    # without a correct response the problem's value is 0: a pit at the first step is none
    with pytest.raises(EmptyDatasetError, match=r"2 never_rises, 1 no_correct_response\)"):
        build_step_rows("step-dpo", problems, samples, read_values(tmp_path))


def test_step_kinds_need_their_own_entry_point(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="build_step_rows"):
        build_rows("prm", [DOUBLE], {})
    with pytest.raises(RunDirError, match="run `reasonloop values"):
        read_values(tmp_path)


def test_trl_reads_the_pairs_as_conversational_preferences(tmp_path: Path) -> None:
    from trl.data_utils import is_conversational, maybe_apply_chat_template

    from tiny_model import build_tiny_tokenizer

    row = next(r for r in step_pairs(make_run(tmp_path)).rows if r["sample_index"] == 0)
    assert is_conversational(row)
    keys = ("prompt", "chosen", "rejected")
    text = maybe_apply_chat_template({k: row[k] for k in keys}, build_tiny_tokenizer())
    assert text["prompt"].endswith("<|im_start|>assistant\n")
    assert text["rejected"] == "12 + 30 = 42.\n42 * 2 = 85.<|im_end|>\n"
    assert text["chosen"].startswith("12 + 30 = 42.\n42 * 2 = 84.\n")
    dataset = to_hf_dataset(step_pairs(tmp_path).rows)
    assert dataset.num_rows == 2 and dataset[0]["values"] == [1.0, 0.0, 0.0]


def test_prm_rows_in_the_stepwise_supervision_format(tmp_path: Path) -> None:
    from trl.data_utils import is_conversational

    run_dir = make_run(tmp_path, include_correct=True)
    with RunStore.open_existing(run_dir) as store:
        problems = store.problems()
    built = build_step_rows("prm", problems, {}, read_values(run_dir))
    rows = {(row["problem_id"], row["sample_index"]): row for row in built.rows}
    assert len(rows) == 5
    first = rows["double", 0]
    assert first["prompt"] == DOUBLE.question
    assert first["completions"] == ["12 + 30 = 42.", "42 * 2 = 85.", "The answer is 85."]
    assert first["labels"] == [True, False, False]
    assert first["soft_labels"][1:] == [0.0, 0.0] and 0.0 < first["soft_labels"][0] <= 1.0
    assert rows["double", 1]["labels"] == [True, True, True]
    assert rows["double", 2]["labels"] == [True, True, False]
    assert not is_conversational(first)  # TRL's standard (string) stepwise format
    dataset = to_hf_dataset(built.rows)
    assert dataset.features["labels"].feature.dtype == "bool"
    assert dataset.features["completions"].feature.dtype == "string"
    assert built.summary()["steps"] == 15


def test_build_step_dpo_and_prm_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = make_run(tmp_path / "run")
    out = tmp_path / "pairs.jsonl"
    assert main(["build", "step-dpo", str(run_dir), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 step-dpo rows from 1 of 2 problems" in printed
    assert "1 drops_only_at_the_answer, 1 never_rises" in printed
    summary = json.loads((tmp_path / "pairs.summary.json").read_text())
    assert summary["pairs"] == 2 and summary["value"] == "hard"
    assert summary["skipped"] == {"drops_only_at_the_answer": 1, "never_rises": 1}
    assert main(["build", "prm", str(run_dir), "-o", str(tmp_path / "prm.parquet")]) == 0
    assert "wrote 4 prm rows" in capsys.readouterr().out


def test_build_step_dpo_without_values_names_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_dir = tmp_path / "run"
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        store.add_problems([DOUBLE])
    assert main(["build", "step-dpo", str(run_dir), "-o", str(tmp_path / "x.jsonl")]) != 0
    assert f"run `reasonloop values {run_dir}` first" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()


def test_a_pit_prefix_that_begins_a_correct_response_is_no_pit() -> None:
    """From the embedded model (1-digit arithmetic, K=2): the first step valued 0, although a
    correct response to the problem reads exactly that step."""
    from reasonloop.steps.values import StepValue, ValuedSample

    problem = Problem("p", "What is 4 + 6?", "10")

    def sample(index: int, response: str, correct: bool) -> GradedSample:
        status = Status.CORRECT if correct else Status.INCORRECT
        prompt = DEFAULT_TEMPLATE.render(problem)
        return GradedSample("p", index, prompt, response, correct, status, None, 5, 5, "stop", 0.0)

    wrong = "4 + 6 = 10\nSo it is 11.\nThe answer is 11."
    steps = (
        StepValue(0, 11, 0.0, 0.0, 2, "rollouts"),
        StepValue(11, 24, 0.0, 0.0, 2, "rollouts"),
        StepValue(24, len(wrong), 0.0, 0.0, 0, "verdict"),
    )
    texts = ("4 + 6 = 10", "So it is 11.", "The answer is 11.")
    valued = [ValuedSample("p", 1, False, "default", steps, texts)]
    samples = {"p": [sample(0, "4 + 6 = 10", True), sample(1, wrong, False)]}
    built = build_step_dpo_pairs([problem], samples, valued)
    assert built.rows == [] and built.skipped == {"prefix_of_a_correct_response": 1}
    samples["p"][0] = sample(0, "4 + 6 = 10, so the answer is 10.", True)
    [row] = build_step_dpo_pairs([problem], samples, valued).rows
    assert row["rejected"][0]["content"] == "4 + 6 = 10"
