"""The methods the learning benchmark compares, as loop settings at one shared budget.

Every method runs one iteration of `reasonloop.loop` from the same base model on the same
training and held-out problems, and differs from plain self-training (RFT) only in the loop
settings below. The budget is the same for all of them:

- sampling compute: about `k x n_train` responses of up to `max_new_tokens` each. A method
  that spends part of it elsewhere draws that much less plainly: STaR draws k - 2 per problem
  and gives the rest to hinted samples of the unsolved problems (4 each: with a third to a half
  of the problems unsolved that is 1.3 to 2 extra per problem); DAST-P draws k - 2 and
  resamples n_train more at twice the token budget, mostly for the hard problems (the same
  token ceiling). Generated tokens are counted from the run stores and shown beside each
  result, so what was really spent is in the table, not only what was planned;
- training: the same TRL SFT settings and the same number of optimizer steps (`max_steps`),
  however many rows a method keeps (a selection trains on fewer rows for more epochs).

Step-DPO (first-pit pairs from step values; SFT on the correct samples, then DPO) counts its
rollouts as samples; B-STaR its temperature sweep on a dev subset. A method whose code has not
landed has a row with `missing` saying so; the bench refuses to run it rather than run
something else under its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reasonloop.tasks import Problem


@dataclass(frozen=True)
class Budget:
    """What every method of one cell gets (the same for all methods of a table)."""

    n_train: int = 48
    n_test: int = 210  # the loop drops held-out questions that are training questions
    k: int = 8
    max_new_tokens: int = 96
    steps: int = 24
    batch_size: int = 8
    learning_rate: float = 5e-5

    def shared_overrides(self) -> dict[str, Any]:
        """Loop settings every method starts from: one iteration, plain sampling."""
        return {
            "n_train": self.n_train,
            "n_test": self.n_test,
            "iterations": 1,
            "sampling.k": self.k,
            "sampling.rationalize": 0,
            "sampling.max_new_tokens": self.max_new_tokens,
            "sampling.batch_size": 64,
            "eval.max_new_tokens": self.max_new_tokens,
            "eval.batch_size": 64,
            "train.options": {
                "max_steps": self.steps,
                "batch_size": self.batch_size,
                "learning_rate": self.learning_rate,
                "max_length": 512,  # reasoning-gym questions carry their format instructions
            },
            "backend.options": {"num_threads": 1},
        }


@dataclass(frozen=True)
class Method:
    """One column of the table: `overrides(budget)` are its loop settings on top of the
    shared ones; `missing` (when set) says why it cannot run yet."""

    name: str
    label: str
    overrides: Callable[[Budget], Mapping[str, Any]]
    missing: str | None = None
    # Why the method does not apply to a task's problems (None: it does), asked of one problem.
    inapplicable: Callable[[Problem], str | None] = lambda problem: None


def _rft(budget: Budget) -> dict[str, Any]:
    return {}


def _star(budget: Budget) -> dict[str, Any]:
    return {"sampling.k": budget.k - 2, "sampling.rationalize": 4}


def _dast_p(budget: Budget) -> dict[str, Any]:
    return {
        "sampling.k": budget.k - 2,
        "resample.budget": budget.n_train,
        "resample.long_factor": 2.0,
    }


def _clusterucb(budget: Budget) -> dict[str, Any]:
    # Half of the built rows, chosen by their influence on 8 training problems' rows (which
    # leave the pool); influence gradients for a fifth of the pool (the bandit's budget).
    return {
        "select.method": "clusterucb",
        "select.top": 0.5,
        "select.budget": 0.2,
        "select.val_problems": 8,
        "select.dim": 2048,
    }


def _sei(budget: Budget) -> dict[str, Any]:
    # Sized as README's walk-through: with keep=gain almost nothing beats zero-shot here.
    return {
        "synthesize.budget": 16,
        "synthesize.instructor": "builtin",
        "synthesize.keep": "top:0.5",
        "synthesize.dev_size": 8,
    }


def _sei_inapplicable(problem: Problem) -> str | None:
    """The builtin instructor explains errors only on problems whose structure it reads."""
    from reasonloop.curate.synthesize.builtin import BuiltinInstructor
    from reasonloop.curate.synthesize.records import BadCase

    case = BadCase(problem, "unsolved", 0.0, ("The answer is 0.",), ("0",))
    if BuiltinInstructor().findings(case) is None:
        return "not applicable: the builtin instructor does not read this task's problems"
    return None


def _step_dpo(budget: Budget) -> dict[str, Any]:
    # Rollouts count as samples: half the plain samples, and one rollout from the first step
    # prefix of each wrong sample (nearly all are wrong here: about the other half).
    return {
        "sampling.k": budget.k // 2,
        "train.method": "step-dpo",
        "values.k": 1,
        "values.max_steps": 1,
    }


def _b_star(budget: Budget) -> dict[str, Any]:
    # The balance score's grid: 8 dev problems x 4 samples x 4 temperatures = 128 samples,
    # taken from the plain ones (3 per problem of 48).
    grid = 8 * 4 * 4
    return {
        "sampling.k": budget.k - -(-grid // budget.n_train),
        "sampling.temperature": "auto",
        "bstar.temperatures": [0.6, 0.8, 1.0, 1.2],
        "bstar.dev_size": 8,
        "bstar.k": 4,
        "bstar.n_star": 4,
    }


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("rft", "plain self-training (RFT)", _rft),
        Method("star", "+ STaR rationalization", _star),
        Method("dast-p", "+ DAST-P resampling", _dast_p),
        Method("clusterucb", "+ budgeted selection (ClusterUCB)", _clusterucb),
        Method("sei", "+ SEI synthesis (builtin instructor)", _sei, None, _sei_inapplicable),
        Method("step-dpo", "first-pit step-DPO (step values; SFT then DPO)", _step_dpo),
        Method("b-star", "+ B-STaR (temperature by balance score)", _b_star),
    )
}
BASELINE = "rft"
