"""Sampling with a judge: the store keeps who graded each sample; a dead judge loses nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest
from judges import ScriptedJudge

from fingerprints import fake_fingerprint
from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import DB_NAME, RunStore
from reasonloop.tasks.problem import Problem
from reasonloop.verify.judge import JudgeError, ModelJudge

PROBLEMS = [Problem(f"p{i}", f"What is {i} + 12?", str(i + 12)) for i in range(4)]


class RomanWriter:
    """A model that writes every answer in Roman numerals (p0: 12 -> XII; others wrong)."""

    model_id = "roman"

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return [Completion("In Roman numerals: \\boxed{XII}", 5, 5, "stop", 0.0)] * len(
            conversations
        )


def roman_judge(fail_after: int | None = None) -> ModelJudge:
    calls = {"n": 0}

    def reply(gold: str, answer: str) -> str:
        calls["n"] += 1
        if fail_after is not None and calls["n"] > fail_after:
            raise SamplerError("the judge server went away")
        return "Yes" if (gold, answer) == ("12", "XII") else "No"

    return ModelJudge(ScriptedJudge(reply), identity="roman-judge")


def run_sampling(run_dir: Path, judge: ModelJudge) -> None:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        summary = sample_problems(
            PROBLEMS,
            RomanWriter(),
            SamplingParams(),
            store,
            k=1,
            settings=DrawSettings(DEFAULT_TEMPLATE, batch_size=2, grade_workers=0, judge=judge),
        )
    assert summary.n_new == 4 and summary.n_judged == 4 and summary.n_correct == 1


def test_samples_record_who_graded_them(tmp_path: Path) -> None:
    run_sampling(tmp_path / "run", roman_judge())
    with RunStore.open_existing(tmp_path / "run") as store:
        samples = store.samples()
    assert [(s.problem_id, s.correct, s.decided_by) for s in samples] == [
        ("p0", True, "judge"),
        ("p1", False, "judge"),
        ("p2", False, "judge"),
        ("p3", False, "judge"),
    ]


def test_a_dead_judge_stops_the_run_and_keeps_what_was_graded(tmp_path: Path) -> None:
    with pytest.raises(JudgeError, match="went away"):
        run_sampling(tmp_path / "run", roman_judge(fail_after=4))  # 2 pairs + 2 controls
    with RunStore.open_existing(tmp_path / "run") as store:
        kept = store.samples()
    assert [s.problem_id for s in kept] == ["p0", "p1"]  # the first batch of two


def test_a_store_from_before_the_judge_reads_as_rule_graded(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_sampling(run_dir, roman_judge())
    with closing(sqlite3.connect(run_dir / DB_NAME)) as db:  # the old schema had no column
        db.execute("ALTER TABLE samples DROP COLUMN decided_by")
        db.commit()
    with RunStore.open_existing(run_dir) as store:
        assert {s.decided_by for s in store.samples()} == {"rule"}


def test_cli_sample_takes_a_judge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reasonloop.cli.main import main

    args = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "3"]
    args += ["-k", "2", "--out", str(tmp_path / "run"), "--no-progress", "--grade-workers", "0"]
    assert main([*args, "--judge", "fake:echo", "--no-judge-cache"]) == 0
    assert "graded by the judge (the rule could not decide): 0" in capsys.readouterr().out


def test_evaluate_counts_what_the_judge_graded() -> None:
    from reasonloop.evaluate.measure import EvalReport, evaluate

    report = evaluate(PROBLEMS, RomanWriter(), DrawSettings(DEFAULT_TEMPLATE, judge=roman_judge()))
    assert report.judged == 4 and report.accuracy.value == 0.25
    assert EvalReport.from_dict(report.to_dict()).judged == 4
