"""The hybrid verifier's cost on pairs the rule decides: rule-only vs hybrid vs Math-Verify.

    python benchmarks/judge_bench.py                       # 3000 GSM8K-style pairs, default judge
    python benchmarks/judge_bench.py --limit 1000 --judge fake:echo

GSM8K-style solutions (the verifier benchmark's `gsm8k` suite: half with the gold, half with
gold + 1) are graded three ways in this one process: the rule alone (`verify_batch`, inline),
the hybrid with a model judge (`HybridVerifier`, the judge loaded lazily), and Math-Verify on
a subset. Every pair here is one the rule decides, so the hybrid should ask its judge nothing
and run at the rule's speed; the benchmark prints how many judge calls were made and whether
the judge model was loaded at all, and the throughput ratios measured in the same run (best of
`--repeats` rounds each, so a busy neighbour process distorts the ratio less).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from reasonloop.cli._table import format_table
from reasonloop.verify import Verdict, verify_batch
from reasonloop.verify.judge import HybridVerifier, load_judge
from verifier_bench import grade_with_math_verify
from verifier_suites import SUITES, load_suite

GSM8K = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gsm8k" / "train.jsonl"


def timed(grade: Callable[[], list[Verdict]], repeats: int) -> tuple[list[Verdict], float]:
    """The verdicts and the best of `repeats` wall times (the least disturbed by neighbours)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        verdicts = grade()
        best = min(best, time.perf_counter() - start)
    return verdicts, best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=3000, help="GSM8K-style pairs")
    parser.add_argument("--math-verify-limit", type=int, default=500, help="pairs for Math-Verify")
    parser.add_argument("--judge", default="default", help="judge model ('default', fake:echo)")
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds, best kept")
    parser.add_argument("--gsm8k", type=Path, default=GSM8K, help="GSM8K train.jsonl")
    args = parser.parse_args(argv)
    assert "gsm8k" in SUITES
    cases = load_suite("gsm8k", args.limit, {"gsm8k": args.gsm8k})
    if cases is None:
        print(f"skipped: {args.gsm8k} not found")
        return 0
    pairs = [(case.response, case.gold) for case in cases]
    backend, model = ("fake", args.judge[5:]) if args.judge.startswith("fake:") else ("default", "")
    judge = load_judge(model, backend=backend, use_cache=False)
    hybrid = HybridVerifier(judge, workers=0)
    verify_batch(pairs[:10], workers=0)  # warm-up: imports and reading caches
    rule, rule_s = timed(lambda: verify_batch(pairs, workers=0), args.repeats)
    mixed, hybrid_s = timed(lambda: hybrid.verify_batch(pairs), args.repeats)
    subset = cases[: args.math_verify_limit]
    start = time.perf_counter()
    grade_with_math_verify(subset, timeout=1.0)
    peer_rate = len(subset) / (time.perf_counter() - start)
    rule_rate, hybrid_rate = len(pairs) / rule_s, len(pairs) / hybrid_s
    rows: list[list[str | int | float]] = [
        ["rule only", len(pairs), rule_rate, 1.0, rule_rate / peer_rate],
        ["hybrid", len(pairs), hybrid_rate, hybrid_rate / rule_rate, hybrid_rate / peer_rate],
        ["math-verify", len(subset), peer_rate, peer_rate / rule_rate, 1.0],
    ]
    print(format_table(["verifier", "pairs", "pairs/s", "x rule", "x math-verify"], rows, 2))
    accuracy = sum(v.correct == c.label for v, c in zip(mixed, cases, strict=True)) / len(cases)
    print(
        f"hybrid: {judge.model_calls} judge calls, judge model loaded: "
        f"{judge._sampler is not None}; same verdicts as the rule: {mixed == rule}; "
        f"accuracy {accuracy:.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
