"""Per-example LoRA gradients: the output layer on completion positions only vs HF's full loss.

`example_gradient` runs the vocabulary-sized output layer only where a completion token is
predicted; the peer is the plain way, `model(input_ids, labels=labels).loss.backward()`, which
computes logits for every position and masks the prompt's. Both are timed on the same rows
of `select_bench.py`'s pool, interleaved row by row so load changes hit both alike; it prints
the time ratio and the largest difference between the two gradients.

    OMP_NUM_THREADS=1 python benchmarks/select_gradient_bench.py --rows 40
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from reasonloop.curate.select.checkpoint import LoraShape, load_base, model_directory
from reasonloop.curate.select.features import encode, example_gradient
from reasonloop.curate.select.rows import to_examples
from select_bench import build_pool


def full_loss_gradient(checkpoint: Any, example: Any, max_length: int) -> Any:
    import torch

    ids, labels = encode(checkpoint.tokenizer, example, max_length)
    model = checkpoint.model
    model.zero_grad(set_to_none=True)
    model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss.backward()
    parameters = dict(model.named_parameters())
    return torch.cat([parameters[name].grad.reshape(-1) for name in checkpoint.names])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="runs/select-gradient-bench", help="model cache")
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--max-length", type=int, default=64)
    args = parser.parse_args()

    from pathlib import Path

    import torch

    torch.set_num_threads(1)
    pool_args = argparse.Namespace(pool_size=400, gsm8k_share=0.4, val=16, test=100, seed=0)
    pool, _, _ = build_pool(pool_args)
    rows = random.Random(0).sample(pool, args.rows)
    examples = to_examples(rows)
    model_dir = model_directory("default", Path(args.out))
    checkpoint = load_base(model_dir, LoraShape())
    with torch.no_grad():  # a warm checkpoint stand-in: LoRA B off zero
        for parameter in checkpoint.model.parameters():
            if parameter.requires_grad:
                parameter.add_(0.01 * torch.randn_like(parameter))
    ours = theirs = 0.0
    worst = 0.0
    for example in examples:
        start = time.perf_counter()
        reference = full_loss_gradient(checkpoint, example, args.max_length)
        theirs += time.perf_counter() - start
        start = time.perf_counter()
        gradient = example_gradient(checkpoint, example, args.max_length)
        ours += time.perf_counter() - start
        scale = float(reference.abs().max())
        worst = max(worst, float((gradient - reference).abs().max()) / max(scale, 1e-12))
    print(
        f"{args.rows} rows, {args.max_length} tokens: full loss {theirs / args.rows:.3f} s/row, "
        f"completion logits only {ours / args.rows:.3f} s/row, ratio {theirs / ours:.2f}x; "
        f"largest difference {worst:.1e} of the gradient's largest entry"
    )


if __name__ == "__main__":
    main()
