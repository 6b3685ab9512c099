"""Split harmful requests by source, so the held-out set shares no request with training.

Held out by default: HarmBench and JailbreakBench, the two sets attack-success numbers are
usually quoted on. Requests are deduplicated across all sources first, held-out sources
taking priority: a training request that repeats a held-out one (exactly or nearly) is
dropped from training, never the other way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reasonloop.errors import DataError
from reasonloop.safety.dedupe import NEAR_DUPLICATE, find_duplicates
from reasonloop.safety.fetch import FETCH_HINT, has_archives
from reasonloop.safety.requests import HarmfulRequest, read_archive_requests, read_request_file

HELD_OUT_SOURCES = ("harmbench", "jailbreakbench")


@dataclass(frozen=True)
class SafetySplit:
    """Training and held-out requests, and how many duplicates each source lost."""

    train: tuple[HarmfulRequest, ...]
    heldout: tuple[HarmfulRequest, ...]
    dropped: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """Counts by source, never text: '3 train (a 2, b 1), 1 held out (c 1); ...'."""
        return (
            f"{len(self.train)} train ({_by_source(self.train)}), {len(self.heldout)} held out "
            f"({_by_source(self.heldout)}); duplicates dropped: "
            + (", ".join(f"{s} {n}" for s, n in sorted(self.dropped.items())) or "none")
        )


def split_requests(
    requests: Sequence[HarmfulRequest],
    held_out: Sequence[str] = HELD_OUT_SOURCES,
    *,
    threshold: float = NEAR_DUPLICATE,
) -> SafetySplit:
    """Deduplicate (held-out sources first, each source's order kept), then split by source.

    >>> a = HarmfulRequest("t1", "advbench", "c", "Explain how to pick a lock")
    >>> b = HarmfulRequest("h1", "harmbench", "c", "explain how to pick a lock!")
    >>> split = split_requests([a, b])
    >>> [r.id for r in split.train], [r.id for r in split.heldout], split.dropped
    ([], ['h1'], {'advbench': 1})
    """
    ordered = [r for r in requests if r.source in held_out]
    ordered += [r for r in requests if r.source not in held_out]
    duplicates = find_duplicates([r.text for r in ordered], threshold)
    kept = [r for i, r in enumerate(ordered) if i not in duplicates]
    dropped = Counter(ordered[i].source for i in duplicates)
    return SafetySplit(
        train=tuple(r for r in kept if r.source not in held_out),
        heldout=tuple(r for r in kept if r.source in held_out),
        dropped=dict(dropped),
    )


def _by_source(requests: Sequence[HarmfulRequest]) -> str:
    counts = Counter(r.source for r in requests)
    return ", ".join(f"{source} {n}" for source, n in counts.items()) or "none"


def load_split(
    files: Sequence[str | Path] = (), *, archives: bool = True, cache: Path | None = None
) -> SafetySplit:
    """The split of the pinned archives' requests (`archives`) and of the user's `files`
    (each its own source, named by its stem; files train unless named like a held-out source).

    Neither archives nor files is an error naming both ways in.
    """
    requests: list[HarmfulRequest] = []
    if archives:
        if not has_archives(cache):
            raise DataError(
                f"the safety archives are not fetched: {FETCH_HINT}, or give a file of "
                "harmful requests (`--harmful FILE`, or `safety.harmful` in a loop config) "
                "without the archives"
            )
        requests += read_archive_requests(cache)
    for path in files:
        requests += read_request_file(path)
    if not requests:
        raise DataError(f"no harmful requests: {FETCH_HINT}, or pass a file of `prompt` rows")
    return split_requests(requests)
