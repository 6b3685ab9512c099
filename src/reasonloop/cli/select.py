"""`reasonloop select`: keep the pool rows that help a target task most (ClusterUCB, LESS)."""

from __future__ import annotations

import argparse

METHOD_HELP = "clusterucb (budgeted bandit over gradient clusters), less (every row), random"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from reasonloop.curate.select.bandit import RULES, SINGLE_DRAW_STDS
    from reasonloop.curate.select.methods import METHODS

    parser.add_argument("--pool", required=True, metavar="FILE", help="pool rows .jsonl/.parquet")
    parser.add_argument("--target", required=True, metavar="FILE", help="target validation rows")
    parser.add_argument("--model", default="default", help="'default', a model dir, .gguf or id")
    parser.add_argument("--method", choices=METHODS, default="clusterucb", help=METHOD_HELP)
    parser.add_argument("--budget", type=float, default=0.2, help="influence gradients / pool")
    parser.add_argument("--top", type=float, default=0.05, help="share of the pool to keep")
    parser.add_argument(
        "--clusters",
        type=int,
        help="K for spherical k-means (default: budget x N / 3, at most 4 sqrt(N) / 3)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="SELECTED.jsonl")
    parser.add_argument("--cache", metavar="DIR", help="feature cache (default: OUTPUT.cache/)")
    group = parser.add_argument_group("features and bandit")
    group.add_argument("--dim", type=int, default=8192, help="projection dimension")
    group.add_argument("--max-length", type=int, default=128, help="tokens per row")
    group.add_argument("--lora-rank", type=int, default=8)
    group.add_argument("--warmup-share", type=float, default=0.05, help="share of the pool")
    group.add_argument("--warmup-epochs", type=float, default=1.0)
    group.add_argument(
        "--warmup-checkpoints",
        type=int,
        default=1,
        metavar="C",
        help="warm-up checkpoints to sum influence over, lr-weighted (LESS: one per epoch); "
        "each drawn row costs C gradients",
    )
    group.add_argument("--cold-start", type=float, default=0.05, help="share of each cluster")
    group.add_argument("--beta", type=float, default=1.0, help="exploration weight")
    group.add_argument("--rule", choices=RULES, default="ucb", help="ucb: mean+beta*std")
    group.add_argument(
        "--single-draw-std",
        choices=SINGLE_DRAW_STDS,
        default="pooled",
        help="the std of a cluster drawn once: the spread of all rewards (pooled) or 0",
    )
    group.add_argument("--seed", type=int, default=0)
    group.add_argument("--no-progress", action="store_true", help="no progress bars")
    fields = parser.add_argument_group("field mapping")
    fields.add_argument("--prompt-field", default="prompt")
    fields.add_argument("--completion-field", default="completion")
    fields.add_argument("--messages-field", default="messages")
    fields.add_argument("--subtask-field", help="target field naming each row's subtask")


def run(args: argparse.Namespace) -> int:
    from reasonloop.curate.select import (
        BanditConfig,
        FeatureConfig,
        FieldMap,
        LoraShape,
        SelectConfig,
        WarmupConfig,
        select_examples,
        write_selection,
    )
    from reasonloop.curate.select.selection_files import describe_selection
    from reasonloop.dataset.io import read_dataset

    config = SelectConfig(
        method=args.method,
        budget=args.budget,
        top=args.top,
        clusters=args.clusters,
        cache_dir=args.cache or args.output.removesuffix(".jsonl") + ".cache",
        features=FeatureConfig(
            dim=args.dim,
            max_length=args.max_length,
            seed=args.seed,
            show_progress=not args.no_progress,
        ),
        lora=LoraShape(rank=args.lora_rank, alpha=2 * args.lora_rank, seed=args.seed),
        warmup=WarmupConfig(
            share=args.warmup_share,
            epochs=args.warmup_epochs,
            checkpoints=args.warmup_checkpoints,
        ),
        bandit=BanditConfig(
            cold_start=args.cold_start,
            beta=args.beta,
            rule=args.rule,
            single_draw_std=args.single_draw_std,
            seed=args.seed,
        ),
        fields=FieldMap(args.prompt_field, args.completion_field, args.messages_field),
        target_subtask_field=args.subtask_field,
    )
    pool = read_dataset(args.pool)
    target = read_dataset(args.target)
    selection = select_examples(pool, target, args.model, config)
    written = write_selection(selection, pool, args.output)
    print(f"{describe_selection(selection)}; wrote {written.selected}")
    for path in (written.drawn, written.summary, written.html):
        if path is not None:
            print(f"  {path}")
    return 0
