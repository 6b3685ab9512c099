"""Self-Error-Instruct against plain self-training and random extra problems, same budget.

On the embedded default model and the built-in arithmetic task (CPU):

1. sample the base model k times on the training problems, greedy-evaluate it on held-out ones;
2. self-training rows S: `reasonloop build sft` on that run (verified-correct responses);
3. SEI: `reasonloop synthesize` with the builtin instructor and the likelihood one-shot score
   (the base model answers almost nothing right, so accuracy cannot rank demonstrations);
   the kept set K, N = len(K);
4. random: N problems of the same task drawn at random (no error targeting, no one-shot
   filter) by the same writer, through the same novelty filter (bad cases, test set), so
   neither arm can leak held-out problems and both grow to longer problems alike;
5. fine-tune the base model three times (`reasonloop train sft`, same settings): on S alone
   (skipped when S is empty: the arm is then the base model), S + random, S + K;
6. greedy held-out accuracy of each model, overall and on the "targeted" held-out problems:
   those the base model got wrong with an error type that SEI synthesized problems for.

Everything goes through the library's commands (sample, build, synthesize, train, eval).
Sizes are flags; the defaults fit a shared 2-core CPU in about 15 minutes.

    python benchmarks/synth_bench.py --out /tmp/synth-bench
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

from reasonloop.cli.main import main as reasonloop  # noqa: E402
from reasonloop.curate.synthesize.bad_cases import collect_bad_cases  # noqa: E402
from reasonloop.curate.synthesize.builtin import BuiltinInstructor  # noqa: E402
from reasonloop.curate.synthesize.filters import NoveltyFilter  # noqa: E402
from reasonloop.curate.synthesize.pipeline import sft_row  # noqa: E402
from reasonloop.curate.synthesize.records import BadCase, ErrorType  # noqa: E402
from reasonloop.curate.synthesize.synthesis import synthesize_problems  # noqa: E402
from reasonloop.files import read_json, read_jsonl, write_json, write_jsonl  # noqa: E402
from reasonloop.profile.metrics import accuracy_with_ci  # noqa: E402
from reasonloop.prompts import DEFAULT_TEMPLATE  # noqa: E402
from reasonloop.sample.store import RunStore  # noqa: E402
from reasonloop.tasks.procedural import generate_task, parse_task_spec  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="working directory (resumable)")
    parser.add_argument("--task", default="arithmetic:digits=2", help="built-in task spec")
    parser.add_argument("--train", type=int, default=40, help="training problems")
    parser.add_argument("--test", type=int, default=80, help="held-out problems")
    parser.add_argument("-k", type=int, default=2, help="samples per training problem")
    parser.add_argument("--budget", type=int, default=32, help="problems SEI synthesizes")
    parser.add_argument("--keep", default="top:0.5", help="one-shot keep rule (SEI: top:0.2)")
    parser.add_argument("--dev-size", type=int, default=8, help="one-shot dev problems")
    parser.add_argument("--max-new-tokens", type=int, default=64, help="sampling token budget")
    parser.add_argument(
        "--eval-max-new-tokens", type=int, default=192,
        help="held-out token budget (worked solutions need more than the base model's answers)",
    )  # fmt: skip
    parser.add_argument(
        "--eval-only", action="store_true",
        help="train nothing: wait for the models another process trains into --out",
    )  # fmt: skip
    parser.add_argument("--epochs", type=float, default=3.0, help="SFT epochs")
    parser.add_argument("--lr", type=float, default=5e-5, help="SFT learning rate")
    return parser.parse_args()


def call(*argv: str) -> None:
    code = reasonloop([*argv])
    if code != 0:
        raise SystemExit(f"reasonloop {' '.join(argv)} failed with exit code {code}")


def evaluate(model: str, args: argparse.Namespace, name: str) -> dict[str, bool]:
    """Greedy held-out correctness per problem id (samples kept under OUT/eval-NAME-tTOKENS)."""
    out = eval_dir(args, name)
    task = f"{args.task},seed=1" if ":" in args.task else f"{args.task}:seed=1"
    if not (out / "samples.sqlite").exists() or RunStore.open_existing(out).count() < args.test:
        budget = str(args.eval_max_new_tokens)
        call("eval", "--model", model, "--task", task, "--limit", str(args.test),
             "--max-new-tokens", budget, "--out", str(out), "--no-progress")  # fmt: skip
    with RunStore.open_existing(out) as store:
        return {s.problem_id: s.correct for s in store.samples()}


def eval_dir(args: argparse.Namespace, name: str) -> Path:
    return Path(args.out) / f"eval-{name}-t{args.eval_max_new_tokens}"


def targeted_ids(targeted: set[str], args: argparse.Namespace) -> set[str]:
    """Held-out problems the base model got wrong with an error type SEI synthesized for."""
    out = eval_dir(args, "base")
    with RunStore.open_existing(out) as store:
        problems = {p.id: p for p in store.problems()}
        wrong = [s for s in store.samples() if not s.correct]
    instructor = BuiltinInstructor()
    ids: set[str] = set()
    for sample in wrong:
        problem = problems[sample.problem_id]
        case = BadCase(problem, "unsolved", 0.0, (sample.response,), (sample.answer,))
        findings = instructor.findings(case) or []
        if any(f.type in targeted for f in findings):
            ids.add(sample.problem_id)
    return ids


def random_rows(n: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """n problems of the task, untargeted, through the same novelty filter as SEI's."""
    with RunStore.open_existing(Path(args.out) / "run") as store:
        cases = collect_bad_cases(store)
    name, knobs = parse_task_spec(args.task)
    tests = [p.question for p in generate_task(name, args.test, seed=1, **knobs)]
    novelty = NoveltyFilter.from_texts([c.problem.question for c in cases], tests)
    untargeted = ErrorType("random", (), tuple(c.problem.id for c in cases))
    made = synthesize_problems(
        BuiltinInstructor(seed=7), [untargeted], cases, {"random": n}, novelty, max_attempts=50
    )
    return [sft_row(problem, DEFAULT_TEMPLATE) for problem in made]


def train(name: str, rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    out = Path(args.out)
    model_dir = out / f"model-{name}"
    while args.eval_only and not (model_dir / "config.json").exists():
        time.sleep(30)  # another process is training it
    if not (model_dir / "config.json").exists():
        data = write_jsonl(out / f"train-{name}.jsonl", rows)
        call("train", "sft", "--model", "default", "--data", str(data), "--out", str(model_dir),
             "--epochs", str(args.epochs), "--lr", str(args.lr), "--batch-size", "8")  # fmt: skip
    return str(model_dir)


def main() -> None:
    args = parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    run = out / "run"
    call("sample", "--model", "default", "--task", args.task, "--limit", str(args.train),
         "-k", str(args.k), "--max-new-tokens", str(args.max_new_tokens), "--out", str(run),
         "--no-progress")  # fmt: skip
    base = evaluate("default", args, "base")
    self_rows: list[dict[str, Any]] = []
    if reasonloop(["build", "sft", str(run), "-o", str(out / "self.jsonl")]) == 0:
        self_rows = read_jsonl(out / "self.jsonl")
    task = f"{args.task},seed=1" if ":" in args.task else f"{args.task}:seed=1"
    if not (out / "synth" / "summary.json").exists():  # resume: synthesis is deterministic
        call("synthesize", str(run), "--instructor", "builtin", "--target", "default",
             "--score", "likelihood", "--budget", str(args.budget),
             "--dev-size", str(args.dev_size), "--keep", args.keep,
             "--test", task, "--test-limit", str(args.test), "-o", str(out / "synth"),
             "--no-progress")  # fmt: skip
    summary = read_json(out / "synth" / "summary.json")
    kept = read_jsonl(out / "synth" / "kept_sft.jsonl")
    targeted = {row["error_type"] for row in kept}
    n = len(kept)
    arms = {"base": base}
    if self_rows:
        arms["self-training"] = evaluate(train("self", self_rows, args), args, "self")
    if n:
        rows = self_rows + random_rows(n, args)
        arms["self + random"] = evaluate(train("random", rows, args), args, "random")
        arms["self + SEI"] = evaluate(train("sei", self_rows + kept, args), args, "sei")
    focus = targeted_ids(targeted, args)
    report(arms, focus, summary, len(self_rows), n, targeted, args, time.perf_counter() - started)


def report(
    arms: dict[str, dict[str, bool]],
    focus: set[str],
    summary: dict[str, Any],
    n_self: int,
    n_added: int,
    targeted: set[str],
    args: argparse.Namespace,
    seconds: float,
) -> None:
    print(f"task {args.task}: {args.train} training problems x k={args.k}, {args.test} held out")
    print(f"self-training rows {n_self}; added rows per arm {n_added}")
    print(f"targeted error types {sorted(targeted)}")
    print(
        f"SEI: {summary['bad_cases']} bad cases, {summary['error_types']} types, "
        f"{summary['offered']} written, {summary['accepted']} passed the filters, "
        f"gradable {summary['gradable_share']:.0%}, kept by one-shot {summary['kept_share']:.0%}"
    )
    focus_header = f"targeted (n={len(focus)})"
    print(f"{'arm':<16} {'held-out accuracy [95% CI]':<30} {focus_header:<30}")
    results = {}
    for name, correct in arms.items():
        overall = accuracy_with_ci(list(correct.values()))
        on_focus = accuracy_with_ci([correct[pid] for pid in sorted(focus)])
        results[name] = {"overall": overall.to_dict(), "targeted": on_focus.to_dict()}
        print(f"{name:<16} {fmt(overall):<30} {fmt(on_focus):<30}")
    print(f"wall time {seconds / 60:.1f} min")
    record = {"args": vars(args), "summary": summary, "results": results}
    write_json(Path(args.out) / "bench.json", record)


def fmt(estimate: Any) -> str:
    return f"{estimate.value:.1%} [{estimate.low:.1%}, {estimate.high:.1%}]"


if __name__ == "__main__":
    main()
