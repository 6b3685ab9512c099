"""A seeded sparse random projection (Kane-Nelson block construction) of gradient vectors.

A LoRA gradient of a 135M model has a few million coordinates; LESS projects it to d = 8192
dimensions. A dense Rademacher matrix of that size would take ~80 GB, so we never build one.
Instead every input coordinate i sends its value to `nonzeros` output coordinates, one in each
of `nonzeros` equal blocks of the output, with a random sign, scaled by 1/sqrt(nonzeros).
This is the sparse Johnson-Lindenstrauss transform: inner products are preserved in
expectation and, with d = O(eps^-2 log n), within eps for n vectors with high probability,
at a cost of `nonzeros` multiply-adds per coordinate instead of d.

The map is generated in fixed blocks of input coordinates, each from its own seed, so the
same (seed, input_dim, output_dim, nonzeros) gives the same projection on every machine and
projecting a vector piece by piece equals projecting it whole.
"""

from __future__ import annotations

import math
from typing import Any

from reasonloop.errors import ConfigError

# Input coordinates per generated block: bounds the memory of one generation step.
BLOCK = 1 << 20


class SparseProjector:
    """Projects (n, input_dim) float tensors to (n, output_dim); state: the index/sign map."""

    def __init__(
        self, input_dim: int, output_dim: int, *, seed: int = 0, nonzeros: int = 8
    ) -> None:
        import torch

        if input_dim < 1 or output_dim < 1:
            raise ConfigError("projection dimensions must be at least 1")
        if nonzeros < 1 or output_dim % nonzeros:
            raise ConfigError(
                f"the projection dimension ({output_dim}) must be a multiple of nonzeros "
                f"({nonzeros})"
            )
        self.input_dim, self.output_dim, self.nonzeros = input_dim, output_dim, nonzeros
        width = output_dim // nonzeros
        offsets = (torch.arange(nonzeros) * width).unsqueeze(1)
        indices, signs = [], []
        for start in range(0, input_dim, BLOCK):
            size = min(BLOCK, input_dim - start)
            generator = torch.Generator().manual_seed(_block_seed(seed, start // BLOCK))
            indices.append(torch.randint(width, (nonzeros, size), generator=generator) + offsets)
            bits = torch.randint(2, (nonzeros, size), generator=generator)
            signs.append(bits.to(torch.float32) * 2 - 1)
        self._indices: Any = torch.cat(indices, dim=1)
        self._signs: Any = torch.cat(signs, dim=1) / math.sqrt(nonzeros)

    def project(self, vectors: Any) -> Any:
        """(n, input_dim) or (input_dim,) -> (n, output_dim) or (output_dim,), float32."""
        import torch

        single = vectors.dim() == 1
        matrix = vectors.reshape(1, -1) if single else vectors
        if matrix.shape[1] != self.input_dim:
            raise ConfigError(
                f"expected vectors of {self.input_dim} coordinates, got {matrix.shape[1]}"
            )
        matrix = matrix.to(torch.float32)
        out = torch.zeros(matrix.shape[0], self.output_dim, dtype=torch.float32)
        for row in range(self.nonzeros):
            out.index_add_(1, self._indices[row], matrix * self._signs[row])
        return out[0] if single else out


def _block_seed(seed: int, block: int) -> int:
    # Distinct, well-separated seeds per (seed, block); a Generator seed must be < 2**64.
    return (seed * 1_000_003 + block * 7_919 + 12_345) % (1 << 63)
