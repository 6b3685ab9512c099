"""First-pit per-step DPO pairs (Setlur et al., 2024): a correct response to a problem (chosen)
against a wrong response cut after its first pit (rejected), the step where its value
collapses (`steps.pits`).

Rejecting the prefix through the pit, not the whole wrong response, puts the preference on the
step that lost the answer instead of spreading it over the steps before it that were fine
(their values stood high) and the steps after it that no longer mattered.

Rows are TRL's conversational preference format (`prompt`, `chosen`, `rejected`), each with its
step values beside it for inspection (`values`: hard, `soft_values`, `pit_step`). TRL closes the
rejected assistant turn with the chat template's end of turn, so the pair also says "do not stop
after the pit"; a response that stops there is no better, so that costs nothing.

Wrong responses that make no pair are counted by reason: those of `steps.pits.NO_PIT_REASONS`,
`no_correct_response` (the problem has no correct, untruncated response to pair with) and
`over_the_cap` (`max_pairs_per_problem` was spent on the problem's other wrong responses) and
`prefix_of_a_correct_response`: the prefix through the pit is how a correct response to the
problem begins, so the answer was not lost there (with few rollouts a good prefix can draw
none that reach the gold), and rejecting it would push down the chosen side's own start. The
embedded model showed it at once: `4 + 6 = 10` with a wrong line after it valued 0 at K=2,
beside a correct response reading `4 + 6 = 10`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reasonloop.dataset.dpo import rotate_pairs
from reasonloop.dataset.pool import (
    ResponsePool,
    assistant_turn,
    copy_prompt,
    normalize_response,
    pool_responses,
)
from reasonloop.errors import ConfigError, DataError
from reasonloop.sample.record import GradedSample
from reasonloop.steps.pits import FirstPit, find_first_pit
from reasonloop.steps.values import ValuedSample
from reasonloop.tasks.problem import Problem

ValueKind = Literal["hard", "soft"]
VALUE_KINDS: tuple[ValueKind, ...] = ("hard", "soft")


@dataclass(frozen=True)
class StepPairs:
    """The pairs, and the wrong responses that made none, counted by reason."""

    rows: list[dict[str, Any]]
    skipped: dict[str, int]
    n_wrong: int

    def summary(self) -> dict[str, Any]:
        """What the build made and left out, for a JSON summary beside the rows."""
        paired = len({(row["problem_id"], row["sample_index"]) for row in self.rows})
        return {
            "pairs": len(self.rows),
            "wrong_responses": self.n_wrong,
            "paired_wrong_responses": paired,
            "skipped": dict(sorted(self.skipped.items())),
        }


@dataclass(frozen=True)
class _Rejected:
    sample: GradedSample
    valued: ValuedSample
    pit: int

    @property
    def prefix(self) -> str:
        """The response through the pit, without the white space after it."""
        return self.sample.response[: self.valued.steps[self.pit].end].rstrip()


def build_step_dpo_pairs(
    problems: Sequence[Problem],
    samples_by_problem: Mapping[str, Sequence[GradedSample]],
    valued: Sequence[ValuedSample],
    *,
    value: ValueKind = "hard",
    max_pairs_per_problem: int | None = 4,
    seed: int = 0,
) -> StepPairs:
    """Pairs of a correct response and a wrong response's prefix through its first pit, by
    `value` ("hard": Best-of-K values, as the paper; "soft": the share of correct rollouts)."""
    if value not in VALUE_KINDS:
        raise ConfigError(f"value must be one of {', '.join(VALUE_KINDS)}, got {value!r}")
    if max_pairs_per_problem is not None and max_pairs_per_problem < 1:
        raise ConfigError(f"max_pairs_per_problem must be at least 1, got {max_pairs_per_problem}")
    by_key = {(v.problem_id, v.sample_index): v for v in valued}
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    skipped: Counter[str] = Counter()
    n_wrong = 0
    for problem in problems:
        samples = samples_by_problem.get(problem.id, ())
        pool = pool_responses(problem.id, samples)
        if pool is None:
            continue
        n_wrong += len(pool.wrong)
        start = problem_value(samples, value)
        starts = [normalize_response(s.response) for s in pool.correct]
        rejected = []
        for sample in pool.wrong:
            pit = _first_pit(sample, by_key.get((problem.id, sample.sample_index)), value, start)
            if pit.index is None:
                skipped[pit.reason] += 1
                continue
            item = _Rejected(sample, by_key[problem.id, sample.sample_index], pit.index)
            if begins_a_correct_response(item.prefix, starts):
                skipped["prefix_of_a_correct_response"] += 1
            else:
                rejected.append(item)
        if rejected and not pool.correct:
            skipped["no_correct_response"] += len(rejected)
            continue
        pairs = _pair(pool, rejected, max_pairs_per_problem, rng)
        unpaired = len(rejected) - len({r.sample.sample_index for _, r in pairs})
        if unpaired:
            skipped["over_the_cap"] += unpaired
        rows += [pair_row(chosen, item) for chosen, item in pairs]
    return StepPairs(rows, dict(skipped), n_wrong)


def begins_a_correct_response(prefix: str, correct: Sequence[str]) -> bool:
    """Whether one of the `correct` responses (whitespace-normalised) begins with the whole
    steps of `prefix`.

    >>> begins_a_correct_response("4 + 6 = 10", ["4 + 6 = 10 The answer is 10."])
    True
    >>> begins_a_correct_response("4 + 6 = 10", ["4 + 6 = 100 - 90 = 10."])
    False
    """
    start = normalize_response(prefix)
    return any(text == start or text.startswith(start + " ") for text in correct)


def problem_value(samples: Sequence[GradedSample], value: ValueKind) -> float | None:
    """The problem's value before any step, from the run's own samples of it: any correct
    (hard) or the share correct (soft); None without samples.

    >>> from reasonloop.verify.verdict import Status
    >>> def s(ok): return GradedSample("p", 0, [], "x", ok, Status.CORRECT, "1", 1, 1, "stop", 0)
    >>> problem_value([s(True), s(False)], "hard"), problem_value([s(True), s(False)], "soft")
    (1.0, 0.5)
    """
    if not samples:
        return None
    correct = sum(s.correct for s in samples)
    return float(correct > 0) if value == "hard" else correct / len(samples)


def _first_pit(
    sample: GradedSample, valued: ValuedSample | None, value: ValueKind, start: float | None
) -> FirstPit:
    if valued is None:
        return FirstPit(None, "not_valued")
    if valued.steps[-1].end != len(sample.response):
        raise DataError(
            f"the values of {sample.problem_id} #{sample.sample_index} are not of its stored "
            "response; run `reasonloop values` on this run again"
        )
    return find_first_pit(valued.values(value), start)


def _pair(
    pool: ResponsePool, rejected: Sequence[_Rejected], cap: int | None, rng: random.Random
) -> list[tuple[GradedSample, _Rejected]]:
    """Each pit prefix with a correct response, rotating through both so each is reused as
    evenly as possible (chosen in seeded-random order)."""
    if not rejected:
        return []
    chosen = list(pool.correct)
    rng.shuffle(chosen)
    total = len(chosen) * len(rejected)
    count = total if cap is None else min(cap, total)
    # rejected-major rotation: every pit prefix gets a pair before any gets a second
    return [(chosen[b], rejected[a]) for a, b in rotate_pairs(len(rejected), len(chosen), count)]


def pair_row(chosen: GradedSample, item: _Rejected) -> dict[str, Any]:
    """One TRL preference row with its values beside it."""
    return {
        "prompt": copy_prompt(chosen.prompt),
        "chosen": assistant_turn(chosen.response),
        "rejected": assistant_turn(item.prefix),
        "problem_id": item.sample.problem_id,
        "sample_index": item.sample.sample_index,
        "chosen_sample_index": chosen.sample_index,
        "pit_step": item.pit,
        "n_steps": len(item.valued.steps),
        "values": item.valued.values("hard"),
        "soft_values": item.valued.values("soft"),
    }
