"""A realistic four-iteration report (baseline + three trained iterations) for the report tests."""

from __future__ import annotations

import math

import pytest

from reasonloop.report import ExampleRow, IterationResult, ReportData

# Untrusted model output that would run script or load a remote image if it were not escaped.
HOSTILE_RESPONSE = (
    '</pre></td></tr></table><script>document.title="pwned"</script>'
    '<img src="http://example.invalid/x.png" onerror="document.title=\'pwned\'">'
    "& the answer is \\boxed{<b>42</b>}"
)


def make_iteration(iteration: int, accuracy: float, trained: bool) -> IterationResult:
    half_width = 1.96 * math.sqrt(accuracy * (1 - accuracy) / 200)
    losses = [(step, 1.6 * math.exp(-step / (12 + 6 * iteration)) + 0.2) for step in range(1, 41)]
    return IterationResult(
        iteration=iteration,
        accuracy=accuracy,
        ci_low=max(0.0, accuracy - half_width),
        ci_high=min(1.0, accuracy + half_width),
        n_test=200,
        pass_at_k={
            1: accuracy,
            2: min(1.0, accuracy * 1.4),
            4: min(1.0, accuracy * 1.7),
            8: min(1.0, accuracy * 1.9),
        },
        # The baseline trains on nothing, so it has no difficulty profile.
        difficulty_counts={
            "unsolved": 60 - 12 * iteration,
            "hard": 50,
            "medium": 40 + 6 * iteration,
            "easy": 50 + 6 * iteration,
        }
        if trained
        else {},
        status_counts={
            "correct": 300 + 60 * iteration,
            "incorrect": 420 - 50 * iteration,
            "no_answer": 70 - 10 * iteration,
            "timeout": 10,
        },
        train_losses=losses if trained else [],
        n_train_rows=0 if not trained else 150 + 20 * iteration,
        seconds=95.0 + 40 * iteration,
    )


def make_example(iteration: int, j: int) -> ExampleRow:
    status = "correct" if j % 2 else ("no_answer" if j % 3 == 0 else "incorrect")
    answer = {"correct": str(j * 2), "incorrect": str(j * 2 + 1), "no_answer": None}[status]
    return ExampleRow(
        iteration=iteration,
        problem_id=f"gsm8k-test-{j}",
        question=f"Tom has {j} apples and buys {j} more. How many apples does he have now?",
        gold=str(j * 2),
        response=f"Tom starts with {j}.\n{j} + {j} = {answer}.\n#### {answer}",
        answer=answer,
        status=status,
        correct=status == "correct",
    )


def make_report_data() -> ReportData:
    iterations = [
        make_iteration(i, acc, trained=i > 0) for i, acc in enumerate([0.31, 0.38, 0.42, 0.455])
    ]
    examples = [make_example(i, j) for i in range(4) for j in range(1, 7)]
    examples.append(
        ExampleRow(
            iteration=3,
            problem_id="gsm8k-test-<hostile>",
            question="What is 6 * 7? <i>show work</i>",
            gold="42",
            response=HOSTILE_RESPONSE,
            answer="<b>42</b>",
            status="correct",
            correct=True,
        )
    )
    return ReportData(
        title="GSM8K self-improvement <run 1>",
        model="SmolLM2-135M-Instruct",
        task="gsm8k",
        iterations=iterations,
        examples=examples,
        summary={
            "baseline_accuracy": 0.31,
            "final_accuracy": 0.455,
            "n_test": 200,
            "wall_seconds": 3725.0,
        },
        config={
            "model": "SmolLM2-135M-Instruct",
            "train": {"method": "sft", "lr": 1e-05},
            "sampling": {"k": 8, "temperature": 0.8},
            "note": "<script>alert(1)</script>",
        },
    )


@pytest.fixture
def report_data() -> ReportData:
    return make_report_data()
