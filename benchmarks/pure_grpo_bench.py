"""PURE's claim on the embedded model: GRPO rewarded by a PRM's summed step scores gets gamed,
min-form credit does not (Cheng et al., NeurIPS 2025), beside the verifier's reward alone.

One GRPO run through TRL per arm, from the same model on the same training problems:

- `verifier`: the rule verifier's 1 / 0 (`reasonloop.rewards.math_reward`);
- `sum`: the PRM's step scores summed (the baseline PURE says gets gamed: every extra step
  that looks right adds reward);
- `min`: PURE's min-form credit (softmax(-r / 0.1) re-weighting, nearly the minimum step score).

The PRM arms add the verifier's reward with `--plus-verifier` (PURE's mix); without it the PRM
is the only reward, the setting in which the paper saw summation collapse. Every `--eval-every`
optimizer steps the policy's weights are saved; after training each saved policy (step 0 is
the start model) answers the held-out problems greedily with the CPU engine: accuracy with its
95% interval, steps a response (`reasonloop.steps.split_steps`) and tokens a response. The
training curves (reward, steps a response, completion length) come from TRL's own log. The
table compares each arm's last policy with the start (exact McNemar) and `pure.html` plots
everything against the training step.

    python benchmarks/pure_grpo_bench.py --out runs/pure --prm prm
    python benchmarks/pure_grpo_bench.py --out runs/pure --prm prm --arms sum    # one arm a process

A rerun with the same --out resumes: trained arms and evaluated checkpoints are reused (a
checkpoint's weights are deleted once evaluated; `--keep-checkpoints` keeps them).
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import statistics
import time
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from reasonloop.backends.registry import load_sampler
from reasonloop.evaluate.heldout import evaluate_heldout
from reasonloop.files import read_json, write_json
from reasonloop.profile.metrics import clustered_estimate
from reasonloop.profile.significance import mcnemar_exact
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.report.plots import plot_curves
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.steps.split import split_steps
from reasonloop.tasks import Problem, load_problems
from reasonloop.train.config import GRPOTrainConfig
from reasonloop.train.fit import make_trainer
from reasonloop.train.result import save_model

ARMS = ("verifier", "sum", "min")
TRAIN_FILE = "train.json"
# TRL's log keys for the curves (the PRM arms also log steps a response at weight 0).
LENGTH_KEY = "completions/mean_length"
STEPS_KEY = "rewards/steps_per_response/mean"


def split_problems(args: argparse.Namespace) -> tuple[list[Problem], list[Problem]]:
    """Training problems, then held-out problems whose questions none of them shares."""
    # A task generates distinct problems (and only as many as it has); a file is read whole.
    limit = None if Path(args.task).is_file() else args.n_train + args.n_test
    problems = load_problems(args.task, limit=limit)
    train: list[Problem] = []
    seen: set[str] = set()
    for problem in problems:
        if len(train) < args.n_train and problem.question not in seen:
            train.append(problem)
            seen.add(problem.question)
    tests = [p for p in problems if p.question not in seen]
    unique = list({p.question: p for p in tests}.values())[: args.n_test]
    if len(train) < args.n_train or len(unique) < args.n_test:
        raise SystemExit(
            f"{args.task}: {len(train)} training and {len(unique)} held-out distinct questions; "
            f"asked for {args.n_train} and {args.n_test}"
        )
    return train, unique


def grpo_config(arm: str, args: argparse.Namespace) -> GRPOTrainConfig:
    prm: dict[str, Any] = {}
    if arm != "verifier":
        prm = {"prm": args.prm, "prm_credit": arm, "prm_verifiable": args.plus_verifier}
    return GRPOTrainConfig(
        max_steps=args.steps,
        learning_rate=args.lr,
        batch_size=args.num_generations * args.prompts_per_step,
        num_generations=args.num_generations,
        max_completion_length=args.max_new_tokens,
        temperature=args.temperature,
        seed=args.seed,
        show_progress=not args.quiet,
        **prm,
    )


def save_every(every: int, out: Path) -> Any:
    """A `TrainerCallback` that saves the policy's weights every `every` optimizer steps."""
    from transformers import TrainerCallback

    class SaveEvery(TrainerCallback):  # type: ignore[misc]
        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if state.global_step % every == 0:
                model, tokenizer = kwargs["model"], kwargs["processing_class"]
                save_model(model, tokenizer, checkpoint(out, state.global_step))

    return SaveEvery()


def checkpoint(out: Path, step: int) -> Path:
    return out / "checkpoints" / f"step-{step}"


def train_arm(arm: str, rows: list[dict[str, Any]], out: Path, args: argparse.Namespace) -> None:
    if (out / TRAIN_FILE).is_file():
        return
    import torch

    torch.set_num_threads(args.threads)
    config = grpo_config(arm, args)
    # No final model is saved: the last checkpoint (every --eval-every steps) holds it.
    trainer = make_trainer(args.model, rows, out / "trainer", config)
    trainer.add_callback(save_every(args.eval_every, out))
    started = time.perf_counter()
    trainer.train()
    record = {
        "arm": arm,
        "prm": args.prm if arm != "verifier" else None,
        "seconds": time.perf_counter() - started,
        "steps": int(trainer.state.global_step),
        "log_history": list(trainer.state.log_history),
    }
    write_json(out / TRAIN_FILE, record)


def evaluate_step(
    arm: str, step: int, tests: list[Problem], out: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Held-out greedy accuracy, steps and tokens a response of the policy after `step` (step
    0, the start model, is evaluated once for every arm, under `--out`/start)."""
    where = args.out / "start" if step == 0 else out / "eval" / f"step-{step}"
    where.mkdir(parents=True, exist_ok=True)
    with open(where.with_suffix(".lock"), "w") as lock:  # arms in two processes share start
        fcntl.flock(lock, fcntl.LOCK_EX)
        return {**measure_policy(step, tests, out, where, args), "arm": arm}


def measure_policy(
    step: int, tests: list[Problem], out: Path, where: Path, args: argparse.Namespace
) -> dict[str, Any]:
    if (where / "result.json").is_file():
        return dict(read_json(where / "result.json"))
    model = args.model if step == 0 else str(checkpoint(out, step))
    options: dict[str, Any] = {"num_threads": args.threads}
    if step:  # a checkpoint's engine copy goes with its weights
        options["cache_dir"] = str(where / "engine")
    evaluate_heldout(
        tests,
        load_sampler("ctranslate2", model, **options),
        SamplerSpec("ctranslate2", model, options),
        where,
        DrawSettings(DEFAULT_TEMPLATE, grade_workers=1),
        max_new_tokens=args.max_new_tokens,
        seed=args.seed,
    )
    with RunStore.open_existing(where / "greedy") as store:
        samples = [group[0] for group in store.samples_by_problem().values()]
    result = {
        "step": step,
        "correct": {s.problem_id: s.correct for s in samples},
        "steps_per_response": statistics.fmean(len(split_steps(s.response).steps) for s in samples),
        "tokens_per_response": statistics.fmean(s.completion_tokens for s in samples),
    }
    write_json(where / "result.json", result)
    if step and not args.keep_checkpoints:
        shutil.rmtree(checkpoint(out, step))
        shutil.rmtree(where / "engine")
    return result


def accuracy_cell(correct: Mapping[str, bool]) -> str:
    estimate = clustered_estimate([float(x) for x in correct.values()], samples_per_problem=1)
    return f"{estimate.value:.1%} [{estimate.low:.1%}, {estimate.high:.1%}]"


def training_curve(history: Sequence[Mapping[str, Any]], key: str) -> list[tuple[float, float]]:
    return [(float(h["step"]), float(h[key])) for h in history if key in h and "step" in h]


def reward_key(arm: str, args: argparse.Namespace) -> str:
    if arm == "verifier":
        return "rewards/math_reward/mean"
    return f"rewards/prm_{arm}" + ("_plus_verifier" if args.plus_verifier else "") + "/mean"


def window_mean(curve: list[tuple[float, float]], first: bool, size: int) -> float | None:
    values = [y for _, y in (curve[:size] if first else curve[-size:])]
    return statistics.fmean(values) if values else None


def table(
    evals: Mapping[str, list[dict[str, Any]]],
    trained: Mapping[str, Mapping[str, Any]],
    args: argparse.Namespace,
) -> str:
    lines = [
        "| arm | step | held-out accuracy [95% CI] | steps / response | tokens / response "
        "| McNemar vs step 0 |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for arm, points in evals.items():
        start = points[0]["correct"]
        for point in points:
            test = "-"
            if point["step"]:
                m = mcnemar_exact(start, point["correct"])
                test = f"{m.improved} up / {m.worsened} down, p = {m.p_value:.3g}"
            lines.append(
                f"| {arm} | {point['step']} | {accuracy_cell(point['correct'])} "
                f"| {point['steps_per_response']:.2f} | {point['tokens_per_response']:.1f} "
                f"| {test} |"
            )
    lines += ["", "| arm | train reward first / last 5 steps | completion length | steps | s |"]
    lines.append("| --- | --- | --- | --- | ---: |")
    for arm, record in trained.items():
        history = record["log_history"]
        cells = []
        for key in (reward_key(arm, args), LENGTH_KEY, STEPS_KEY):
            curve = training_curve(history, key)
            first, last = window_mean(curve, True, 5), window_mean(curve, False, 5)
            cells.append("-" if first is None or last is None else f"{first:.3g} -> {last:.3g}")
        lines.append(f"| {arm} | {' | '.join(cells)} | {record['seconds']:.0f} |")
    return "\n".join(lines)


def write_html(
    evals: Mapping[str, list[dict[str, Any]]],
    trained: Mapping[str, Mapping[str, Any]],
    text: str,
    out: Path,
    args: argparse.Namespace,
) -> Path:
    def held_out(key: str, scale: float = 1.0) -> dict[str, list[tuple[float, float]]]:
        return {a: [(p["step"], scale * p[key]) for p in ps] for a, ps in evals.items()}

    accuracy = {
        arm: [(p["step"], 100 * statistics.fmean(p["correct"].values())) for p in points]
        for arm, points in evals.items()
    }
    logs = {arm: record["log_history"] for arm, record in trained.items()}
    plots = [
        plot_curves(
            "reward",
            "Training reward (each arm its own)",
            {a: training_curve(h, reward_key(a, args)) for a, h in logs.items()},
            x_label="training step",
            y_label="reward",
        ),
        plot_curves(
            "accuracy",
            "Held-out greedy accuracy",
            accuracy,
            x_label="training step",
            y_label="accuracy %",
        ),
        plot_curves(
            "steps",
            "Steps per held-out response",
            held_out("steps_per_response"),
            x_label="training step",
            y_label="steps",
        ),
        plot_curves(
            "length",
            "Completion length in training (tokens)",
            {a: training_curve(h, LENGTH_KEY) for a, h in logs.items()},
            x_label="training step",
            y_label="tokens",
        ),
    ]
    page = (
        "<!doctype html><meta charset=utf-8><title>PURE: sum vs min credit</title>"
        "<h1>GRPO rewarded by a PRM: sum-form vs min-form credit vs the verifier</h1>"
        + "".join(plots)
        + f"<pre>{escape(text)}</pre>"
    )
    path = out / "pure.html"
    path.write_text(page, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add = parser.add_argument
    add("--out", required=True, type=Path)
    add("--prm", required=True, help="a PRM directory from `reasonloop train --method prm`")
    add("--model", default="default")
    add("--task", default="arithmetic:digits=1")
    add("--n-train", type=int, default=40)
    add("--n-test", type=int, default=60)
    add("--steps", type=int, default=60, help="GRPO optimizer steps an arm")
    add("--eval-every", type=int, default=15)
    add("--num-generations", type=int, default=4, help="responses a prompt (GRPO's group)")
    add("--prompts-per-step", type=int, default=2)
    add("--lr", type=float, default=1e-5)
    add("--temperature", type=float, default=1.0)
    add("--max-new-tokens", type=int, default=96)
    add("--plus-verifier", action="store_true", help="PRM arms add the verifier's reward")
    add("--arms", nargs="+", choices=ARMS, default=list(ARMS))
    add("--threads", type=int, default=1)
    add("--seed", type=int, default=0)
    add("--keep-checkpoints", action="store_true")
    add("--quiet", action="store_true")
    args = parser.parse_args()
    if args.steps % args.eval_every:
        parser.error("--steps must be a multiple of --eval-every")
    if not Path(args.prm).is_dir():
        parser.error(
            f"--prm {args.prm}: not a directory (train one: reasonloop train --method prm)"
        )
    started = time.perf_counter()
    train, tests = split_problems(args)
    rows = [{"prompt": DEFAULT_TEMPLATE.render(p), "solution": p.gold} for p in train]
    evals, trained = {}, {}
    for arm in args.arms:
        out = args.out / arm
        train_arm(arm, rows, out, args)
        trained[arm] = read_json(out / TRAIN_FILE)
        steps = range(0, args.steps + 1, args.eval_every)
        evals[arm] = [evaluate_step(arm, step, tests, out, args) for step in steps]
    text = table(evals, trained, args)
    print(text)
    print(f"written: {write_html(evals, trained, text, args.out, args)}")
    print(f"took {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
