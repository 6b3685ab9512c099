"""Reward functions with TRL's signature, built on the verifier.

`math_reward(completions, solution, **kwargs) -> list[float | None]`: 1.0 for a correct final
answer, 0.0 otherwise, None where the gold cannot be parsed (TRL skips None rewards). Each
completion is graded as sampling grades it: by reasonloop's verifier, or, for a reasoning-gym
task whose answers are not numbers, by the generator's own `score_answer` (in a killable worker,
`sample/graders.py`); the rows say which through their `gym_problem` column (`GYM_COLUMN`).
`HybridMathReward(judge)` is the same reward with a model judge behind the rule.
`compute_score(data_source, solution_str, ground_truth, extra_info)` is the same grading in
verl's custom reward signature, for the verl parquet `reasonloop build verl` writes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reasonloop.errors import DataError
from reasonloop.tasks.problem import Problem
from reasonloop.verify import Status, Verdict, verify, verify_batch

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


GYM_COLUMN = "gym_problem"  # a row's problem as JSON where reasoning-gym grades it, else ""


def math_reward(
    completions: Sequence[Any],
    solution: Sequence[str],
    gym_problem: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[float | None]:
    """Grade completions (strings, or conversations whose last assistant turn is graded).

    `gym_problem` (TRL passes the rows' column of that name) holds, per row, the problem as
    JSON where reasoning-gym's scorer grades it and "" where the verifier does.

    >>> math_reward(["so the answer is $\\\\boxed{4}$"], ["4"])
    [1.0]
    """
    pairs = _reward_pairs("math_reward", completions, solution)
    if not gym_problem or not any(gym_problem):
        return to_rewards(verify_batch(pairs))
    from reasonloop.sample.graders import grade_responses

    problems = [
        _graded_problem(gold, text) for (_, gold), text in zip(pairs, gym_problem, strict=True)
    ]
    return to_rewards(grade_responses([response for response, _ in pairs], problems))


def gym_problem_column(problem: Problem) -> str:
    """The `gym_problem` cell of a row for `problem`: its JSON where reasoning-gym's scorer
    grades it, "" where the verifier does (the gold in `solution` is all it needs)."""
    from reasonloop.sample.graders import GYM_GRADER, grader_of

    if grader_of(problem) != GYM_GRADER:
        return ""
    return json.dumps(problem.to_dict(), ensure_ascii=False)


def _graded_problem(gold: str, gym_text: str) -> Problem:
    if not gym_text:  # graded by the verifier: a problem without a grader
        return Problem("reward", "", gold)
    try:
        return Problem.from_dict(json.loads(gym_text))
    except (ValueError, KeyError, TypeError) as error:
        raise DataError(
            f"a {GYM_COLUMN} cell is not a problem's JSON ({error}); rebuild the GRPO rows "
            "with `reasonloop build grpo`"
        ) from error


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: str,
    extra_info: Mapping[str, Any] | None = None,
    **kwargs: Any,
) -> float:
    """verl's custom reward function: 1.0 for a correct final answer, else 0.0.

    Point verl at it with `custom_reward_function.path=<this file>` and
    `custom_reward_function.name=compute_score`; the gold comes from the rows'
    `reward_model.ground_truth`. verl needs a number, so an unparseable gold scores 0.0 too.

    A reasoning-gym task graded by its own scorer carries its problem under
    `extra_info["gym_problem"]`, as the TRL rows do.

    >>> compute_score("reasonloop/arithmetic", "47 + 38 = 85. The answer is 85.", "85")
    1.0
    """
    gym_text = str((extra_info or {}).get(GYM_COLUMN) or "")
    if gym_text:
        return float(math_reward([solution_str], [ground_truth], [gym_text])[0] or 0.0)
    return 1.0 if verify(solution_str, ground_truth).correct else 0.0


class HybridMathReward:
    """`math_reward` with a model judge asked where the rule cannot decide (TRL's signature).

    A dataset column `question` (passed by TRL as a keyword) is shown to judges whose template
    uses it. `judged` counts the rewards the judge decided so far.
    """

    __name__ = "hybrid_math_reward"  # TRL logs rewards under their function's name

    def __init__(self, judge: ModelJudge, *, mode: str = "default") -> None:
        self.judge = judge
        self.mode = mode
        self.judged = 0

    def __call__(
        self, completions: Sequence[Any], solution: Sequence[str], **kwargs: Any
    ) -> list[float | None]:
        from reasonloop.verify.judge import apply_judge

        pairs = _reward_pairs(self.__name__, completions, solution)
        question = kwargs.get("question")
        questions = [str(q) for q in question] if isinstance(question, list) else None
        rule = verify_batch(pairs, mode=self.mode)
        verdicts = apply_judge(pairs, rule, self.judge, questions=questions, mode=self.mode)
        self.judged += sum(v.decided_by == "judge" for v in verdicts)
        return to_rewards(verdicts)


def _reward_pairs(
    name: str, completions: Sequence[Any], solution: Sequence[str]
) -> list[tuple[str, str]]:
    if len(completions) != len(solution):
        raise ValueError(f"{name} got {len(completions)} completions but {len(solution)} solutions")
    return [(completion_text(c), str(s)) for c, s in zip(completions, solution, strict=True)]


def to_rewards(verdicts: Sequence[Verdict]) -> list[float | None]:
    """1.0 / 0.0 per verdict; None where the gold could not be read and no judge decided."""
    return [
        None if v.status is Status.UNPARSEABLE_GOLD and v.decided_by == "rule" else float(v.correct)
        for v in verdicts
    ]


def completion_text(completion: Any) -> str:
    """The text of a completion: a string, or the last assistant message's content."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        return _content_text(completion.get("content", ""))
    if isinstance(completion, Sequence):
        for message in reversed(completion):
            if isinstance(message, dict) and message.get("role", "assistant") == "assistant":
                return _content_text(message.get("content", ""))
    return ""


def _content_text(content: Any) -> str:
    """Message content is a string or a list of typed parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""
