"""Which synthesized problems may be kept: gradable, and not a near-copy of a known problem.

Rules (SEI's, with its 0.7 threshold):

- the stated answer must be a gold the verifier can read, and the worked solution must reach
  it (the solution graded against the answer is correct); otherwise the problem cannot be
  graded or would teach a wrong solution;
- a question whose ROUGE-L F against a seed (bad case), a test problem, or an already accepted
  synthesized problem exceeds the threshold is dropped. The test-set check is what keeps
  synthesis from leaking held-out problems into training data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from reasonloop.curate.synthesize.records import SynthesizedProblem
from reasonloop.curate.synthesize.rouge import RougeIndex
from reasonloop.verify import Status, verify

ROUGE_THRESHOLD = 0.7

# Drop reasons, as counted in the synthesis summary.
UNGRADABLE = "answer the verifier cannot read"
WRONG_SOLUTION = "solution does not reach its answer"
NEAR_SEED = "near-duplicate of a bad case"
NEAR_TEST = "near-duplicate of a test problem"
NEAR_ACCEPTED = "near-duplicate of an accepted problem"


def check_gradable(problem: SynthesizedProblem) -> str | None:
    """None when the verifier reads the answer and the solution reaches it, else the reason.

    >>> ok = SynthesizedProblem("s1", "t", "What is 2 + 3?", "2 + 3 = 5. The answer is 5.", "5", {})
    >>> check_gradable(ok) is None
    True
    """
    verdict = verify(problem.solution, problem.answer)
    if verdict.status in (Status.UNPARSEABLE_GOLD, Status.TIMEOUT):
        return UNGRADABLE
    if not verdict.correct:
        return WRONG_SOLUTION
    return None


@dataclass
class NoveltyFilter:
    """The ROUGE-L checks against seeds, the test set and accepted problems, with drop counts.

    Stateful on purpose: every accepted problem joins the references the next one is checked
    against, as in self-instruct.
    """

    seeds: RougeIndex
    tests: RougeIndex
    threshold: float = ROUGE_THRESHOLD
    accepted: RougeIndex = field(default_factory=RougeIndex)
    dropped: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_texts(
        cls, seeds: Sequence[str], tests: Sequence[str], threshold: float = ROUGE_THRESHOLD
    ) -> NoveltyFilter:
        return cls(RougeIndex(seeds), RougeIndex(tests), threshold)

    def reason_to_drop(self, problem: SynthesizedProblem) -> str | None:
        """Why `problem` must be dropped, or None (this does not accept it)."""
        ungradable = check_gradable(problem)
        if ungradable is not None:
            return ungradable
        for index, reason in (
            (self.tests, NEAR_TEST),
            (self.seeds, NEAR_SEED),
            (self.accepted, NEAR_ACCEPTED),
        ):
            if index.nearest_above(problem.question, self.threshold) is not None:
                return reason
        return None

    def offer(self, problem: SynthesizedProblem) -> bool:
        """Accept `problem` when it passes (it then becomes a reference); count a drop if not."""
        reason = self.reason_to_drop(problem)
        if reason is not None:
            self.dropped[reason] += 1
            return False
        self.accepted.add(problem.question)
        return True
