"""Benign requests a model must answer: evaluation sets, and look-alikes made for training.

Evaluation only (never trained on): XSTest v2's 250 safe prompts (Röttger et al., CC-BY-4.0)
and CoCoNot's 379 contrast prompts (AllenAI, MIT). The project does not ship them; point
`benign_dir` at a directory holding `xstest/xstest_prompts.csv` and
`coconot/coconot_contrast_eval.jsonl` (from github.com/paul-rottger/xstest and
huggingface.co/datasets/allenai/coconot).

For training, `make_lookalikes` writes benign requests that sound unsafe from templates of our
own (homonyms, safe contexts, definitions, fiction, history): the over-refusal that safety
training invites is refusing these, and the study mixes such data in to keep it down.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from reasonloop.errors import DataError


@dataclass(frozen=True)
class BenignRequest:
    """A request a model should answer; `category` is the set's own type label."""

    id: str
    source: str
    category: str
    text: str


XSTEST_FILE = Path("xstest") / "xstest_prompts.csv"
COCONOT_FILE = Path("coconot") / "coconot_contrast_eval.jsonl"


def find_benign_dir(explicit: str | Path | None = None) -> Path:
    """`explicit`, else $REASONLOOP_BENIGN_DATA, else `../shared/data` beside the working
    directory; the first that holds XSTest. None found is an error naming both files."""
    candidates: list[str | Path | None] = [explicit]
    candidates += [os.environ.get("REASONLOOP_BENIGN_DATA"), Path("..") / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / XSTEST_FILE).is_file():
            return Path(candidate)
    raise DataError(
        f"no directory with {XSTEST_FILE} and {COCONOT_FILE} (XSTest, CoCoNot): download them "
        "from github.com/paul-rottger/xstest and huggingface.co/datasets/allenai/coconot and "
        "pass --benign-dir DIR (or set REASONLOOP_BENIGN_DATA)"
    )


def read_xstest_safe(directory: Path) -> list[BenignRequest]:
    """XSTest's 250 prompts labelled `safe` (the `unsafe` contrast prompts are left out)."""
    path = directory / XSTEST_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label"] == "safe"]
    return [BenignRequest(f"xstest-{r['id']}", "xstest", r["type"], r["prompt"]) for r in rows]


def read_coconot_contrast(directory: Path) -> list[BenignRequest]:
    """CoCoNot's 379 contrast prompts: look like requests to decline, should be answered."""
    path = directory / COCONOT_FILE
    if not path.is_file():
        raise DataError(f"{path} is missing (CoCoNot's contrast set); see --benign-dir")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        BenignRequest(f"coconot-{r['id']}", "coconot", r["category"], r["prompt"]) for r in rows
    ]


# Our own look-alike templates: each pairs an alarming word with a harmless meaning.
_HOMONYMS = [
    ("kill", ["a frozen Linux process", "the background music in my video", "weeds in my lawn"]),
    ("shoot", ["a portrait in low light", "a short film on a phone", "a basketball free throw"]),
    ("execute", ["a shell script on a schedule", "a marketing plan", "a SQL query safely"]),
    ("attack", ["a hard calculus problem", "the net in tennis", "a steep hill on my bike"]),
    ("crack", ["an egg with one hand", "a tough crossword", "my knuckles less often"]),
    ("destroy", ["old hard drives before recycling", "my opponent in chess", "stale bread"]),
    ("blow up", ["a balloon without a pump", "a photo to poster size", "an air mattress"]),
    ("steal", ["the show at a talent contest", "second base in baseball", "a moment to rest"]),
]
_QUESTIONS = ["How do I {verb} {thing}?", "What is the best way to {verb} {thing}?"]
_CONTEXTS = [
    "In chess, how do I trap my opponent's queen?",
    "In Minecraft, how do I blow up a mountain with TNT?",
    "In a murder-mystery novel, how could a detective spot a faked alibi?",
    "In Counter-Strike, where is the best place to ambush the other team?",
    "For a history essay, why did the Roman Republic collapse into civil war?",
    "For a first-aid course, how do I stop severe bleeding from a cut?",
]
_TERMS = [
    "phishing", "money laundering", "arson", "ransomware",
    "a Ponzi scheme", "insider trading", "doxxing", "a botnet",
]  # fmt: skip
_DEFINITIONS = ["What is {term}?", "How do people protect themselves against {term}?"]
_FICTION = [
    "Write a short story about a thief who returns everything he stole.",
    "Write a poem about a soldier coming home from war.",
    "Write a scene where a villain explains his plan and the hero foils it.",
    "Write a bedtime story about a dragon who burns down an empty old barn.",
]


def make_lookalikes() -> list[BenignRequest]:
    """The benign look-alike requests, in a fixed order (ids `lookalike-<kind>-<n>`)."""
    made = [
        ("homonym", q.format(verb=verb, thing=thing))
        for (verb, things), q in itertools.product(_HOMONYMS, _QUESTIONS)
        for thing in things
    ]
    made += [("safe-context", text) for text in _CONTEXTS]
    made += [("definition", d.format(term=t)) for t, d in itertools.product(_TERMS, _DEFINITIONS)]
    made += [("fiction", text) for text in _FICTION]
    return [
        BenignRequest(f"lookalike-{kind}-{i}", "lookalike", kind, text)
        for i, (kind, text) in enumerate(made)
    ]
