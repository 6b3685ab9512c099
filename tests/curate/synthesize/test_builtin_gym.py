"""The builtin SEI instructor on reasoning-gym tasks: errors typed by task and generator level,
new problems drawn from the same generator at the failing level, graded by the task's grader,
checked for exact copies (a generator's questions all look alike to ROUGE-L)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.curate.synthesize.builtin import BuiltinInstructor
from reasonloop.curate.synthesize.filters import NoveltyFilter
from reasonloop.curate.synthesize.instructor import SynthesisRequest
from reasonloop.curate.synthesize.records import BadCase, ErrorType
from reasonloop.files import read_jsonl
from reasonloop.tasks.gym import generate_gym_problems

pytest.importorskip("reasoning_gym")

TASK = "rg:word_sorting?min_words=3&max_words=6"


def bad_case(problem: object) -> BadCase:
    return BadCase(problem, "hard", 0.25, ("<answer>x</answer>",), ("x",))  # type: ignore[arg-type]


@pytest.mark.parametrize("spec", [TASK, "rg:chain_sum?max_terms=5"])
def test_draws_new_items_of_the_same_generator_at_the_failing_level(spec: str) -> None:
    seeds = generate_gym_problems(spec, 12)
    seed = next(p for p in seeds if p.meta["difficulty_level"] >= 3)
    instructor = BuiltinInstructor(seed=0)
    (finding,) = instructor.findings(bad_case(seed)) or []
    assert finding.type == f"{seed.meta['rg_task']} level {seed.meta['difficulty_level']}"
    request = SynthesisRequest(ErrorType(finding.type, ()), (bad_case(seed),), (), 4, attempt=0)
    made = instructor.synthesize(request)
    assert len(made) == 4 and len({p.question for p in made}) == 4
    questions = {p.question for p in seeds}
    for problem in made:
        assert problem.question not in questions  # another seed's stream
        assert problem.meta["difficulty_level"] == seed.meta["difficulty_level"]
        assert problem.meta["rg_options"] == seed.meta["rg_options"]
        assert problem.meta["grader"] == seed.meta["grader"]
    again = instructor.synthesize(request)
    assert [p.question for p in again] == [p.question for p in made]  # deterministic
    later = instructor.synthesize(SynthesisRequest(request.error_type, request.examples, (), 4, 1))
    assert not {p.question for p in later} & {p.question for p in made}  # a new attempt


def test_generated_problems_are_checked_for_exact_copies_not_rouge() -> None:
    problems = generate_gym_problems(TASK, 4)
    seeds, tests = [problems[0].question], [problems[1].question]
    request = SynthesisRequest(ErrorType("t", ()), (bad_case(problems[2]),), (), 3, attempt=0)
    made = BuiltinInstructor().synthesize(request)
    novelty = NoveltyFilter.from_texts(seeds, tests)
    assert [novelty.offer(p) for p in made] == [True, True, True]  # all ROUGE-L > 0.7 alike
    copy = type(made[0])(**{**made[0].to_dict(), "question": tests[0], "id": "c"})
    assert novelty.reason_to_drop(copy) == "near-duplicate of a test problem"
    wrong = type(made[0])(**{**made[0].to_dict(), "solution": "The answer is nope."})
    assert novelty.reason_to_drop(wrong) == "solution does not reach its answer"


def test_synthesize_cli_on_an_rg_run(tmp_path: Path) -> None:
    answers = {p.question: p.gold for p in generate_gym_problems(TASK, 16)}
    run, out = tmp_path / "run", tmp_path / "synth"
    sample = ["sample", "--model", "fake:oracle", "--task", TASK, "--limit", "16", "-k", "4"]
    options = ["--backend-option", "answers=" + json.dumps(answers)]
    options += ["--backend-option", "accuracy=0.3"]
    assert main([*sample, *options, "--out", str(run), "--no-progress"]) == 0
    test_spec = TASK + "&seed=1"
    synth = ["synthesize", str(run), "--instructor", "builtin", "--budget", "4"]
    assert main([*synth, "-o", str(out), "--test", test_spec, "--no-progress"]) == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["accepted"] == 4 and summary["gradable_share"] == 1.0
    assert all(name.startswith("word_sorting level ") for name in summary["quotas"])
    for row in read_jsonl(out / "synthesized.jsonl"):
        assert row["solution"] == f"The answer is {row['answer']}."
        assert row["meta"]["rg_task"] == "word_sorting" and row["meta"]["instructor"] == "builtin"
