"""A model judge on the ray executor: actors holding the judge grade exactly as it does locally."""

from __future__ import annotations

import pickle
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplerError, SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import SampleSummary, sample_problems
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks.problem import Problem
from reasonloop.verify.judge import JudgeCache, JudgeError, JudgeRequest, ModelJudge
from verify.judge import judges

pytestmark = pytest.mark.ray

ROMAN = {12: "XII", 14: "XIV", 16: "XVI", 18: "XVIII", 20: "XX", 22: "XXII"}
PROBLEMS = [Problem(f"p{i}", f"What is {i} + 12?", str(i + 12)) for i in range(11)]
# A model that writes half of its answers in Roman numerals (22 wrongly as XXI), which the
# rule cannot compare with a number, so the judge decides them; the rule decides the rest.
WRITTEN = {**ROMAN, 22: "XXI"}
ANSWERS = {p.question: WRITTEN.get(int(p.gold), p.gold) for p in PROBLEMS}
SPEC = SamplerSpec("fake", "oracle", {"answers": ANSWERS, "accuracy": 0.7})
PARAMS = SamplingParams(max_new_tokens=64, temperature=0.8, seed=2)
ON_RAY = ExecutorConfig("ray", cpus_per_actor=0.5)


def roman_reply(gold: str, answer: str) -> str:
    """A judge that knows its Roman numerals (and says no to the control gold, gold + 1)."""
    return "Yes" if ROMAN.get(int(gold)) == answer else "No"


def failing_reply(gold: str, answer: str) -> str:
    if gold == "12":
        raise SamplerError("the judge server went away")
    return roman_reply(gold, answer)


@pytest.fixture(autouse=True)
def judges_travel_by_value() -> Iterator[None]:
    """The scripted judges live in test modules that Ray's workers cannot import: send them."""
    from ray import cloudpickle

    modules = [judges, sys.modules[__name__]]
    for module in modules:
        cloudpickle.register_pickle_by_value(module)
    try:
        yield
    finally:
        for module in modules:
            cloudpickle.unregister_pickle_by_value(module)


def draw(
    run_dir: Path, judge: ModelJudge, executor: ExecutorConfig | None
) -> tuple[SampleSummary, list[tuple[Any, ...]]]:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        try:
            settings = DrawSettings(
                DEFAULT_TEMPLATE, batch_size=4, grade_workers=0, judge=judge,
                runner=batch_runner(executor, SPEC),
            )  # fmt: skip
            summary = sample_problems(PROBLEMS, SPEC.load(), PARAMS, store, k=3, settings=settings)
        finally:
            samples = sorted(
                (s.problem_id, s.sample_index, s.response, s.correct, s.status, s.reason,
                 s.decided_by)
                for s in store.samples()
            )  # fmt: skip
    return summary, samples


def test_the_judge_grades_on_ray_as_it_does_locally(ray_cluster: Any, tmp_path: Path) -> None:
    local_summary, local = draw(tmp_path / "local", roman_judge(), None)
    cache = JudgeCache(tmp_path / "judge-cache.sqlite")
    summary, on_ray = draw(tmp_path / "ray", roman_judge(cache), ON_RAY)
    assert on_ray == local
    assert summary.n_judged == local_summary.n_judged > 0
    assert summary.n_correct == local_summary.n_correct
    by_judge = {(correct, decided_by) for _, _, _, correct, _, _, decided_by in on_ray}
    assert by_judge == {(True, "judge"), (False, "judge"), (True, "rule"), (False, "rule")}
    # The actors kept the judge's decisions in the cache the driver named.
    assert len(cache) > 0


def test_a_judge_that_dies_on_ray_stops_the_run_with_its_own_error(
    ray_cluster: Any, tmp_path: Path
) -> None:
    failing = ModelJudge(judges.ScriptedJudge(failing_reply), identity="failing-judge")
    with pytest.raises(JudgeError, match="the judge failing-judge could not answer"):
        draw(tmp_path / "ray", failing, ON_RAY)
    with RunStore.open_existing(tmp_path / "ray") as store:
        kept = {s.problem_id for s in store.samples()}
    assert "p0" not in kept  # gold 12: its batch was never written


def roman_judge(cache: JudgeCache | None = None) -> ModelJudge:
    return ModelJudge(judges.ScriptedJudge(roman_reply), identity="roman-judge", cache=cache)


def test_ray_verify_with_a_judge_writes_the_hybrid_verdicts(
    ray_cluster: Any, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from reasonloop.scale.ray_verify import TableGrading, verify_file_on_ray
    from reasonloop.verify.judge import HybridVerifier

    rows = [
        {"question": p.question, "gold": p.gold, "response": f"The answer is {answer}."}
        for p in PROBLEMS
        for answer in (WRITTEN.get(int(p.gold), p.gold), "XXI", int(p.gold) + 1)
    ]
    source = tmp_path / "pairs.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    out = tmp_path / "graded.parquet"
    grading = TableGrading("gold", "response", mode="default", timeout=1.0, workers=0)
    statuses, n_rows = verify_file_on_ray(
        str(source), out, ON_RAY, grading, progress=False, judge=roman_judge()
    )
    pairs = [(row["response"], row["gold"]) for row in rows]
    hybrid = HybridVerifier(roman_judge(), workers=0)
    expected = hybrid.verify_batch(pairs, [row["question"] for row in rows])
    graded = pq.read_table(out).to_pylist()
    fields = ("correct", "status", "answer", "reason", "decided_by")
    assert [[r[f] for f in fields] for r in graded] == [
        [getattr(v, f) if f != "status" else v.status.value for f in fields] for v in expected
    ]
    assert n_rows == len(rows) and statuses["judge"] == sum(
        v.decided_by == "judge" for v in expected
    )
    assert {v.correct for v in expected if v.decided_by == "judge"} == {True, False}


def test_cli_sample_and_verify_take_a_judge_on_ray(
    ray_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reasonloop.cli.main import main

    judge = ["--judge", "fake:echo", "--judge-cache", str(tmp_path / "cache.sqlite")]
    ray = ["--executor", "ray", "--ray-cpus-per-actor", "0.5", "--no-progress"]
    args = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic", "--limit", "3"]
    assert main([*args, "-k", "2", "--out", str(tmp_path / "run"), *ray, *judge]) == 0
    assert "graded by the judge (the rule could not decide): 0" in capsys.readouterr().out
    source = tmp_path / "pairs.jsonl"
    source.write_text('{"gold": "12", "response": "The answer is XII."}\n', encoding="utf-8")
    assert main(["verify", str(source), "--executor", "ray", "--no-progress", *judge]) == 0
    # An echoing judge never says a clear yes or no: the rule's verdict stands.
    assert "decided by the judge: 0 of 1" in capsys.readouterr().out
    assert len(JudgeCache(tmp_path / "cache.sqlite")) == 2  # the answer and its control


class LockedEcho(FakeSampler):
    """An echoing judge model that, like a CTranslate2 engine, cannot be pickled."""

    def __init__(self) -> None:
        super().__init__("echo")
        self.lock = threading.Lock()


def test_a_judge_used_here_travels_as_its_recipe_not_its_loaded_model() -> None:
    judge = ModelJudge(LockedEcho, identity="locked-echo")
    request = [JudgeRequest("12", "XII")]
    assert judge.decide(request)[0].decision == "undecided"  # loaded here, on first use
    again = pickle.loads(pickle.dumps(judge))  # what a grading actor receives
    assert again.decide(request) == judge.decide(request)
    assert (again.model_calls, again.identity) == (1, judge.identity)
