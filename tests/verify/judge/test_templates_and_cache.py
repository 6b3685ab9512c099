"""Judge templates are data; judge decisions are cached by normalized (gold, answer, judge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.errors import ConfigError
from reasonloop.verify.judge import JudgeCache, load_judge_template
from reasonloop.verify.judge.cache import cache_key
from reasonloop.verify.judge.templates import builtin_template_names


def test_builtin_templates() -> None:
    assert {"answer-only", "with-question", "final-decision"} <= set(builtin_template_names())
    final = load_judge_template("final-decision")
    assert final.reply == "final-decision" and final.uses_question
    text = final.render("\\frac{1}{2}", "{gold} 0.5", "What is 1/2?")[-1]["content"]
    assert "Ground Truth Answer: \\frac{1}{2}" in text
    assert "Student Answer: {gold} 0.5" in text  # an answer's placeholder is not expanded
    assert "What is 1/2?" in text
    assert "(not given)" in final.render("1", "1")[-1]["content"]
    assert not load_judge_template("answer-only").uses_question


def test_template_from_a_file_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "judge.yaml"
    good.write_text("mine:\n  reply: yes-no\n  user: 'Is {answer} {gold}? Yes or No.'\n")
    assert load_judge_template(str(good)).name == "mine"
    bad = tmp_path / "bad.yaml"
    bad.write_text("mine:\n  reply: yes-no\n  user: 'Is {answer} right?'\n")
    with pytest.raises(ConfigError, match=r"\{gold\}"):
        load_judge_template(str(bad))
    bad.write_text("mine:\n  reply: maybe\n  user: '{answer} {gold}'\n")
    with pytest.raises(ConfigError, match="reply must be one of"):
        load_judge_template(str(bad))
    with pytest.raises(ConfigError, match="unknown judge template 'nope'"):
        load_judge_template("nope")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("j", "1/2", "half", None), ("j", " 1/2 ", "  half", None), True),
        (("j", "$1/2$", "half", None), ("j", "1/2", "half", None), True),
        (("j", "1/2", "half", None), ("k", "1/2", "half", None), False),
        (("j", "1/2", "half", None), ("j", "1/2", "Half", None), False),
        (("j", "1/2", "half", "Q1"), ("j", "1/2", "half", "Q2"), False),
    ],
)
def test_cache_key_normalizes_only_spacing_and_delimiters(
    a: tuple[str, str, str, str | None], b: tuple[str, str, str, str | None], same: bool
) -> None:
    assert (cache_key(*a) == cache_key(*b)) is same


def test_cache_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "cache.sqlite"
    cache = JudgeCache(path)
    cache.put_many([("k1", "judge", "12", "XII", "yes", "Yes")])
    cache.close()
    again = JudgeCache(path)
    found = again.get_many(["k1", "k2"])
    assert list(found) == ["k1"] and found["k1"].decision == "yes" and len(again) == 1


def test_unwritable_cache_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot open the judge cache"):
        JudgeCache(blocker / "cache.sqlite")
