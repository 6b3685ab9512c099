"""A backend as instructor: strict JSON replies, malformed ones counted and skipped, caching."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from reasonloop.backends.base import Completion, Conversation, SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.curate.synthesize import ModelInstructor, ReplyCache
from reasonloop.curate.synthesize.instructor import SynthesisRequest
from reasonloop.curate.synthesize.model_instructor import load_prompt
from reasonloop.curate.synthesize.records import BadCase, ErrorType
from reasonloop.curate.synthesize.replies import (
    read_assignments,
    read_keyphrases,
    read_problems,
    read_types,
)
from reasonloop.tasks.problem import Problem

CASE = BadCase(Problem("p1", "What is 47 + 38?", "85"), "unsolved", 0.0, ("It is 75.",), ("75",))


class ScriptedModel:
    """A model that answers every conversation with the next of its fixed replies."""

    model_id = "scripted"

    def __init__(self, replies: Sequence[str]) -> None:
        self.replies = list(replies)
        self.prompts: list[str] = []

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        self.prompts += [c[-1]["content"] for c in conversations]
        return [Completion(self.replies.pop(0), 1, 1, "stop", 0.0) for _ in conversations]


@pytest.mark.parametrize(
    ("reader", "reply", "ok"),
    [
        (read_keyphrases, '{"keyphrases": ["dropped the carry"]}', True),
        (read_keyphrases, '```json\n{"keyphrases": ["dropped the carry"]}\n```', True),
        (read_keyphrases, 'Here you go: {"keyphrases": ["x"]}', False),
        (read_keyphrases, '{"keyphrases": []}', False),
        (read_keyphrases, '{"keyphrases": ["' + "x" * 500 + '"]}', False),
        (read_keyphrases, '{"keyphrases": "dropped the carry"}', False),
        (read_keyphrases, "[" * 100_000, False),
        (read_types, '{"types": {"carry": ["dropped the carry"]}}', True),
        (read_types, '{"types": {"carry": "dropped the carry"}}', False),
        (read_assignments, '{"assignments": {"dropped the carry": "carry"}}', True),
        (read_assignments, '{"assignments": {"dropped the carry": 3}}', False),
        (read_problems, '{"problems": [{"question": "q", "solution": "s", "answer": "1"}]}', True),
        (read_problems, '{"problems": [{"question": "q", "answer": "1"}]}', False),
        (read_problems, "not json at all", False),
    ],
)
def test_replies_are_read_strictly(reader: object, reply: str, ok: bool) -> None:
    assert (reader(reply) is not None) is ok  # type: ignore[operator]


def test_malformed_replies_are_counted_and_skipped(tmp_path: Path) -> None:
    # The fake echo model answers with the prompt itself: never the JSON asked for.
    instructor = ModelInstructor(FakeSampler("echo"), ReplyCache(tmp_path / "cache.jsonl"))
    assert instructor.describe_errors([CASE, CASE]) == []
    assert instructor.propose_types(["dropped the carry"]) == {}
    request = SynthesisRequest(
        ErrorType("carry", ("dropped the carry",), ("p1",)), (CASE,), (), 2, 0
    )
    assert instructor.synthesize(request) == []
    assert instructor.malformed == {"keyphrases": 2, "types": 1, "problems": 1}


def test_wellformed_replies_and_the_cache_resumes(tmp_path: Path) -> None:
    problems = {
        "problems": [
            {"question": "What is 58 + 67?", "solution": "The answer is 125.", "answer": "125"},
            {"question": "broken"},
        ]
    }
    replies = [json.dumps({"keyphrases": ["dropped the carry"]}), json.dumps(problems)]
    model = ScriptedModel(replies)
    instructor = ModelInstructor(model, ReplyCache(tmp_path / "cache.jsonl"))
    assert [c.keyphrases for c in instructor.describe_errors([CASE])] == [("dropped the carry",)]
    assert "What is 47 + 38?" in model.prompts[0] and "It is 75." in model.prompts[0]
    request = SynthesisRequest(
        ErrorType("carry", ("dropped the carry",), ("p1",)), (CASE,), (), 2, 0
    )
    made = instructor.synthesize(request)
    assert [(p.question, p.answer) for p in made] == [("What is 58 + 67?", "125")]
    # a new instructor on the same cache asks the model nothing
    again = ModelInstructor(ScriptedModel([]), ReplyCache(tmp_path / "cache.jsonl"))
    assert [p.question for p in again.synthesize(request)] == ["What is 58 + 67?"]
    assert again.cache.hits == 1


def test_a_torn_cache_line_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.jsonl"
    path.write_text('{"key": "a", "reply": "x"}\n{"key": "b", "rep', encoding="utf-8")
    assert len(ReplyCache(path)) == 1


@pytest.mark.parametrize("name", ["keyphrases", "seed_types", "assign_types", "problems"])
def test_prompt_templates_ship_with_the_package(name: str) -> None:
    assert "JSON" in load_prompt(name).template
