"""How far a reward can be trusted: RewardMATH's one-correct-vs-many ranking (rm-eval).

- `sets`: per problem, correct and incorrect responses from a labelled file or a run.
- `rewards`: reference-free rewards by name (`random`, `length`, `logprob`, `judge`, `orm`).
- `scoring`: score responses, cached on disk by content; failures counted, never lost.
- `metrics`: accuracy, reciprocal rank, pairwise accuracy; exact random baselines.
- `measure`: `rm_eval(rm_set, reward)` -> `RMEvalReport`. `outputs`: CSV and plots.
"""

from reasonloop.evaluate.rm.measure import RMEvalReport, rm_eval
from reasonloop.evaluate.rm.metrics import (
    measure_problem,
    random_accuracy,
    random_reciprocal_rank,
)
from reasonloop.evaluate.rm.rewards import REWARDS, load_reward
from reasonloop.evaluate.rm.scoring import ScoreCache, ScoreRequest, score_responses
from reasonloop.evaluate.rm.sets import RMProblem, RMSet, load_rm_set

__all__ = [
    "REWARDS",
    "RMEvalReport",
    "RMProblem",
    "RMSet",
    "ScoreCache",
    "ScoreRequest",
    "load_reward",
    "load_rm_set",
    "measure_problem",
    "random_accuracy",
    "random_reciprocal_rank",
    "rm_eval",
    "score_responses",
]
