"""What a finished loop run leaves for people: summary.json, report_data.json, report.html.

Everything is read back from the run directory's artifacts (eval.json, profile.json, the
trainer's record), so a resumed run reports the same as an uninterrupted one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from reasonloop.curate.synthesize.synth_dir import read_error_table
from reasonloop.evaluate.heldout import (
    accuracy_by_generator_level,
    compare_heldout,
    compare_sampled,
    read_heldout,
)
from reasonloop.loop.balance_stage import read_bstar_rows
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.ledger import Ledger
from reasonloop.loop.records import ProblemsRecord, SampleRecord
from reasonloop.loop.summary import LoopSummary, write_summary
from reasonloop.profile.summary import PROFILE_JSON, read_run_profile
from reasonloop.report import (
    REPORT_DATA_FILE,
    ExampleRow,
    IterationResult,
    ReportData,
    render_report,
    write_report_data,
)
from reasonloop.report.data import ErrorTypeRow
from reasonloop.sample.graders import grader_of, task_of
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem
from reasonloop.train.result import read_train_record

REPORT = "report.html"


def write_results(
    config: LoopConfig,
    run_dir: Path,
    ledger: Ledger,
    problems: RunProblems,
    *,
    final_model: str,
    iterations: int | None = None,
    stopped: str | None = None,
) -> LoopSummary:
    """The summary and report of the `iterations` trained iterations (default: all of the
    config's); `stopped` says why a run ended before the config's last iteration."""
    done = config.iterations if iterations is None else iterations
    results = [read_iteration(run_dir, i, ledger) for i in range(done + 1)]
    summary = summarize_run(config, run_dir, ledger, problems, results, final_model, stopped)
    data = ReportData(
        title=f"reasonloop: {config.model} on {summary.task}",
        model=config.model,
        task=summary.task,
        iterations=[with_generator_levels(run_dir, r, problems.test) for r in results],
        examples=read_examples(run_dir, config, {p.id: p for p in problems.test}, done),
        error_types=[row for i in range(1, done + 1) for row in read_error_types(run_dir, i)],
        bstar=read_bstar_rows(run_dir, done) if config.sampling.temperature == "auto" else [],
        summary=summary.to_dict(),
        config=config.to_dict(),
    )
    write_report_data(data, run_dir / REPORT_DATA_FILE)
    render_report(data, run_dir / REPORT)
    write_summary(summary, run_dir)
    return summary


@dataclass(frozen=True)
class RunProblems:
    """The run's training and held-out problems (train.jsonl, test.jsonl)."""

    train: list[Problem]
    test: list[Problem]


def summarize_run(
    config: LoopConfig,
    run_dir: Path,
    ledger: Ledger,
    problems: RunProblems,
    results: list[IterationResult],
    final_model: str,
    stopped: str | None,
) -> LoopSummary:
    """The summary of the iterations in `results` (the baseline first)."""
    baseline, final = results[0], results[-1]
    dirs = [run_dir / f"iter-{i}" / "eval" for i in (baseline.iteration, final.iteration)]
    return LoopSummary(
        baseline_accuracy=baseline.accuracy,
        final_accuracy=final.accuracy,
        delta_points=round(100 * (final.accuracy - baseline.accuracy), 2),
        baseline_ci=(baseline.ci_low, baseline.ci_high),
        final_ci=(final.ci_low, final.ci_high),
        accuracy_per_iteration=tuple(it.accuracy for it in results),
        baseline_permissive_accuracy=baseline.permissive_accuracy,
        final_permissive_accuracy=final.permissive_accuracy,
        significance=compare_heldout(*dirs),
        significance_sampled=compare_sampled(*dirs),
        n_test=baseline.n_test,
        n_train=ledger.read("problems", ProblemsRecord).n_train,
        iterations=final.iteration,
        wall_seconds=round(ledger.seconds(), 1),
        model=config.model,
        task=config.data or config.task,
        final_model=final_model,
        report=str(run_dir / REPORT),
        stopped=stopped,
        graders=graders_of([*problems.train, *problems.test]),
        train_start=config.train.start,
    )


def graders_of(problems: list[Problem]) -> dict[str, str]:
    """{task: grader} over every problem of the run: `verify` (reasonloop's verifier) or
    `reasoning_gym` (the generator's own `score_answer`), as `sample.graders` grades them."""
    return dict(sorted({task_of(p): grader_of(p) for p in problems}.items()))


def with_generator_levels(
    run_dir: Path, result: IterationResult, tests: list[Problem]
) -> IterationResult:
    """`result` with its held-out accuracy per generator level (reasoning-gym tasks; the
    report plots it), unchanged for test problems without levels."""
    eval_dir = run_dir / f"iter-{result.iteration}" / "eval"
    return replace(result, generator_levels=list(accuracy_by_generator_level(eval_dir, tests)))


def read_iteration(run_dir: Path, iteration: int, ledger: Ledger) -> IterationResult:
    it_dir = run_dir / f"iter-{iteration}"
    evaluation = read_heldout(it_dir / "eval")
    accuracy = evaluation.greedy.accuracy
    difficulty: dict[str, int] = {}
    losses: list[tuple[int, float]] = []
    rows = 0
    if iteration > 0:
        difficulty = read_run_profile(it_dir / PROFILE_JSON).difficulty.counts
        trained, rows = read_train_record(it_dir / "model")
        losses = trained.losses
    return IterationResult(
        iteration=iteration,
        accuracy=accuracy.value,
        ci_low=accuracy.low,
        ci_high=accuracy.high,
        n_test=accuracy.n,
        pass_at_k=evaluation.pass_at_k,
        pass_at_k_ci={
            k: (e.low, e.high)
            for k, e in (evaluation.sampled or evaluation.greedy).pass_at_k_ci.items()
        },
        difficulty_counts=difficulty,
        status_counts=dict(evaluation.greedy.status_counts),
        train_losses=losses,
        n_train_rows=rows,
        seconds=ledger.seconds(f"iter-{iteration}/"),
        judged=evaluation.greedy.judged,
        rationales_dropped=_rationales_dropped(ledger, iteration),
        permissive_accuracy=(
            None
            if evaluation.greedy.permissive_accuracy is None
            else evaluation.greedy.permissive_accuracy.value
        ),
        error_types={row.type: row.count for row in read_error_types(run_dir, iteration)},
    )


def _rationales_dropped(ledger: Ledger, iteration: int) -> int:
    """Verified rationales the sample stage dropped (0 where it drew none)."""
    sampled = ledger.find(f"iter-{iteration}/sample", SampleRecord)
    return 0 if sampled is None else sampled.rationales_dropped or 0


def read_error_types(run_dir: Path, iteration: int) -> list[ErrorTypeRow]:
    """The error types `synthesize` found in an iteration, one example each (none if off)."""
    table = read_error_table(run_dir / f"iter-{iteration}" / "synth")
    return [
        ErrorTypeRow(
            iteration=iteration,
            type=row.type,
            count=row.count,
            keyphrases=list(row.keyphrases),
            question=row.examples[0].question,
            gold=row.examples[0].gold,
            wrong_answer=row.examples[0].wrong_answer,
        )
        for row in table
        if row.examples
    ]


def read_examples(
    run_dir: Path, config: LoopConfig, test: dict[str, Problem], iterations: int
) -> list[ExampleRow]:
    """The greedy held-out answers of the first `eval.examples` test problems, per iteration."""
    chosen = sorted(test)[: config.eval.examples]
    examples: list[ExampleRow] = []
    for iteration in range(iterations + 1):
        with RunStore.open_existing(run_dir / f"iter-{iteration}" / "eval" / "greedy") as store:
            by_problem = store.samples_by_problem()
        for pid in chosen:
            for sample in by_problem.get(pid, [])[:1]:
                problem = test[pid]
                examples.append(
                    ExampleRow(
                        iteration,
                        pid,
                        problem.question,
                        problem.gold,
                        sample.response,
                        sample.answer,
                        sample.status.value,
                        sample.correct,
                    )
                )
    return examples
