"""RFT, whole-response DPO and first-pit per-step DPO at an equal sampling budget (Setlur et
al., 2024), on chain sums written step by step, with the embedded model.

1. SFT model: the base model fine-tuned on `--n-warm` chain sums with their gold solutions
   written one partial sum a line (the paper's SFT on positive synthetic data).
2. The SFT model samples k responses to each of `--n-train` other problems; step values by K
   rollouts from each step prefix of the wrong ones (`steps.values`, hard = Best-of-K).
3. Equal budget: rollouts count as samples, so RFT and whole DPO get k + ceil(R / n_train)
   samples a problem (the same store, more indices); step DPO gets the first k and the rollouts.
4. From the SFT model, on the first n of the training problems for each n of `--sizes`: RFT
   (SFT on correct samples), whole DPO (correct vs wrong responses), step DPO (correct vs the
   wrong response's prefix through its first pit); both DPOs with the SFT model as reference.
5. Greedy held-out accuracy on `--n-test` problems (one answer a problem: the clustered
   interval is Wilson's over problems), exact McNemar against RFT, and the accuracy against
   the number of training problems.

    python benchmarks/step_dpo_bench.py --out /tmp/step-dpo-bench          # default sizes
    python benchmarks/step_dpo_bench.py --out /tmp/sdb --n-train 32 --sizes 32 --n-test 200

Rerunning with the same --out resumes: trained models, samples, rollouts and evaluations
already on disk are reused.
"""

from __future__ import annotations

import argparse
import math
import re
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.backends.registry import load_sampler
from reasonloop.dataset import build_dpo_pairs, build_sft_dataset
from reasonloop.dataset.step_dpo import build_step_dpo_pairs
from reasonloop.evaluate.heldout import evaluate_heldout
from reasonloop.files import write_json
from reasonloop.profile.metrics import clustered_estimate
from reasonloop.profile.significance import mcnemar_exact
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import ValueSettings
from reasonloop.steps.values import read_values, value_samples
from reasonloop.tasks import Problem, load_problems
from reasonloop.train import SUMMARY_FILE, train

METHODS = ("rft", "dpo", "step-dpo")
_TERM = re.compile(r"([+-])\s*(\d+)")


def gold_solution(problem: Problem) -> str:
    """The chain sum's gold solution, one partial sum a line, then the answer line.

    >>> gold_solution(Problem("p", "State the final answer: 4 - 1 + 7 =", "10"))
    '4 - 1 = 3.\\n3 + 7 = 10.\\nThe answer is 10.'
    """
    expression = problem.question.split(":")[-1].rstrip(" =")
    first = re.match(r"\s*(-?\d+)", expression)
    assert first is not None, problem.question  # reasoning-gym's own text, not a model's
    total, lines = int(first.group(1)), []
    for sign, number in _TERM.findall(expression[first.end() :]):
        new = total + int(number) if sign == "+" else total - int(number)
        lines.append(f"{total} {sign} {number} = {new}.")
        total = new
    assert str(total) == problem.gold, (problem.question, total, problem.gold)
    return "\n".join([*lines, f"The answer is {total}."])


def finished(model_dir: Path) -> bool:
    """A model this benchmark trained before (a rerun with the same --out resumes)."""
    return (model_dir / SUMMARY_FILE).is_file()


def warm_start(problems: list[Problem], out: Path, args: argparse.Namespace) -> str:
    if finished(out / "sft"):
        return str(out / "sft")
    rows = [
        {
            "prompt": DEFAULT_TEMPLATE.render(p),
            "completion": [{"role": "assistant", "content": gold_solution(p)}],
        }
        for p in problems
    ]
    options = {"epochs": args.warm_epochs, "learning_rate": 5e-5, "show_progress": True}
    return train("sft", args.model, rows, out / "sft", options).output_dir


def draw_settings(args: argparse.Namespace) -> DrawSettings:
    return DrawSettings(DEFAULT_TEMPLATE, batch_size=args.batch_size, grade_workers=1)


def open_sampler(model: str, args: argparse.Namespace) -> tuple[Sampler, SamplerSpec]:
    options = {"num_threads": args.threads}
    return load_sampler("ctranslate2", model, **options), SamplerSpec("ctranslate2", model, options)


def sample_and_value(
    sft: str, problems: list[Problem], out: Path, args: argparse.Namespace
) -> tuple[int, int]:
    """k samples a problem, their step values, then the extra samples of the equal budget;
    returns (rollouts, extra samples a problem)."""
    sampler, spec = open_sampler(sft, args)
    params = SamplingParams(args.max_new_tokens, temperature=0.8, seed=args.seed)
    fingerprint = RunFingerprint.for_sampler("sample", sampler, spec, DEFAULT_TEMPLATE, params)
    with RunStore.open(out / "samples", fingerprint) as store:
        sample_problems(problems, sampler, params, store, k=args.k, settings=draw_settings(args))
        settings = ValueSettings(k=args.rollouts, max_steps=args.max_steps)
        values = value_samples(store, sampler, params, draw_settings(args), settings)
        rollouts = sum(s.n_rollouts for v in read_values(out / "samples") for s in v.steps)
        extra = math.ceil(rollouts / len(problems))
        sample_problems(
            problems, sampler, params, store, k=args.k + extra, settings=draw_settings(args)
        )
    print(
        f"values: {values.n_samples} wrong samples valued, {rollouts} rollouts; +{extra} samples",
        flush=True,
    )
    return rollouts, extra


def build_method_rows(
    method: str, problems: list[Problem], out: Path, args: argparse.Namespace
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    with RunStore.open_existing(out / "samples") as store:
        samples = store.samples_by_problem()
    if method == "rft":
        return build_sft_dataset(problems, samples, max_per_problem=args.per_problem), {}
    if method == "dpo":
        rows = build_dpo_pairs(problems, samples, max_pairs_per_problem=args.per_problem)
        return rows, {}
    first_k = {pid: [s for s in group if s.sample_index < args.k] for pid, group in samples.items()}
    pairs = build_step_dpo_pairs(
        problems, first_k, read_values(out / "samples"), max_pairs_per_problem=args.per_problem
    )
    return pairs.rows, pairs.summary()


def train_method(method: str, sft: str, rows: list[dict[str, Any]], out: Path, args: Any) -> str:
    if finished(out):
        return str(out)
    options: dict[str, Any] = {"epochs": args.epochs, "show_progress": True}
    if method == "rft":
        options["learning_rate"] = 2e-5
        return train("sft", sft, rows, out, options).output_dir
    options |= {"learning_rate": args.dpo_lr, "beta": args.beta}
    return train("dpo", sft, rows, out, options).output_dir  # reference: the SFT model


def held_out(
    model: str, tests: list[Problem], out: Path, args: argparse.Namespace
) -> dict[str, bool]:
    sampler, spec = open_sampler(model, args)
    evaluate_heldout(
        tests,
        sampler,
        spec,
        out,
        draw_settings(args),
        max_new_tokens=args.max_new_tokens,
        seed=args.seed,
    )
    with RunStore.open_existing(out / "greedy") as store:
        return {pid: group[0].correct for pid, group in store.samples_by_problem().items()}


def describe(name: str, outcome: dict[str, bool], rft: dict[str, bool] | None) -> str:
    estimate = clustered_estimate([float(x) for x in outcome.values()], samples_per_problem=1)
    line = (
        f"| {name} | {estimate.value:.1%} [{estimate.low:.1%}-{estimate.high:.1%}] "
        f"| {len(outcome)} |"
    )
    if rft is None or outcome is rft:
        return line + " - |"
    test = mcnemar_exact(rft, outcome)
    return line + f" {test.improved} up / {test.worsened} down, p = {test.p_value:.3g} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--out", required=True, type=Path)
    add("--model", default="default")
    add("--task", default="rg:chain_sum?min_terms=3&max_terms=5&min_digits=1&max_digits=2")
    add("--n-warm", type=int, default=64)
    add("--warm-epochs", type=float, default=2.0)
    add("--n-train", type=int, default=64)
    add("--sizes", default="32,64", help="training problems of the data-efficiency curve")
    add("--n-test", type=int, default=200)
    add("--k", type=int, default=4, help="samples a training problem before values")
    add("--rollouts", type=int, default=2, help="K rollouts a step prefix")
    add("--max-steps", type=int, default=None)
    add("--per-problem", type=int, default=4, help="most rows (responses, pairs) a problem")
    add("--epochs", type=float, default=2.0)
    add("--dpo-lr", type=float, default=5e-6)
    add("--beta", type=float, default=0.1)
    add("--max-new-tokens", type=int, default=96)
    add("--batch-size", type=int, default=32)
    add("--threads", type=int, default=2)
    add("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    sizes = [int(n) for n in args.sizes.split(",")]
    wanted = args.n_warm + args.n_train + args.n_test
    problems = load_problems(args.task, limit=wanted)
    warm, pool = problems[: args.n_warm], problems[args.n_warm : args.n_warm + args.n_train]
    tests = problems[args.n_warm + args.n_train :]
    args.out.mkdir(parents=True, exist_ok=True)
    sft = warm_start(warm, args.out, args)
    rollouts, extra = sample_and_value(sft, pool, args.out, args)
    outcomes = {"SFT model (start)": held_out(sft, tests, args.out / "eval-sft", args)}
    print(describe("SFT model (start)", outcomes["SFT model (start)"], None), flush=True)
    results: dict[str, Any] = {"rollouts": rollouts, "extra_samples_per_problem": extra}
    runs = [(n, method) for n in sizes for method in METHODS]
    for n, method in tqdm(runs, desc="step-dpo bench: train and evaluate", unit="model"):
        rows, summary = build_method_rows(method, pool[:n], args.out, args)
        name = f"{method} n={n}"
        results[name] = {"rows": len(rows), **summary}
        if not rows:
            print(f"{name}: no rows {summary}")
            continue
        model = train_method(method, sft, rows, args.out / f"{method}-{n}", args)
        outcomes[name] = held_out(model, tests, args.out / f"eval-{method}-{n}", args)
        print(describe(name, outcomes[name], outcomes.get(f"rft n={n}")), flush=True)
    print("| model | held-out accuracy [95% CI] | n | McNemar vs RFT (same n) |")
    print("| --- | --- | --- | --- |")
    for name, outcome in outcomes.items():
        size = name.split("n=")[-1]
        print(describe(name, outcome, outcomes.get(f"rft n={size}")))
        results.setdefault(name, {})["accuracy"] = sum(outcome.values()) / len(outcome)
    results["seconds"] = time.perf_counter() - started
    write_json(args.out / "results.json", results)
    print(f"rows and counts: {results}")
    print(f"took {results['seconds'] / 60:.1f} min")


if __name__ == "__main__":
    main()
