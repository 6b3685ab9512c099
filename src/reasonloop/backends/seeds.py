"""Seeds per sample and per request.

`sample_problems` gives every (problem, sample index, round) its own seed (`sample_seed`), passed
to the backend as `SamplingParams.seeds`, so neither the batching nor the point where a run was
interrupted and resumed can change a sample. Which backends honour them:

- fake, transformers (each row samples from its own generator), vLLM (a seed per request):
  yes, a sample is a function of its seed, prompt and settings.
- OpenAI-compatible servers: the seed is sent per request; a server may ignore it (OpenAI
  documents seeds as best effort).
- ctranslate2 (the CPU engine): no per-request seed exists; a call is seeded as a whole from
  the batch's seed, so its samples depend on the batch. A resumed run redraws the same
  batches (batches are cut from the same plan), but a different --batch-size changes them.

Without per-sample seeds, requests get seeds derived from the call's seed, so k copies of one
prompt in a call are still k different samples.
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


def sample_seed(seed: int, problem_id: str, sample_index: int, round: int) -> int:
    """The 31-bit seed of one sample: a function of the run seed and the sample's identity.

    >>> sample_seed(0, "p", 0, 0) == sample_seed(0, "p", 0, 0) != sample_seed(0, "p", 1, 0)
    True
    """
    return _hash_seed(seed, problem_id, sample_index, round)


def request_seeds(seeds: tuple[int, ...] | None, seed: int, call: int, count: int) -> list[int]:
    """The per-sample `seeds` when given (one per request), else ones derived from the call."""
    if seeds is None:
        return derive_request_seeds(seed, call, count)
    if len(seeds) != count:
        raise ValueError(f"{len(seeds)} seeds for {count} requests")
    return list(seeds)


def _hash_seed(*parts: int | str) -> int:
    # Unambiguous although a problem id may hold ':': every other part is an int.
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
