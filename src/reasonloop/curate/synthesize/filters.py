"""Which synthesized problems may be kept: gradable, and not a near-copy of a known problem.

Rules (SEI's, with its 0.7 threshold):

- the stated answer must be a gold the verifier can read, and the worked solution must reach
  it (the solution graded against the answer is correct); otherwise the problem cannot be
  graded or would teach a wrong solution;
- a question whose ROUGE-L F against a seed (bad case), a test problem, or an already accepted
  synthesized problem exceeds the threshold is dropped. The test-set check is what keeps
  synthesis from leaking held-out problems into training data;
- a problem drawn from a task generator (reasoning-gym: `meta["rg_task"]`) is checked for an
  exact copy instead: a generator's questions share its instructions word for word (two
  word_sorting questions score above 0.7), so ROUGE-L would drop every one of them.

"Gradable" is by the problem's grader (`sample.graders`): reasonloop's verifier, or the
generator's own `score_answer` for reasoning-gym tasks whose answers are not numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from reasonloop.curate.synthesize.records import SynthesizedProblem
from reasonloop.curate.synthesize.rouge import RougeIndex
from reasonloop.verify import Status, Verdict, verify

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
    verdict = _grade(problem)
    if verdict.status in (Status.UNPARSEABLE_GOLD, Status.TIMEOUT):
        return UNGRADABLE
    if not verdict.correct:
        return WRONG_SOLUTION
    return None


def _grade(problem: SynthesizedProblem) -> Verdict:
    from reasonloop.sample.graders import GYM_GRADER, grade_with_gym, grader_of

    if grader_of(problem.as_problem()) == GYM_GRADER:
        return grade_with_gym([(problem.solution, problem.as_problem())])[0]
    return verify(problem.solution, problem.answer)


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
            if problem.meta.get("rg_task"):  # drawn from a generator: exact copies only
                if problem.question in index:
                    return reason
            elif index.nearest_above(problem.question, self.threshold) is not None:
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
