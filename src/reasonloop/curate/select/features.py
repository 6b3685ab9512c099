"""Gradient features: per-example LoRA gradients, Adam-preconditioned, projected, normalised.

For an example with loss L (mean cross-entropy over its completion tokens; the prompt is
context, as in SFT), the feature is

    g = dL/d(LoRA parameters)                      plain gradient (targets, clustering)
    m' = b1 m + (1 - b1) g,  v' = b2 v + (1 - b2) g^2
    f = m' / sqrt(v' + eps)                        Adam-preconditioned (pool, after warm-up)

then randomly projected to `dim` coordinates and L2-normalised, so the influence of a pool
example on a target is a plain dot product (a cosine). Features are cached by row content;
`compute_features` computes only what the store lacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reasonloop.curate.select.checkpoint import AdamState, Checkpoint
from reasonloop.curate.select.projection import SparseProjector
from reasonloop.curate.select.rows import Example
from reasonloop.curate.select.store import FeatureStore
from reasonloop.errors import DataError


@dataclass(frozen=True)
class FeatureConfig:
    """The feature space: projection size and sparsity, token limit, projection seed."""

    dim: int = 8192
    nonzeros: int = 8
    max_length: int = 128
    seed: int = 0
    show_progress: bool = True


def encode(tokenizer: Any, example: Example, max_length: int) -> tuple[list[int], list[int]]:
    """(input ids, labels) with the prompt masked (-100), truncated to `max_length` tokens.

    Long rows keep their first `max_length` tokens; when that would leave no completion token
    (a very long prompt) they keep their last ones instead, so every row has a loss.
    """
    prompt_text = tokenizer.apply_chat_template(
        example.prompt, tokenize=False, add_generation_prompt=True
    )
    full_text = tokenizer.apply_chat_template(example.prompt + example.completion, tokenize=False)
    if not full_text.startswith(prompt_text):
        raise DataError(f"row {example.key}: the chat template does not extend the prompt")
    prompt_ids = tokenizer(prompt_text, add_special_tokens=False)["input_ids"]
    completion_ids = tokenizer(full_text[len(prompt_text) :], add_special_tokens=False)["input_ids"]
    ids = list(prompt_ids) + list(completion_ids)
    labels = [-100] * len(prompt_ids) + list(completion_ids)
    if len(ids) > max_length:
        keep = slice(0, max_length) if len(prompt_ids) < max_length else slice(-max_length, None)
        ids, labels = ids[keep], labels[keep]
    return ids, labels


def example_gradient(checkpoint: Checkpoint, example: Example, max_length: int) -> Any:
    """The flat gradient of the example's completion loss w.r.t. the LoRA parameters.

    The loss is the mean cross-entropy of the completion tokens, as HF's causal-LM loss with
    the prompt masked computes it, but the output layer (a vocabulary-sized matmul per
    position) runs on the positions that predict a completion token only: the prompt's logits
    would be computed and then ignored.
    """
    import torch

    ids, labels = encode(checkpoint.tokenizer, example, max_length)
    keep = [t for t in range(len(ids) - 1) if labels[t + 1] != -100]
    if not keep:
        raise DataError(f"row {example.key}: no completion token to score within {max_length}")
    model = checkpoint.model
    model.zero_grad(set_to_none=True)
    output = model(input_ids=torch.tensor([ids]), logits_to_keep=torch.tensor(keep))
    targets = torch.tensor([labels[t + 1] for t in keep])
    loss: Any = torch.nn.functional.cross_entropy(output.logits[0].float(), targets)
    loss.backward()
    parameters = dict(model.named_parameters())
    pieces = []
    for name in checkpoint.names:
        grad = parameters[name].grad
        pieces.append(torch.zeros_like(parameters[name]) if grad is None else grad)
    return torch.cat([piece.reshape(-1) for piece in pieces]).detach()


def adam_precondition(gradient: Any, adam: AdamState) -> Any:
    """m' / sqrt(v' + eps): one Adam step's update direction from the saved moments."""
    import torch

    exp_avg = torch.cat([m.reshape(-1) for m in adam.exp_avg])
    exp_avg_sq = torch.cat([v.reshape(-1) for v in adam.exp_avg_sq])
    m = adam.beta1 * exp_avg + (1 - adam.beta1) * gradient
    v = adam.beta2 * exp_avg_sq + (1 - adam.beta2) * gradient**2
    return m / torch.sqrt(v + adam.eps)


def make_projector(checkpoint: Checkpoint, config: FeatureConfig) -> SparseProjector:
    """The projection for this checkpoint's LoRA parameter count."""
    size = sum(p.numel() for name, p in checkpoint.model.named_parameters() if p.requires_grad)
    return SparseProjector(size, config.dim, seed=config.seed, nonzeros=config.nonzeros)


@dataclass(frozen=True)
class Features:
    """One feature row per requested example, and how many of them were computed now."""

    vectors: Any  # numpy float32 (n, dim)
    computed: int


def compute_features(
    examples: Sequence[Example],
    checkpoint: Checkpoint,
    projector: SparseProjector,
    store: FeatureStore,
    *,
    precondition: bool,
    config: FeatureConfig,
    progress: Any = None,
) -> Features:
    """Features of `examples`, read from `store` or computed (and stored) one at a time.

    `progress` (a tqdm bar) advances by one per example, computed or read.
    """
    import numpy as np
    import torch

    if precondition and checkpoint.adam is None:
        raise DataError("preconditioned features need a warm-up checkpoint with Adam moments")
    missing = [example for example in examples if example.key not in store]
    if progress is not None:
        progress.update(len(examples) - len(missing))
    for example in missing:
        if progress is not None:
            progress.update(1)
        if example.key in store:  # a duplicate row, computed a moment ago
            continue
        gradient = example_gradient(checkpoint, example, config.max_length)
        if precondition:
            assert checkpoint.adam is not None
            gradient = adam_precondition(gradient, checkpoint.adam)
        feature = projector.project(gradient)
        feature = feature / torch.clamp(feature.norm(), min=1e-12)
        store.add(example.key, feature.numpy())
    vectors = np.stack([store.get(example.key) for example in examples])
    return Features(vectors, len({example.key for example in missing}))
