"""ClusterUCB against full LESS and random selection, then training on each subset.

The pool mixes sources the model could learn from: GSM8K train solutions
(`../shared/data/gsm8k/train.jsonl`) and built-in tasks at several difficulties with
solutions written from their gold answers. The target is 2-digit addition: a validation split
gives the target gradients, a disjoint test split measures held-out accuracy. Pool, validation
and test problems share no question.

In one run it reports, per method: influence gradients used, the one-time clustering pass,
wall time, overlap with LESS's top-p, Spearman correlation with LESS's influences (ClusterUCB's
undrawn rows scored by their cluster's mean drawn influence), and greedy held-out accuracy
after full fine-tuning on the selected rows (and on the whole pool), with 95% Wilson intervals.

    python benchmarks/select_bench.py --out runs/select-bench     # ~80 min on a busy 2-core CPU
    python benchmarks/select_bench.py --out runs/sb --no-train      # selection only, ~25 min
    python benchmarks/select_bench.py --out runs/sb2k --pool-size 2000 --only less --no-train

The default size (400 rows, 64-token features, d = 1024) is what a shared CPU finishes in one
go; the issue's 2,000-row pool needs about 4,400 gradients (LESS's 2,000, ClusterUCB's
clustering 2,000 and influence 400: about 1.5 h here) plus training on the whole pool (~100
min), so fill each method's cache with `--only METHOD --no-train` (in parallel, if the CPU
allows), train on each subset with `--only METHOD --train METHOD`, and read the table from a
final `--no-train` run. Each method has its own cache under --out, so its wall time includes
all it computes; a rerun with the same --out reuses every cached gradient (and its times
shrink).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reasonloop.curate.select import (
    SINGLE_DRAW_STDS,
    BanditConfig,
    FeatureConfig,
    SelectConfig,
    Selection,
    WarmupConfig,
    default_clusters,
    pool_clusters,
    run_bandit,
    select_examples,
)
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.plan import DrawSettings
from reasonloop.tasks import Problem, generate_task, parse_task_spec

GSM8K = Path("../shared/data/gsm8k/train.jsonl")
GSM8K_TEST = GSM8K.with_name("test.jsonl")
TARGET = "arithmetic:digits=2"
SUBSETS = ("clusterucb", "less", "random", "whole-pool", "no-training")
SOURCES = ("arithmetic:digits=2", "arithmetic:digits=3,ops=+-*", "linear", "fractions")


def solution_row(problem: Problem, solution: str, source: str) -> dict[str, Any]:
    """A TRL prompt-completion row under the default prompt template."""
    return {
        "prompt": DEFAULT_TEMPLATE.render(problem),
        "completion": [{"role": "assistant", "content": solution}],
        "source": source,
    }


def gsm8k_rows(count: int, seed: int) -> list[dict[str, Any]]:
    if not GSM8K.is_file():
        raise SystemExit(f"{GSM8K} is missing: the benchmark needs GSM8K train (see README)")
    lines = GSM8K.read_text(encoding="utf-8").splitlines()
    picked = random.Random(seed).sample(lines, count)
    return [gsm8k_row(json.loads(line), f"gsm8k-{i}", "gsm8k") for i, line in enumerate(picked)]


def gsm8k_row(record: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    """A GSM8K record's reference solution (calculator notes removed) as a pool row."""
    body, _, gold = record["answer"].rpartition("####")
    body = re.sub(r"<<[^>]*>>", "", body).strip()
    problem = Problem(key, record["question"], gold.strip())
    return solution_row(problem, f"{body}\nThe answer is {gold.strip()}.", source)


def task_problems(spec: str, count: int, seed: int) -> list[Problem]:
    name, knobs = parse_task_spec(spec)
    return generate_task(name, count, seed=seed, **knobs)


def build_pool(
    args: argparse.Namespace,
) -> tuple[list[dict[str, Any]], list[Problem], list[Problem]]:
    """(pool rows, validation problems, test problems) with no question shared."""
    held = task_problems(TARGET, args.val + args.test, seed=1000)
    val, test = held[: args.val], held[args.val :]
    held_questions = {p.question for p in held}
    n_gsm8k = round(args.gsm8k_share * args.pool_size)
    rows = gsm8k_rows(n_gsm8k, args.seed)
    per_task = (args.pool_size - n_gsm8k) // len(SOURCES)
    for spec in SOURCES:
        problems = [p for p in task_problems(spec, per_task + args.val + args.test, seed=0)]
        problems = [p for p in problems if p.question not in held_questions][:per_task]
        rows += [solution_row(p, f"The answer is {p.gold}.", spec) for p in problems]
    return rows, val, test


def spearman_with_less(selection: Selection, less: Selection) -> float | None:
    from scipy.stats import spearmanr

    if not selection.scores:
        return None
    n = selection.pool_size
    if selection.labels is None:
        scores = [selection.scores[i] for i in range(n)]
    else:
        by_cluster: dict[int, list[float]] = {}
        for index, score in selection.scores.items():
            by_cluster.setdefault(selection.labels[index], []).append(score)
        means = {c: sum(v) / len(v) for c, v in by_cluster.items()}
        low = min(selection.scores.values())
        scores = [selection.scores.get(i, means.get(selection.labels[i], low)) for i in range(n)]
    return float(spearmanr(scores, [less.scores[i] for i in range(n)]).statistic)


def replay_overlaps(
    labels: Sequence[int],
    scores: Mapping[int, float],
    top: int,
    budget: float,
    replays: int,
    bandit: BanditConfig,
) -> list[float]:
    """Overlap with LESS's top `top` rows of ClusterUCB rerun with other bandit seeds.

    The bandit's rewards are LESS's influences (`scores`, every row), which are exactly what
    ClusterUCB computes for the rows it draws (same warm-up, same features), so a replay
    costs no gradient.
    """
    best = set(sorted(scores, key=lambda i: (-scores[i], i))[:top])
    draws_budget = max(1, int(budget * len(labels) + 1e-9))
    overlaps = []
    for seed in range(1, replays + 1):
        draws = run_bandit(
            labels,
            draws_budget,
            lambda batch: [scores[i] for i in batch],
            replace(bandit, seed=seed),
        )
        chosen = sorted(draws.indices, key=lambda i: (-scores[i], i))[:top]
        overlaps.append(len(set(chosen) & best) / top)
    return overlaps


def print_replays(cucb: Selection, less: Selection, replays: int) -> None:
    """ClusterUCB's overlap over many bandit seeds, with both readings of a one-draw std."""
    assert cucb.labels is not None
    print(
        f"\nClusterUCB overlap with LESS top-p over {replays} other bandit seeds "
        f"(K = {len(set(cucb.labels))}; mean, sd, min, max):"
    )
    for spread in SINGLE_DRAW_STDS:
        for budget in (0.1, 0.2, 0.3, 0.5):
            bandit = BanditConfig(single_draw_std=spread)
            top = len(less.selected)
            overlaps = replay_overlaps(cucb.labels, less.scores, top, budget, replays, bandit)
            print(f"  single-draw std {spread:<6} budget {budget:.1f}: {describe(overlaps)}")


def describe(overlaps: Sequence[float]) -> str:
    """'mean sd [min, max]' of replay overlaps."""
    import statistics

    return (
        f"{statistics.fmean(overlaps):.1%} sd {statistics.pstdev(overlaps):.1%} "
        f"[{min(overlaps):.0%}, {max(overlaps):.0%}]"
    )


def other_targets(pool: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """16 validation rows each for four more targets: three built-in tasks (questions not in
    the pool) and the first 16 GSM8K test problems (their reference solutions)."""
    questions = {json.dumps(row["prompt"]) for row in pool}
    targets = {}
    for spec in SOURCES[1:]:
        rows = [
            solution_row(p, f"The answer is {p.gold}.", spec)
            for p in task_problems(spec, 200, seed=2000)
        ]
        targets[spec] = [r for r in rows if json.dumps(r["prompt"]) not in questions][:16]
    if not GSM8K_TEST.is_file():
        raise SystemExit(f"{GSM8K_TEST} is missing: --other-targets needs GSM8K test")
    lines = GSM8K_TEST.read_text(encoding="utf-8").splitlines()[:16]
    targets["gsm8k-test"] = [
        gsm8k_row(json.loads(line), f"gsm8k-test-{i}", "gsm8k-test") for i, line in enumerate(lines)
    ]
    return targets


def short(spec: str) -> str:
    """A target's name for a table column: the task and its knobs without the keys."""
    name, _, knobs = spec.partition(":")
    values = [knob.partition("=")[2] for knob in knobs.split(",") if knob]
    return "/".join([name, *values])


def print_targets_and_clusters(
    pool: list[dict[str, Any]],
    model_dir: str,
    base: SelectConfig,
    out: Path,
    less: Selection,
    args: argparse.Namespace,
) -> None:
    """ClusterUCB's replay overlap per K and target at budget 0.2, over `--kmeans-seeds`
    clusterings x `--replays` bandit seeds.

    Other targets cost 16 target gradients each (LESS's pool features are cached); another K
    or k-means seed reclusters the cached clustering features (no gradient).
    """
    import statistics

    targets = {TARGET: less.scores}
    if args.other_targets:
        less_config = replace(base, method="less", cache_dir=str(out / "cache-less"))
        for name, rows in other_targets(pool).items():
            targets[name] = select_examples(pool, rows, model_dir, less_config).scores
    cucb_config = replace(base, cache_dir=str(out / "cache-clusterucb"))
    ks = [cucb_config.clusters or default_clusters(len(pool), base.budget)]
    ks += [int(k) for k in args.sweep_clusters.split(",")] if args.sweep_clusters else []
    top = len(less.selected)
    print(
        f"\nClusterUCB overlap with LESS's top {top}, budget 0.2, {args.kmeans_seeds} k-means "
        f"x {args.replays} bandit seeds (mean per target; mean of targets, worst target)"
    )
    for k in ks:
        overlaps: dict[str, list[float]] = {name: [] for name in targets}
        for seed in range(args.kmeans_seeds):
            config = replace(cucb_config, clusters=k)
            labels = pool_clusters(pool, model_dir, config, kmeans_seed=base.lora.seed + seed)
            for name, scores in targets.items():
                overlaps[name] += replay_overlaps(
                    labels, scores, top, 0.2, args.replays, BanditConfig()
                )
        means = {name: statistics.fmean(values) for name, values in overlaps.items()}
        cells = " ".join(f"{short(name)} {mean:.1%}" for name, mean in means.items())
        print(
            f"  K = {k:<4} {cells} | {statistics.fmean(means.values()):.1%}, "
            f"worst {min(means.values()):.1%}",
            flush=True,
        )


def accuracy_after_training(
    model_dir: str,
    rows: list[dict[str, Any]],
    test: list[Problem],
    out: Path,
    args: argparse.Namespace,
) -> tuple[Any, float]:
    from reasonloop.backends.base import SamplingParams
    from reasonloop.backends.registry import load_sampler
    from reasonloop.evaluate import evaluate
    from reasonloop.train import SFTTrainConfig, train_sft

    start = time.perf_counter()
    model = model_dir
    if rows:
        epochs = args.pool_epochs if len(rows) > args.pool_size // 2 else args.epochs
        config = SFTTrainConfig(
            epochs=epochs, learning_rate=args.lr, batch_size=4, max_length=args.train_max_length
        )
        model = train_sft(model_dir, rows, out / "model", config).output_dir
    sampler = load_sampler("transformers", model, batch_size=16, num_threads=args.threads)
    params = SamplingParams(max_new_tokens=24, temperature=0.0)
    report = evaluate(test, sampler, DrawSettings(DEFAULT_TEMPLATE), params=params, ks=(1,))
    return report.accuracy, time.perf_counter() - start


def add_pool_arguments(parser: argparse.ArgumentParser) -> None:
    """The pool, target and feature options this benchmark and its companions share."""
    parser.add_argument("--model", default="default")
    parser.add_argument("--pool-size", type=int, default=400)
    parser.add_argument("--gsm8k-share", type=float, default=0.4)
    parser.add_argument("--val", type=int, default=16, help="target validation problems")
    parser.add_argument("--test", type=int, default=100, help="target test problems")
    parser.add_argument("--budget", type=float, default=0.2)
    parser.add_argument("--top", type=float, default=0.05)
    parser.add_argument("--dim", type=int, default=1024, help="projection dimension")
    parser.add_argument("--max-length", type=int, default=64, help="tokens per row")
    parser.add_argument("--seed", type=int, default=0)


def base_config(args: argparse.Namespace) -> SelectConfig:
    """The selection settings every method of the benchmark shares."""
    return SelectConfig(
        budget=args.budget,
        top=args.top,
        features=FeatureConfig(dim=args.dim, max_length=args.max_length, seed=args.seed),
        warmup=WarmupConfig(),
        bandit=BanditConfig(seed=args.seed),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for caches, selections, models")
    add_pool_arguments(parser)
    parser.add_argument("--clusters", type=int, help="K (default: budget x N / 3)")
    parser.add_argument("--train-max-length", type=int, default=256, help="tokens per row")
    parser.add_argument("--epochs", type=float, default=3.0, help="epochs on a selected subset")
    parser.add_argument("--pool-epochs", type=float, default=1.0, help="epochs on the whole pool")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--replays", type=int, default=100, help="bandit reruns, other seeds")
    parser.add_argument(
        "--checkpoints", type=int, default=1, help="warm-up checkpoints influence is summed over"
    )
    parser.add_argument("--no-train", action="store_true", help="selection metrics only")
    parser.add_argument(
        "--other-targets",
        action="store_true",
        help="also replay on four more targets (16 target gradients each, LESS's cache)",
    )
    parser.add_argument(
        "--sweep-clusters", metavar="K,K,...", help="also replay at these K (no gradient)"
    )
    parser.add_argument(
        "--kmeans-seeds", type=int, default=1, help="clusterings per K in those replays"
    )
    parser.add_argument(
        "--only",
        choices=("clusterucb", "less", "random"),
        help="one method: fill its cache, train on its subset if --train names it",
    )
    parser.add_argument(
        "--train",
        default=",".join(SUBSETS),
        help=f"the subsets to train on, comma-separated (default: all of {', '.join(SUBSETS)})",
    )
    args = parser.parse_args()

    import torch

    # Imported up front, so a long run does not fail late on an import.
    from reasonloop.backends.registry import load_sampler  # noqa: F401
    from reasonloop.curate.select.checkpoint import model_directory
    from reasonloop.evaluate import evaluate  # noqa: F401
    from reasonloop.train import train_sft  # noqa: F401

    torch.set_num_threads(args.threads)
    out = Path(args.out)
    pool, val, test = build_pool(args)
    target = [solution_row(p, f"The answer is {p.gold}.", TARGET) for p in val]
    model_dir = model_directory(args.model, out)
    base = replace(
        base_config(args),
        clusters=args.clusters,
        warmup=WarmupConfig(checkpoints=args.checkpoints),
    )
    print(f"pool {len(pool)} rows, target val {len(val)}, test {len(test)}; model {model_dir}")
    selections: dict[str, Selection] = {}
    walls: dict[str, float] = {}
    for method in (args.only,) if args.only else ("clusterucb", "less", "random"):
        # Each method gets its own cache, so its wall time includes everything it computes.
        config = replace(base, method=method, cache_dir=str(out / f"cache-{method}"))
        start = time.perf_counter()
        selections[method] = select_examples(pool, target, model_dir, config)
        walls[method] = time.perf_counter() - start
    if args.only:
        print(f"{args.only}: {walls[args.only]:.0f} s", flush=True)
        if not args.no_train:
            rows = [pool[i] for i in selections[args.only].selected]
            train_subsets({args.only: rows}, model_dir, test, out, args)
        return
    less = selections["less"]
    top_less = set(less.selected)
    print()
    header = (
        f"{'method':<11} {'infl.grads':>10} {'cluster pass':>12} {'select s':>9} "
        f"{'one-time s':>10} {'overlap':>8} {'spearman':>8}  sources of selected"
    )
    print(header)
    for method, s in selections.items():
        one_time = s.seconds.get("clustering", 0.0)
        overlap = len(top_less & set(s.selected)) / len(top_less)
        rho = spearman_with_less(s, less)
        sources: dict[str, int] = {}
        for i in s.selected:
            sources[pool[i]["source"]] = sources.get(pool[i]["source"], 0) + 1
        print(
            f"{method:<11} {s.gradients_used:>10} {s.clustering_gradients:>12} "
            f"{walls[method] - one_time:>9.1f} {one_time:>10.1f} {overlap:>8.1%} "
            f"{'n/a' if rho is None else f'{rho:.3f}':>8}  {json.dumps(sources)}"
        )
    cucb = selections["clusterucb"]
    print(
        f"\nClusterUCB / LESS influence gradients: "
        f"{cucb.gradients_used / less.gradients_used:.2f}; "
        f"selection wall time (excluding the one-time clustering pass): "
        f"{(walls['clusterucb'] - cucb.seconds.get('clustering', 0)) / walls['less']:.2f}; "
        f"including it: {walls['clusterucb'] / walls['less']:.2f}"
    )
    if args.replays:
        print_replays(cucb, less, args.replays)
        if args.other_targets or args.sweep_clusters:
            print_targets_and_clusters(pool, model_dir, base, out, less, args)
    if args.no_train:
        return
    subsets = {name: [pool[i] for i in s.selected] for name, s in selections.items()}
    subsets["whole-pool"] = pool
    subsets["no-training"] = []
    train_subsets(subsets, model_dir, test, out, args)


def train_subsets(
    subsets: dict[str, list[dict[str, Any]]],
    model_dir: str,
    test: list[Problem],
    out: Path,
    args: argparse.Namespace,
) -> None:
    """Train on each subset named in --train and print its held-out accuracy."""
    wanted = args.train.split(",")
    unknown = sorted(set(wanted) - set(SUBSETS))
    if unknown:
        raise SystemExit(f"--train: unknown subset(s) {', '.join(unknown)}")
    print(f"\n{'trained on':<11} {'rows':>5} {'held-out accuracy [95% CI]':>30} {'seconds':>8}")
    for name, rows in subsets.items():
        if name not in wanted:
            continue
        e, seconds = accuracy_after_training(model_dir, rows, test, out / name, args)
        print(
            f"{name:<11} {len(rows):>5} {f'{e.value:.1%} [{e.low:.1%}, {e.high:.1%}] n={e.n}':>30} "
            f"{seconds:>8.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
