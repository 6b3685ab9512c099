"""Sampling where each row of a batch draws from its own seeded generator.

`model.generate(do_sample=True)` draws every row's token from one global generator, so a
sample depends on which other prompts shared its batch and in which order. Here the model
decodes greedily and this logits processor does the sampling: per row, temperature and top-p
are applied, a token is drawn with that row's generator (seeded by the sample's own seed), and
every other token is masked, so the greedy step picks the drawn one. A row's tokens are then a
function of its prompt, its seed and the settings (up to float differences from padding).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import LogitsProcessor


class SeededRowSampler(LogitsProcessor):
    """Temperature / top-p sampling with one generator per batch row."""

    def __init__(
        self, seeds: Sequence[int], temperature: float, top_p: float, device: torch.device
    ) -> None:
        if temperature <= 0.0:
            raise ValueError("seeded row sampling needs a temperature > 0 (greedy needs no seed)")
        self.generators = [torch.Generator(device=device).manual_seed(s) for s in seeds]
        self.temperature = temperature
        self.top_p = top_p

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        probs = nucleus(torch.softmax(scores.float() / self.temperature, dim=-1), self.top_p)
        chosen = torch.stack(
            [
                torch.multinomial(row, 1, generator=generator)[0]
                for row, generator in zip(probs, self.generators, strict=True)
            ]
        )
        masked = torch.full_like(scores, float("-inf"))
        masked[torch.arange(scores.shape[0]), chosen] = 0.0
        return masked  # type: ignore[return-value]


def nucleus(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Keep the smallest set of most likely tokens whose mass reaches `top_p` (at least one).

    >>> (nucleus(torch.tensor([[0.5, 0.3, 0.2]]), 0.7) > 0).tolist()
    [[True, True, False]]
    """
    if top_p >= 1.0:
        return probs
    ordered, order = probs.sort(dim=-1, descending=True)
    # A token stays when the mass before it is still short of top_p; the first always stays.
    drop = ordered.cumsum(dim=-1) - ordered >= top_p
    ordered = ordered.masked_fill(drop, 0.0)
    return torch.zeros_like(probs).scatter(-1, order, ordered)
