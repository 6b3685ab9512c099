"""Prompt templates: rendering, fingerprints, built-ins and template files."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.errors import ConfigError
from reasonloop.prompts import DEFAULT_TEMPLATE, TEMPLATES, PromptTemplate, load_template
from reasonloop.tasks import Problem

PROBLEM = Problem("p1", "What is 47 + 38?", "85")


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        (PromptTemplate(None, "{question}"), [{"role": "user", "content": "What is 47 + 38?"}]),
        (
            PromptTemplate("Be brief.", "Q: {question}\nA:"),
            [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Q: What is 47 + 38?\nA:"},
            ],
        ),
        (
            PromptTemplate("", "{question} Put it in \\boxed{}."),
            [{"role": "user", "content": "What is 47 + 38? Put it in \\boxed{}."}],
        ),
    ],
)
def test_render(template: PromptTemplate, expected: list[dict[str, str]]) -> None:
    assert template.render(PROBLEM) == expected


def test_render_keeps_braces_in_the_question() -> None:
    problem = Problem("p2", "Simplify {x} and \\frac{1}{2}", "1")
    assert DEFAULT_TEMPLATE.render(problem)[0]["content"].startswith(
        "Simplify {x} and \\frac{1}{2}"
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_builtins_render_the_question_once(name: str) -> None:
    conversation = TEMPLATES[name].render(PROBLEM)
    assert conversation[-1]["role"] == "user"
    assert conversation[-1]["content"].count("What is 47 + 38?") == 1
    assert load_template(name) is TEMPLATES[name]


def test_default_template_is_short_and_names_the_answer_format() -> None:
    assert DEFAULT_TEMPLATE.system is None
    assert "The answer is" in DEFAULT_TEMPLATE.user
    assert len(DEFAULT_TEMPLATE.user) < 120


def test_user_without_placeholder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"must contain \{question\}"):
        PromptTemplate(None, "Solve the problem.")


def test_fingerprint_is_stable_and_tracks_both_messages() -> None:
    base = PromptTemplate("s", "{question}")
    assert base.fingerprint() == PromptTemplate("s", "{question}").fingerprint()
    assert len(base.fingerprint()) == 16
    others = {
        PromptTemplate(None, "{question}").fingerprint(),
        PromptTemplate("t", "{question}").fingerprint(),
        PromptTemplate("s", "{question} ").fingerprint(),
        base.fingerprint(),
    }
    assert len(others) == 4
    # pinned: the run store compares fingerprints across versions of this code
    assert PromptTemplate(None, "{question}").fingerprint() == "8fac4e7d5afe56a3"


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        (
            "t.yaml",
            "system: Be brief.\nuser: 'Q: {question}'\n",
            PromptTemplate("Be brief.", "Q: {question}"),
        ),
        ("t.yml", "user: '{question}'\n", PromptTemplate(None, "{question}")),
        ("t.json", '{"system": null, "user": "{question}!"}', PromptTemplate(None, "{question}!")),
    ],
)
def test_load_template_file(
    tmp_path: Path, filename: str, text: str, expected: PromptTemplate
) -> None:
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    assert load_template(str(path)) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "system: x\nuser: '{question}'\nshots: 3\n",
            "unknown key.*shots.*allowed keys: system, user",
        ),
        ("system: x\n", "'user' must be a string"),
        ("user: 'no placeholder'\n", r"must contain \{question\}"),
        ("user: '{question}'\nsystem: [1]\n", "'system' must be a string"),
        ("- a\n- b\n", "must hold a mapping"),
        ("user: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_template_file_names_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_template(str(path))
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "fancy",
            "unknown prompt template 'fancy'; built-in templates: bare, boxed, default, gsm8k",
        ),
        ("missing.yaml", "prompt template file not found: missing.yaml"),
    ],
)
def test_unknown_template(name: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_template(name)
