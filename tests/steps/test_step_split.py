"""Splitting responses into steps: real solutions, each rule, and the tiling property."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reasonloop.errors import ConfigError
from reasonloop.steps.split import SPLIT_RULES, split_steps

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def read_jsonl(path: Path, n: int) -> list[dict[str, object]]:
    if not path.is_file():
        pytest.skip(f"shared data {path} is not here")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(n), lines, strict=False)]


# (response, rule, step texts): GSM8K's first test answer, a MATH-style paragraph solution,
# a PRMBench step list joined by blank lines.
GSM8K_JANET = (
    "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\n"
    "She makes 9 * 2 = $<<9*2=18>>18 every day at the farmer\u2019s market.\n#### 18"
)
CASES = [
    (
        GSM8K_JANET,
        "default",
        [
            "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.",
            "She makes 9 * 2 = $<<9*2=18>>18 every day at the farmer\u2019s market.",
            "#### 18",
        ],
    ),
    (GSM8K_JANET, "blank_lines", [GSM8K_JANET]),
    (
        "We have $3p+e=1.24$ and $5p+e=1.82$.\n\nSubtract: $2p=0.58$. So $p=0.29$.\n\n"
        "A pencil costs $\\boxed{29}$ cents.",
        "default",
        [
            "We have $3p+e=1.24$ and $5p+e=1.82$.",
            "Subtract: $2p=0.58$. So $p=0.29$.",
            "A pencil costs $\\boxed{29}$ cents.",
        ],
    ),
    (
        "Subtract: $2p=0.58$. So $p=0.29$. That is 29 cents!\nDone?",
        "sentences",
        ["Subtract: $2p=0.58$.", "So $p=0.29$.", "That is 29 cents!", "Done?"],
    ),
    ("The answer is 3.5", "sentences", ["The answer is 3.5"]),
    ("\n\n  leading and trailing  \n\n", "default", ["leading and trailing"]),
    ("", "default", [""]),
    ("a\n\n\n\nb", "lines", ["a", "b"]),
]


@pytest.mark.parametrize(("response", "rule", "texts"), CASES)
def test_split_cases(response: str, rule: str, texts: list[str]) -> None:
    split = split_steps(response, rule)  # type: ignore[arg-type]
    assert [split.text(i) for i in range(len(split.steps))] == texts
    assert "".join(response[s.start : s.end] for s in split.steps) == response


def test_unknown_rule_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="blank_lines"):
        split_steps("x", "paragraphs")  # type: ignore[arg-type]


def test_gsm8k_answers_split_one_step_a_line() -> None:
    for row in read_jsonl(DATA / "gsm8k" / "test.jsonl", 200):
        answer = str(row["answer"])
        split = split_steps(answer)
        assert len(split.steps) == len(answer.strip().splitlines())
        assert split.text(len(split.steps) - 1).startswith("####")


def test_math_solutions_tile_and_prefixes_are_exact() -> None:
    for row in read_jsonl(DATA / "math" / "test.jsonl", 300):
        solution = str(row["solution"])
        for rule in SPLIT_RULES:
            split = split_steps(solution, rule)
            assert split.steps[-1].end == len(solution)
            for i, step in enumerate(split.steps):
                assert solution.startswith(split.prefix(i))
                assert split.prefix(i).endswith(solution[step.start : step.end])


def test_prmbench_steps_joined_by_blank_lines_come_back() -> None:
    for row in read_jsonl(DATA / "prmbench" / "subset400" / "target_data.jsonl", 100):
        process = [str(s).strip() for s in row["modified_process"]]  # type: ignore[attr-defined]
        # a step holding a blank line of its own would split further: leave those out
        if any("\n\n" in step or not step for step in process):
            continue
        split = split_steps("\n\n".join(process), "blank_lines")
        assert [split.text(i) for i in range(len(split.steps))] == process


@given(st.text(alphabet=st.sampled_from("ab .!?\n\t3")), st.sampled_from(SPLIT_RULES))
def test_steps_tile_the_response(response: str, rule: str) -> None:
    split = split_steps(response, rule)  # type: ignore[arg-type]
    assert split.steps[0].start == 0 and split.steps[-1].end == len(response)
    for before, after in zip(split.steps, split.steps[1:], strict=False):
        assert before.end == after.start and before.start < before.end
    assert "".join(response[s.start : s.end] for s in split.steps) == response
    for i in range(len(split.steps)):
        assert response.startswith(split.prefix(i))
