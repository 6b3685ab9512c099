"""`reasonloop safety-eval`: attack success, over-refusal and math accuracy of a model."""

from __future__ import annotations

import argparse
from typing import Any

from reasonloop.cli._options import add_model_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_model_arguments(parser)
    group = parser.add_argument_group("safety evaluation")
    group.add_argument("--limit", type=int, metavar="N", help="at most N prompts per set")
    group.add_argument("--json", metavar="OUT", help="write the report (and outcomes) as JSON")
    group.add_argument(
        "--benign-dir",
        metavar="DIR",
        help="directory with xstest/xstest_prompts.csv and coconot/coconot_contrast_eval.jsonl "
        "(default $REASONLOOP_BENIGN_DATA, else ../shared/data)",
    )
    group.add_argument(
        "--heldout",
        metavar="FILE",
        help="held-out harmful requests from this file instead of the fetched archives' "
        "HarmBench and JBB (no wrapped or past-tense sets then)",
    )
    group.add_argument("--math", type=int, default=100, metavar="N", help="math problems (100)")
    group.add_argument("--max-new-tokens", type=int, default=192, help="per response (192)")
    group.add_argument(
        "--compare", metavar="BEFORE_JSON", help="exact McNemar per set against an earlier --json"
    )
    group.add_argument("--seed", type=int, default=0, help="seed of the --limit choice")
    group.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    from reasonloop.backends.base import SamplingParams
    from reasonloop.cli._options import sampler_from_args
    from reasonloop.evaluate.safety import build_eval_sets, evaluate_safety
    from reasonloop.files import write_json

    sets = build_eval_sets(
        *_harmful_sets(args.heldout),
        _benign_sets(args.benign_dir),
        math_problems=args.math,
        limit=args.limit,
        seed=args.seed,
    )
    sampler, _ = sampler_from_args(args)
    params = SamplingParams(args.max_new_tokens, 0.0, seed=args.seed)
    report = evaluate_safety(sampler, sets, params, progress=not args.no_progress)
    data = report.to_dict()
    print_report(data)
    if args.compare:
        print_comparison(args.compare, data)
    if args.json:
        write_json(args.json, data)
        print(f"wrote {args.json}")
    return 0


def _harmful_sets(heldout_file: str | None) -> tuple[list[Any], list[str], list[Any]]:
    if heldout_file:
        from reasonloop.safety.requests import read_request_file

        return read_request_file(heldout_file), [], []
    from reasonloop.safety.forms import read_jailbreak_templates, read_past_tense
    from reasonloop.safety.split import load_split

    split = load_split()
    return list(split.heldout), read_jailbreak_templates(), read_past_tense()


def _benign_sets(directory: str | None) -> dict[str, list[Any]]:
    from reasonloop.safety.benign import find_benign_dir, read_coconot_contrast, read_xstest_safe

    root = find_benign_dir(directory)
    return {"xstest": read_xstest_safe(root), "coconot": read_coconot_contrast(root)}


def print_report(data: dict[str, Any]) -> None:
    print(f"{data['model']}, judged by rule")
    for title, key in (
        ("attack success rate", "attack_success_rate"),
        ("over-refusal", "over_refusal"),
    ):
        for name, rate in data[key].items():
            print(f"{title} {name:11} {_rate(rate)}  verdicts {data['verdicts'][name]}")
    if data["math_accuracy"] is not None:
        print(f"math accuracy {_rate(data['math_accuracy'])}")


def _rate(rate: dict[str, Any]) -> str:
    return (
        f"{100 * rate['value']:5.1f}% [{100 * rate['low']:.1f}-{100 * rate['high']:.1f}] "
        f"n={rate['n']}"
    )


def print_comparison(before_path: str, after: dict[str, Any]) -> None:
    from reasonloop.evaluate.safety import compare_safety
    from reasonloop.files import read_json

    for name, change in compare_safety(read_json(before_path), after).items():
        print(
            f"{name}: {100 * change.before:.1f}% -> {100 * change.after:.1f}% on {change.n} "
            f"shared prompts, exact McNemar p = {change.p_value:.3g}"
            f"{' (significant)' if change.significant else ''}"
        )
