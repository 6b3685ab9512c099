"""Safety SFT on the embedded model: base, then each refusal format with and without math.

    reasonloop safety-fetch     # once
    python benchmarks/safety_bench.py --refusals 200 --limit 40 --math 40 --out safety-bench

The study (Zhang et al., arXiv 2505.15404) reports that any safety SFT cuts attack success,
that short or template reasoning before the refusal is as good as other formats, and that
mixing math data in limits over-refusal and keeps math accuracy. Here: the embedded model
(SmolLM2-135M-Instruct) is fine-tuned with TRL's SFTTrainer on `--refusals` refusal rows of
each format (equal rows for every format), with `--shares` math shares (math rows are the
built-in arithmetic task's gold solutions, added on top: share s adds refusals * s / (1 - s)
math rows), and every model is evaluated by `reasonloop safety-eval`'s sets (held-out
HarmBench + JBB, wrapped, past tense, XSTest and CoCoNot benign, held-out arithmetic), each
cut to `--limit` prompts. The table gives each rate, its ratio to the base model's measured in
the same run, and the exact McNemar p of the change on the same prompts. Nothing harmful is
printed: set names and rates only. A rerun with the same --out reuses the models trained and
the evaluations made (same sets and token budget), so formats and shares can run in separate
processes (`--formats short-cot --shares 0`) and a last run prints the whole table.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from reasonloop.backends.base import SamplingParams
from reasonloop.backends.registry import load_sampler
from reasonloop.dataset.safety import (
    SafetyMix,
    arithmetic_math_rows,
    build_safety_dataset,
    math_count,
)
from reasonloop.evaluate.safety import EvalSet, build_eval_sets, compare_safety, evaluate_safety
from reasonloop.files import read_json, write_json
from reasonloop.safety.benign import find_benign_dir, read_coconot_contrast, read_xstest_safe
from reasonloop.safety.forms import read_jailbreak_templates, read_past_tense
from reasonloop.safety.split import SafetySplit, load_split
from reasonloop.safety.targets import SAFETY_FORMATS
from reasonloop.train import SUMMARY_FILE, train

RECIPE_FILE = "safety-bench.json"
EVAL_FILE = "safety-eval.json"
COLUMNS = ("heldout", "wrapped", "past_tense", "xstest", "coconot", "math")


def eval_sets(args: argparse.Namespace) -> tuple[SafetySplit, list[EvalSet]]:
    split = load_split()
    root = find_benign_dir(args.benign_dir)
    benign = {"xstest": read_xstest_safe(root), "coconot": read_coconot_contrast(root)}
    sets = build_eval_sets(
        split.heldout,
        [] if args.no_wrapped else read_jailbreak_templates(),
        read_past_tense(),
        benign,
        math_problems=args.math,
        limit=args.limit,
    )
    return split, sets


def evaluate(
    model: str, sets: list[EvalSet], saved: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """The model's safety report, kept in `saved` (a rerun with the same settings reads it)."""
    sets_ids = {s.name: list(s.ids) for s in sets}
    settings = {"model": model, "sets": sets_ids, "tokens": args.max_new_tokens}
    if saved.is_file():
        kept = read_json(saved)
        if kept["settings"] == settings:
            return dict(kept["report"])
    sampler = load_sampler("ctranslate2", model, num_threads=args.threads)
    params = SamplingParams(args.max_new_tokens, 0.0, seed=0)
    report = evaluate_safety(sampler, sets, params).to_dict()
    write_json(saved, {"settings": settings, "report": report})
    return report


def fine_tune(
    split: SafetySplit, fmt: str, share: float, out: Path, args: argparse.Namespace
) -> str:
    mix = SafetyMix(fmt, share, max_refusals=args.refusals, seed=0)  # type: ignore[arg-type]
    pool = arithmetic_math_rows(math_count(args.refusals, share))
    built = build_safety_dataset(split.train, mix, pool)
    config = {"epochs": args.epochs, "learning_rate": args.learning_rate, "max_length": 384}
    recipe = {"model": args.model, "refusals": args.refusals, "format": fmt, "share": share}
    recipe |= config
    done = (out / SUMMARY_FILE).is_file() and (out / RECIPE_FILE).is_file()
    if not done or read_json(out / RECIPE_FILE) != recipe:
        (out / EVAL_FILE).unlink(missing_ok=True)  # the evaluation of the model it replaces
        train("sft", args.model, built.rows, out, config)
        write_json(out / RECIPE_FILE, recipe)  # a rerun with the same recipe reuses the model
    return str(out)


def rates(report: dict[str, Any]) -> dict[str, float]:
    found = {**report["attack_success_rate"], **report["over_refusal"]}
    if report["math_accuracy"] is not None:
        found["math"] = report["math_accuracy"]
    return {name: found[name]["value"] for name in COLUMNS if name in found}


def print_table(results: dict[str, dict[str, Any]]) -> None:
    base = rates(results["base"])
    print("ASR: attack success (lower is better); xstest, coconot: over-refusal (lower is")
    print("better); math: accuracy. Each cell: rate, ratio to base, McNemar p vs base.\n")
    print(f"{'model':28}" + "".join(f"{name:>24}" for name in COLUMNS))
    for name, report in results.items():
        row = rates(report)
        tests = compare_safety(results["base"], report) if name != "base" else {}
        cells = []
        for column in COLUMNS:
            value = row.get(column)
            if value is None:
                cells.append(f"{'-':>24}")
                continue
            ratio = f"x{value / base[column]:.2f}" if base.get(column) else "x-"
            p = f"p={tests[column].p_value:.2g}" if column in tests else ""
            cells.append(f"{f'{100 * value:.1f}% {ratio} {p}':>24}")
        print(f"{name:28}" + "".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refusals", type=int, default=200, help="refusal rows per model")
    parser.add_argument("--shares", default="0.5,0", help="math shares, comma-separated")
    parser.add_argument("--formats", default=",".join(SAFETY_FORMATS))
    parser.add_argument("--limit", type=int, default=40, help="prompts per evaluation set")
    parser.add_argument("--math", type=int, default=40, help="held-out arithmetic problems")
    parser.add_argument("--no-wrapped", action="store_true", help="leave out the wrapped set")
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--learning-rate", type=float, default=3e-5)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1, help="engine threads")
    parser.add_argument("--benign-dir", help="XSTest/CoCoNot directory (see safety-eval)")
    parser.add_argument("--out", type=Path, default=Path("safety-bench"))
    parser.add_argument(
        "--model", default="default", help="base model: 'default' or an HF model directory"
    )
    args = parser.parse_args()
    split, sets = eval_sets(args)
    print(f"harmful requests: {split.describe()}")
    print("sets: " + ", ".join(f"{s.name} {len(s.ids)}" for s in sets))
    results = {"base": evaluate(args.model, sets, args.out / "base-eval.json", args)}
    # Math share outer: a run cut short has still compared every format at the first share.
    for share in (float(s) for s in args.shares.split(",")):
        for fmt in args.formats.split(","):
            name = f"{fmt} math {share:g}"
            model = fine_tune(split, fmt, share, args.out / name.replace(" ", "-"), args)
            results[name] = evaluate(model, sets, Path(model) / EVAL_FILE, args)
            print_table(results)  # after each model, so a long run shows progress
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwrote {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
