"""Per-request seeds, so k copies of one prompt in a call are k different samples.

Servers and engines that take a seed per request (vLLM, OpenAI-compatible servers) would give
identical replies to identical prompts sent with the same seed.
"""

from __future__ import annotations

import hashlib


def derive_request_seeds(seed: int, call: int, count: int) -> list[int]:
    """`count` distinct 31-bit seeds for the requests of the `call`-th batch sent with `seed`.

    >>> derive_request_seeds(0, 0, 3) == derive_request_seeds(0, 0, 3)
    True
    >>> len(set(derive_request_seeds(0, 0, 100) + derive_request_seeds(0, 1, 100)))
    200
    """
    return [_hash_seed(seed, call, index) for index in range(count)]


def _hash_seed(*parts: int) -> int:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
