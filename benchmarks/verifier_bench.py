"""reasonloop's verifier against Math-Verify, side by side on the same labelled cases.

    python benchmarks/verifier_bench.py                      # every suite, default limits
    python benchmarks/verifier_bench.py --suite corpus --by-category --show-errors
    python benchmarks/verifier_bench.py --suite gsm8k-qa --limit 400 --json out.json
    python benchmarks/verifier_bench.py --suite gsm8k --verifiers reasonloop --profile 25

Suites (see verifier_suites.py): `corpus` (hand-labelled mixed LaTeX with an adversarial part),
`gsm8k` (GSM8K train solutions with the final line in the forms models use), `gsm8k-qa` (GSM8K
test solutions in few-shot "A: N", zero-shot CoT, Minerva and Llama answer styles),
`gsm8k-mgsm` (GSM8K test solutions ending with MGSM's answer phrase in ten languages), `peer`
(Math-Verify's own equivalence test cases with its labels), `samples` (hand-labelled SmolLM2
outputs drawn with `reasonloop sample`), `graders` (other graders' test tables, held out) and
`forms` (real solutions that reject a value in words, use Unicode math or name roots in prose).
The generated GSM8K suites give the gold to half the records and gold + 1 to the other half.

Both verifiers run in this process, one pair at a time, each with its own timeout handling:
reasonloop's `verify` bounds its work up front and checks a cooperative deadline (its killable
workers belong to `verify_batch`); Math-Verify uses `signal.alarm`, in whole seconds, which is
why everything here runs in the main thread. Throughput is pairs per second of that single
process; the ratio is reasonloop over Math-Verify measured in the same run, the two verifiers
taking turns in blocks of cases (so a busy shared machine slows both alike).

Time is the grading thread's CPU time by default (`--clock cpu`, `time.thread_time`): on a
shared machine with more runnable processes than cores, wall-clock latencies measure when the
scheduler ran this process, not the verifier (a 0.1 ms case reads 10-20 ms when it is
descheduled), and the p99 is all scheduler. `--clock wall` measures wall-clock time instead,
which is what an idle machine would show.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from reasonloop.cli._table import format_table
from verifier_suites import FILE_SUITES, GSM8K_SUITES, SUITES, Case, load_suite

VERIFIERS = ("reasonloop", "math-verify")
DEFAULT_LIMITS = {  # 0: all
    "corpus": 0,
    "gsm8k": 6000,
    "gsm8k-qa": 0,
    "gsm8k-mgsm": 0,
    "peer": 0,
    "samples": 0,
    "graders": 0,
    "forms": 0,
}


@dataclass(frozen=True)
class Outcome:
    """One verifier's grade of one case; `detail` says what it saw (status, parsed answer)."""

    predicted: bool
    seconds: float
    detail: str


@dataclass(frozen=True)
class Summary:
    cases: int
    accuracy: float
    false_negatives: int
    false_positives: int
    adversarial_cases: int
    adversarial_false_positives: int
    pairs_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float


# ---------------------------------------------------------------- graders


BLOCK = 100  # cases a verifier grades before the other takes its turn
# one case -> (graded correct, what the verifier saw)
Grader = Callable[[Case], tuple[bool, str]]


def reasonloop_grader(timeout: float, mode: str) -> Grader:
    from reasonloop.verify import verify

    def grade(case: Case) -> tuple[bool, str]:
        verdict = verify(case.response, case.gold, mode=mode, timeout=timeout)
        detail = f"{verdict.status.value}: answer={verdict.answer!r}; {verdict.reason}"
        return verdict.correct, detail

    return grade


def math_verify_grader(timeout: float) -> Grader:
    """Math-Verify as its README uses it; its alarm-based timeouts take whole seconds."""
    from math_verify import parse, verify

    logging.getLogger("math_verify").setLevel(logging.CRITICAL)  # it logs every timeout
    seconds_limit = max(1, math.ceil(timeout))

    def grade(case: Case) -> tuple[bool, str]:
        gold = []
        if "$" in case.gold or "\\boxed" in case.gold:  # already delimited (the peer's own cases)
            gold = parse(case.gold, parsing_timeout=seconds_limit)
        if not gold:
            gold = parse(f"${case.gold}$", parsing_timeout=seconds_limit)
        if not gold:
            gold = parse(f"\\boxed{{{case.gold}}}", parsing_timeout=seconds_limit)
        answer = parse(case.response, parsing_timeout=seconds_limit)
        correct = verify(gold, answer, timeout_seconds=seconds_limit)
        return bool(correct), f"gold={_extracted(gold)} answer={_extracted(answer)}"

    return grade


CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}
# Graded by each verifier before timing starts: what a process pays once (reasonloop loads
# mpmath on its first interval or irrational comparison; Math-Verify loads sympy at import) is
# not the latency of a pair.
WARM_UP = (
    Case("warm-up", "", "The answer is $\\frac{1}{2}$.", "0.5", True),
    Case("warm-up", "", "The answer is $[0, 1) \\cup (2, 3]$.", "(2,3] \\cup [0,1)", True),
    Case("warm-up", "", "So $x = \\boxed{\\sqrt{2}}$.", "\\frac{2}{\\sqrt{2}}", True),
)


def grade_interleaved(
    cases: Sequence[Case],
    graders: dict[str, Grader],
    block: int = BLOCK,
    clock: Callable[[], float] = time.thread_time,
) -> dict[str, list[Outcome]]:
    """The verifiers take turns, `block` cases each, so load on a shared machine hits all of
    them alike (the ratio is not skewed by which one ran while the machine was busy), while
    each still runs warm on a stretch of its own, as it would in use."""
    outcomes: dict[str, list[Outcome]] = {name: [] for name in graders}
    for grade in graders.values():
        for case in WARM_UP:
            grade(case)
    for first in range(0, len(cases), block):
        for name, grade in graders.items():
            for case in cases[first : first + block]:
                start = clock()
                try:
                    correct, detail = grade(case)
                except Exception as error:  # noqa: BLE001 - a crash is a wrong grade, reported
                    correct, detail = False, f"raised {type(error).__name__}: {error}"
                outcomes[name].append(Outcome(correct, clock() - start, detail))
    return outcomes


def _extracted(parsed: list[object], width: int = 80) -> str:
    # parse() returns [sympy object, extracted string]. Only the string is shown: printing the
    # sympy object sorts its terms, which can evaluate 10^(10^10) with no timeout around it.
    strings = [item for item in parsed if isinstance(item, str)]
    return _clip(repr(strings[-1]) if strings else "nothing", width)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


# ---------------------------------------------------------------- reporting


def summarize(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> Summary:
    latencies = sorted(o.seconds for o in outcomes)
    wrong = [(c, o) for c, o in zip(cases, outcomes, strict=True) if c.label != o.predicted]
    false_pos = [c for c, o in wrong if o.predicted]
    p99_index = max(0, math.ceil(0.99 * len(latencies)) - 1)
    return Summary(
        cases=len(cases),
        accuracy=1 - len(wrong) / len(cases),
        false_negatives=len(wrong) - len(false_pos),
        false_positives=len(false_pos),
        adversarial_cases=sum(c.adversarial for c in cases),
        adversarial_false_positives=sum(c.adversarial for c in false_pos),
        pairs_per_second=len(cases) / sum(latencies),
        p50_ms=1000 * latencies[len(latencies) // 2],
        p99_ms=1000 * latencies[p99_index],
        max_ms=1000 * latencies[-1],
    )


def format_summaries(summaries: dict[str, Summary]) -> str:
    headers = [
        "verifier",
        "accuracy",
        "FN",
        "FP",
        "FP adv",
        "pairs/s",
        "p50 ms",
        "p99 ms",
        "max ms",
    ]
    rows = [
        [
            name,
            s.accuracy,
            s.false_negatives,
            s.false_positives,
            f"{s.adversarial_false_positives}/{s.adversarial_cases}",
            round(s.pairs_per_second, 1),
            round(s.p50_ms, 2),
            round(s.p99_ms, 1),
            round(s.max_ms, 1),
        ]
        for name, s in summaries.items()
    ]
    return format_table(headers, rows)


def format_categories(cases: Sequence[Case], results: dict[str, list[Outcome]]) -> str:
    categories = sorted({c.category for c in cases})
    headers = ["category", "n", *(f"{name} wrong" for name in results)]
    rows: list[list[str | int | float]] = []
    for category in categories:
        picked = [i for i, c in enumerate(cases) if c.category == category]
        row: list[str | int | float] = [category, len(picked)]
        for outcomes in results.values():
            row.append(sum(cases[i].label != outcomes[i].predicted for i in picked))
        rows.append(row)
    return format_table(headers, rows)


def list_errors(cases: Sequence[Case], outcomes: Sequence[Outcome]) -> list[dict[str, object]]:
    return [
        {
            "id": c.id,
            "kind": "FP" if o.predicted else "FN",
            "gold": c.gold,
            "response": c.response,
            "detail": o.detail,
        }
        for c, o in zip(cases, outcomes, strict=True)
        if c.label != o.predicted
    ]


def format_errors(name: str, errors: Sequence[dict[str, object]], width: int = 110) -> str:
    lines = [f"{name}: {len(errors)} wrong"]
    for error in errors:
        gold = _clip(repr(error["gold"]), width - 30)
        lines.append(f"  {error['kind']} {error['id']}  gold={gold}")
        lines.append(f"      response={_clip(repr(error['response']), width)}")
        lines.append(f"      saw: {str(error['detail'])[:width]}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def run_suite(name: str, cases: Sequence[Case], args: argparse.Namespace) -> dict[str, object]:
    graders: dict[str, Grader] = {}
    if "reasonloop" in args.verifiers:
        graders["reasonloop"] = reasonloop_grader(args.timeout, args.mode)
    if "math-verify" in args.verifiers:
        graders["math-verify"] = math_verify_grader(args.timeout)
    results = grade_interleaved(cases, graders, clock=CLOCKS[args.clock])
    summaries = {verifier: summarize(cases, o) for verifier, o in results.items()}
    adversarial = sum(c.adversarial for c in cases)
    print(
        f"\n== suite {name}: {len(cases)} cases, {sum(c.label for c in cases)} labelled correct, "
        f"{adversarial} adversarial =="
    )
    print(format_summaries(summaries))
    ratio = None
    if len(summaries) == 2:
        ratio = summaries["reasonloop"].pairs_per_second / summaries["math-verify"].pairs_per_second
        print(f"throughput ratio reasonloop / math-verify: {ratio:.2f}x")
    if args.by_category:
        print(f"\nper category ({name}):")
        print(format_categories(cases, results))
    errors = {verifier: list_errors(cases, o) for verifier, o in results.items()}
    if args.show_errors:
        for verifier, wrong in errors.items():
            print()
            print(format_errors(f"{verifier} on {name}", wrong))
    return {
        "cases": len(cases),
        "summaries": {verifier: asdict(s) for verifier, s in summaries.items()},
        "throughput_ratio": ratio,
        "errors": errors,
    }


def profile_reasonloop(cases: Sequence[Case], args: argparse.Namespace, top: int) -> str:
    """Where reasonloop's time goes on these cases: cProfile on the CPU clock (the profiler's
    own overhead inflates small functions; read the cumulative column for the paths)."""
    import cProfile
    import io
    import pstats

    grade = reasonloop_grader(args.timeout, args.mode)
    for case in WARM_UP:
        grade(case)
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for case in cases:
        grade(case)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def build_arg_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", choices=[*SUITES, "all"], default="all")
    parser.add_argument(
        "--limit",
        type=int,
        help=f"at most N cases per suite (default: all, gsm8k {DEFAULT_LIMITS['gsm8k']})",
    )
    for name, path in {**FILE_SUITES, **GSM8K_SUITES}.items():
        parser.add_argument(f"--{name}-path", type=Path, default=path, help=f"{name} cases")
    parser.add_argument("--timeout", type=float, default=1.0, help="seconds per pair, both sides")
    parser.add_argument("--mode", default="default", help="reasonloop verify mode")
    parser.add_argument(
        "--clock", choices=list(CLOCKS), default="cpu", help="time per case: thread CPU or wall"
    )
    parser.add_argument("--verifiers", nargs="+", choices=VERIFIERS, default=list(VERIFIERS))
    parser.add_argument("--by-category", action="store_true", help="wrong grades per category")
    parser.add_argument("--show-errors", action="store_true", help="list every wrong grade")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all results as JSON")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="also profile reasonloop on each suite (cProfile, CPU clock): the N costliest calls",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_arg_parser().parse_args(argv)
    suites = list(SUITES) if args.suite == "all" else [args.suite]
    paths = {name: getattr(args, f"{name.replace('-', '_')}_path") for name in SUITES}
    report: dict[str, object] = {
        "timeout": args.timeout,
        "mode": args.mode,
        "clock": args.clock,
        "suites": {},
    }
    print(f"time per case: {args.clock} clock ({CLOCKS[args.clock].__name__})")
    for suite in suites:
        limit = DEFAULT_LIMITS[suite] if args.limit is None else args.limit
        cases = load_suite(suite, limit, paths)
        if cases is None:
            print(f"\n== suite {suite} skipped: {paths[suite]} not found ==")
            continue
        report["suites"][suite] = run_suite(suite, cases, args)  # type: ignore[index]
        if args.profile:
            print(profile_reasonloop(cases, args, args.profile))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
