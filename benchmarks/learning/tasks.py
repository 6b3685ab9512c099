"""The reasoning-gym tasks of the learning benchmark, picked by measurement.

Each task is a spec for training problems; held-out problems come from the same generator
with seed `HELD_OUT_SEED` (reasonloop spaces reasoning-gym seeds a million apart, so the
held-out items share no generator state with any training seed; the loop also drops any
held-out question that is a training question). `base` is the embedded model's greedy
accuracy measured on 40 problems before the task was picked (see benchmarks/README).
"""

from __future__ import annotations

from dataclasses import dataclass

HELD_OUT_SEED = 9


@dataclass(frozen=True)
class BenchTask:
    name: str
    spec: str  # an `rg:` spec without `seed`
    answers: str  # what an answer is: "number", "words", ...
    base: str  # greedy accuracy on 40 problems when picked

    def train_spec(self, seed: int) -> str:
        return _with_seed(self.spec, seed)

    def test_spec(self) -> str:
        return _with_seed(self.spec, HELD_OUT_SEED)


def _with_seed(spec: str, seed: int) -> str:
    """`rg:gcd?max_value=100` with seed 3 -> `rg:gcd?max_value=100&seed=3`.

    >>> _with_seed("rg:gcd", 3)
    'rg:gcd?seed=3'
    """
    return f"{spec}{'&' if '?' in spec else '?'}seed={seed}"


TASKS: dict[str, BenchTask] = {
    t.name: t
    for t in (
        BenchTask("gcd", "rg:gcd?max_value=100", "number", "12.5%"),
        BenchTask("chain_sum", "rg:chain_sum?max_terms=2&max_digits=1", "number", "10.0%"),
    )
}


def find_task(name_or_spec: str) -> BenchTask:
    """A task of the table by name, or any `rg:` spec as a one-off task named by its spec."""
    if name_or_spec in TASKS:
        return TASKS[name_or_spec]
    if name_or_spec.startswith("rg:"):
        if "seed=" in name_or_spec:
            raise SystemExit(f"--task {name_or_spec}: leave out seed= (--seed sets it)")
        return BenchTask(name_or_spec, name_or_spec, "?", "not measured")
    raise SystemExit(f"unknown --task {name_or_spec!r}: one of {sorted(TASKS)} or an rg: spec")
