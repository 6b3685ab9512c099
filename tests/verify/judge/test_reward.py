"""The hybrid reward keeps TRL's reward signature and counts what the judge decided."""

from __future__ import annotations

from judges import ScriptedJudge, always

from reasonloop.rewards import HybridMathReward, math_reward
from reasonloop.verify.judge import ModelJudge


def test_hybrid_reward_matches_math_reward_where_the_rule_decides() -> None:
    completions = ["so \\boxed{4}", "#### 5", "I give up", "\\boxed{<b>4</b>}"]
    golds = ["4", "4", "4", "4"]
    judge = always("Yes")
    reward = HybridMathReward(ModelJudge(judge, identity="yes"))
    assert reward(completions, golds) == math_reward(completions, golds) == [1.0, 0.0, 0.0, 0.0]
    assert reward.__name__ == "hybrid_math_reward" and reward.judged == 0 and judge.asked == []


def test_hybrid_reward_asks_the_judge_with_the_question_column() -> None:
    sampler = ScriptedJudge(lambda gold, answer: "Yes" if (gold, answer) == ("12", "XII") else "No")
    judge = ModelJudge(sampler, identity="roman", template="with-question")
    reward = HybridMathReward(judge)
    completions = [
        [{"role": "assistant", "content": "In Roman numerals: \\boxed{XII}"}],
        [{"role": "assistant", "content": "In Roman numerals: \\boxed{XIII}"}],
        [{"role": "assistant", "content": "\\boxed{1}"}],
    ]
    golds = ["12", "12", ""]
    rewards = reward(completions, golds, question=["7 + 5?", "7 + 5?", "?"], prompts=["a"] * 3)
    assert rewards == [1.0, 0.0, None]
    assert reward.judged == 2 and sorted(sampler.asked)[:2] == [("12", "XII"), ("12", "XIII")]
