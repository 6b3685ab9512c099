"""Could ClusterUCB cluster on something cheaper than base-model LoRA gradients?

ClusterUCB's one-time clustering pass costs one LoRA gradient per pool row, as much per row
as LESS's influence pass, so a first selection costs about (1 + budget) of LESS's gradients;
only later selections (another target, warm-up or loop iteration: the clustering is cached)
cost the budget alone. This benchmark measures, in one run on the pool and caches that
`select_bench.py` filled, what cheaper clustering features would cost per row relative to a
LoRA gradient on the same rows, and how much of LESS's top-p ClusterUCB then recovers
(bandit replays on LESS's cached influences, as in `select_bench.py`):

- `lora`: the shipped feature (base-model LoRA gradients, read from the cache).
- `output`: the gradient of the output layer, in closed form from a batched forward pass
  (no backward): sum over completion tokens of (softmax - one-hot) x last hidden state,
  projected with a Kronecker product of two Rademacher matrices (vocabulary x d1, hidden x d2).
- `hidden`: the mean last hidden state of the row (same forward pass).
- `tfidf`: character 2-4-grams of the row's text (scikit-learn), no model at all.

    python benchmarks/select_bench.py --out runs/sb2k --pool-size 2000 --no-train
    python benchmarks/select_cluster_features_bench.py --out runs/sb2k --pool-size 2000
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from reasonloop.curate.select import (
    BanditConfig,
    default_clusters,
    pool_clusters,
    select_examples,
)
from reasonloop.curate.select.checkpoint import load_base, model_directory
from reasonloop.curate.select.clusters import cluster_features
from reasonloop.curate.select.features import encode, example_gradient
from reasonloop.curate.select.rows import Example, to_examples
from select_bench import (
    TARGET,
    add_pool_arguments,
    base_config,
    build_pool,
    describe,
    replay_overlaps,
    solution_row,
)


def forward_features(
    model: Any, tokenizer: Any, examples: list[Example], args: argparse.Namespace
) -> tuple[Any, Any]:
    """(output-layer gradient features, mean hidden states), both L2-normalised rows."""
    import numpy as np
    import torch
    from tqdm import tqdm

    vocab, hidden = model.lm_head.weight.shape
    d2 = max(d for d in range(1, math.isqrt(args.dim) + 1) if args.dim % d == 0)
    generator = torch.Generator().manual_seed(args.seed)
    left = (torch.randint(0, 2, (vocab, args.dim // d2), generator=generator) * 2 - 1).float()
    right = (torch.randint(0, 2, (hidden, d2), generator=generator) * 2 - 1).float()
    left, right = left / math.sqrt(left.shape[1]), right / math.sqrt(d2)
    outputs, means = [], []
    for start in tqdm(range(0, len(examples), args.batch_size), desc="forward features"):
        encoded = [
            encode(tokenizer, e, args.max_length) for e in examples[start:][: args.batch_size]
        ]
        width = max(len(ids) for ids, _ in encoded)
        ids = torch.zeros((len(encoded), width), dtype=torch.long)
        mask = torch.zeros_like(ids)
        for row, (tokens, _) in enumerate(encoded):
            ids[row, : len(tokens)] = torch.tensor(tokens)
            mask[row, : len(tokens)] = 1
        with torch.inference_mode():
            states = model.model(input_ids=ids, attention_mask=mask).last_hidden_state
            for row, (tokens, labels) in enumerate(encoded):
                keep = [t for t in range(len(tokens) - 1) if labels[t + 1] != -100]
                kept = states[row, keep]
                probabilities = torch.softmax(model.lm_head(kept).float(), dim=-1)
                targets = torch.tensor([labels[t + 1] for t in keep])
                error = probabilities @ left - left[targets]
                feature = (error.T @ (kept @ right)).reshape(-1) / len(keep)
                outputs.append((feature / feature.norm()).numpy())
                mean = states[row, : len(tokens)].mean(dim=0)
                means.append((mean / mean.norm()).numpy())
    return np.stack(outputs), np.stack(means)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="select_bench.py's --out (filled caches)")
    add_pool_arguments(parser)
    parser.add_argument("--clusters", help="K values, comma-separated (default: the rule)")
    parser.add_argument("--batch-size", type=int, default=16, help="rows per forward pass")
    parser.add_argument("--timed-rows", type=int, default=32, help="rows the costs are timed on")
    parser.add_argument("--replays", type=int, default=30)
    args = parser.parse_args()

    import numpy as np
    import torch
    from sklearn.feature_extraction.text import TfidfVectorizer
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(1)
    out = Path(args.out)
    pool, val, _ = build_pool(args)
    target = [solution_row(p, f"The answer is {p.gold}.", TARGET) for p in val]
    model_dir = model_directory(args.model, out)
    base = base_config(args)
    less = select_examples(
        pool, target, model_dir, replace(base, method="less", cache_dir=str(out / "cache-less"))
    )
    if less.gradients_computed:
        print(f"note: LESS's cache lacked {less.gradients_computed} gradients (computed now)")
    examples = to_examples(pool)
    checkpoint = load_base(model_dir, base.lora)
    plain = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    timed = examples[:: max(1, len(examples) // args.timed_rows)][: args.timed_rows]
    start = time.perf_counter()
    for example in timed:
        example_gradient(checkpoint, example, args.max_length)
    lora_seconds = (time.perf_counter() - start) / len(timed)
    start = time.perf_counter()
    forward_features(plain, checkpoint.tokenizer, timed, args)
    forward_seconds = (time.perf_counter() - start) / len(timed)
    cache = out / "cluster-features-bench.npz"
    if cache.is_file():
        saved = np.load(cache)
        output, hidden = saved["output"], saved["hidden"]
    else:
        output, hidden = forward_features(plain, checkpoint.tokenizer, examples, args)
        np.savez(cache, output=output, hidden=hidden)
    texts = [" ".join(t["content"] for t in e.prompt + e.completion) for e in examples]
    start = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), max_features=20000)
    tfidf = vectorizer.fit_transform(texts).toarray()
    tfidf_seconds = (time.perf_counter() - start) / len(texts)
    costs = {"lora": 1.0, "output": forward_seconds / lora_seconds}
    costs["hidden"] = costs["output"]
    costs["tfidf"] = tfidf_seconds / lora_seconds
    print(
        f"\nper row, on {len(timed)} rows: LoRA gradient {lora_seconds:.3f} s, batched forward "
        f"(both forward features) {forward_seconds:.3f} s, tf-idf {tfidf_seconds * 1e3:.2f} ms"
    )
    ks = [int(k) for k in args.clusters.split(",")] if args.clusters else []
    ks = ks or [default_clusters(len(pool), args.budget)]
    top = len(less.selected)
    print(f"overlap with LESS's top {top} at budget {args.budget}, {args.replays} bandit seeds")
    print(f"{'features':<8} {'cost/row':>8} {'first selection / LESS':>22}   K   overlap")
    cucb = replace(base, cache_dir=str(out / "cache-clusterucb"))
    for name, cost in costs.items():
        for k in ks:
            if name == "lora":
                labels = list(pool_clusters(pool, model_dir, replace(cucb, clusters=k)))
            else:
                vectors = {"output": output, "hidden": hidden, "tfidf": tfidf}[name]
                labels = cluster_features(vectors, k, seed=base.lora.seed).tolist()
            overlaps = replay_overlaps(
                labels, less.scores, top, args.budget, args.replays, BanditConfig()
            )
            print(
                f"{name:<8} {cost:>8.3f} {cost + args.budget:>22.2f} {k:>4}   {describe(overlaps)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
