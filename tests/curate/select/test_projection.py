"""The sparse random projection keeps inner products within the Johnson-Lindenstrauss bound."""

from __future__ import annotations

import itertools
import math

import pytest

torch = pytest.importorskip("torch")

from reasonloop.curate.select.projection import SparseProjector  # noqa: E402
from reasonloop.errors import ConfigError  # noqa: E402


def jl_epsilon(points: int, dim: int) -> float:
    """The smallest eps with dim >= 4 ln(n) / (eps^2/2 - eps^3/3) (Dasgupta-Gupta JL lemma)."""
    low, high = 1e-6, 1.0
    for _ in range(60):
        mid = (low + high) / 2
        if dim >= 4 * math.log(points) / (mid**2 / 2 - mid**3 / 3):
            high = mid
        else:
            low = mid
    return high


@pytest.mark.parametrize(("seed", "input_dim", "output_dim"), [(0, 20_000, 2048), (1, 5000, 1024)])
def test_inner_products_and_distances_within_the_jl_bound(
    seed: int, input_dim: int, output_dim: int
) -> None:
    generator = torch.Generator().manual_seed(100 + seed)
    vectors = torch.randn(20, input_dim, generator=generator)
    vectors = vectors / vectors.norm(dim=1, keepdim=True)
    projected = SparseProjector(input_dim, output_dim, seed=seed).project(vectors)
    eps = jl_epsilon(len(vectors), output_dim)
    for i, j in itertools.combinations(range(len(vectors)), 2):
        true = float(vectors[i] @ vectors[j])
        assert abs(float(projected[i] @ projected[j]) - true) <= eps
        distance = float((vectors[i] - vectors[j]).norm() ** 2)
        kept = float((projected[i] - projected[j]).norm() ** 2)
        assert (1 - eps) * distance <= kept <= (1 + eps) * distance


def test_same_seed_same_map_and_one_vector_equals_a_batch_row() -> None:
    vectors = torch.randn(3, 3000)
    first = SparseProjector(3000, 256, seed=5).project(vectors)
    again = SparseProjector(3000, 256, seed=5)
    assert torch.equal(first, again.project(vectors))
    assert torch.allclose(first[1], again.project(vectors[1]))
    assert not torch.equal(first, SparseProjector(3000, 256, seed=6).project(vectors))


def test_linear() -> None:
    projector = SparseProjector(1000, 64, seed=2)
    x, y = torch.randn(1000), torch.randn(1000)
    assert torch.allclose(
        projector.project(2 * x + y), 2 * projector.project(x) + projector.project(y), atol=1e-5
    )


@pytest.mark.parametrize(
    ("input_dim", "output_dim", "nonzeros"), [(0, 8, 1), (10, 100, 8), (10, 8, 0)]
)
def test_bad_shapes_are_errors(input_dim: int, output_dim: int, nonzeros: int) -> None:
    with pytest.raises(ConfigError):
        SparseProjector(input_dim, output_dim, nonzeros=nonzeros)


def test_wrong_vector_size_is_an_error() -> None:
    with pytest.raises(ConfigError, match="coordinates"):
        SparseProjector(100, 16).project(torch.randn(99))
