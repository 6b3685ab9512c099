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
    # More held-out problems drawn where the generator repeats questions (small numbers), so
    # that at least 200 remain once those that are training questions are dropped.
    extra_test: int = 0

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


# One operation on two 1-digit numbers (+ - * /), no negatives or brackets.
_EASY_ARITH = "max_terms=2&max_digits=1&allow_negation=false&allow_parentheses=false"
# The four tasks in equal parts, each with its options above.
_MIX = (
    "rg:mix?gcd=1&calendar_arithmetic=1&basic_arithmetic=1&products=1&gcd.max_value=100"
    "&basic_arithmetic.max_terms=2&basic_arithmetic.max_digits=1"
    "&basic_arithmetic.allow_negation=false&basic_arithmetic.allow_parentheses=false"
    "&products.max_digits=2"
)

TASKS: dict[str, BenchTask] = {
    t.name: t
    for t in (
        BenchTask("gcd", "rg:gcd?max_value=100", "number", "12.5%"),
        BenchTask("calendar", "rg:calendar_arithmetic", "weekday, count or yes/no", "10.0%"),
        BenchTask("arith", f"rg:basic_arithmetic?{_EASY_ARITH}", "number", "15.0%", 20),
        BenchTask("products", "rg:products?max_digits=2", "number", "7.5%", 20),
        BenchTask("mix", _MIX, "number or words", "not measured", 20),
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
