"""The files a synthesis pass writes, and the error-type table a person reads first.

SYNTH_DIR/
  bad_cases.jsonl      the bad cases with their wrong responses
  keyphrases.jsonl     error keyphrases per bad case
  error_types.json     type, count, keyphrases, example bad cases
  synthesized.jsonl    accepted problems with their one-shot scores and keep decision
  kept_sft.jsonl       the kept set as TRL prompt/completion rows (`reasonloop train sft`)
  summary.json         counts, shares, drop reasons, malformed replies
  instructor_cache.jsonl, one_shot_cache.jsonl   model replies (resume)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reasonloop.curate.synthesize.pipeline import SynthesisResult
from reasonloop.curate.synthesize.records import BadCase, ErrorType
from reasonloop.files import read_json, write_json, write_jsonl

KEPT_FILE = "kept_sft.jsonl"
TYPES_FILE = "error_types.json"
SUMMARY_FILE = "summary.json"
INSTRUCTOR_CACHE = "instructor_cache.jsonl"
ONE_SHOT_CACHE = "one_shot_cache.jsonl"
EXAMPLES_PER_TYPE = 3


@dataclass(frozen=True)
class ErrorExample:
    """One bad case shown for an error type: the problem and the model's wrong answer."""

    problem_id: str
    question: str
    gold: str
    wrong_answer: str | None  # the model's answer as extracted (None: it stated none)


@dataclass(frozen=True)
class ErrorTypeEntry:
    """One row of error_types.json: a type, how many bad cases it holds, its keyphrases,
    up to `EXAMPLES_PER_TYPE` examples and every problem id."""

    type: str
    count: int
    keyphrases: tuple[str, ...]
    examples: tuple[ErrorExample, ...]
    problem_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ErrorTypeEntry:
        return cls(
            type=data["type"],
            count=int(data["count"]),
            keyphrases=tuple(data["keyphrases"]),
            examples=tuple(ErrorExample(**example) for example in data["examples"]),
            problem_ids=tuple(data["problem_ids"]),
        )


def error_type_table(types: Sequence[ErrorType], cases: Sequence[BadCase]) -> list[ErrorTypeEntry]:
    """One row per type: name, count, keyphrases and up to three example bad cases."""
    by_id = {case.problem.id: case for case in cases}
    table: list[ErrorTypeEntry] = []
    for error_type in types:
        examples = [by_id[pid] for pid in error_type.problem_ids[:EXAMPLES_PER_TYPE]]
        table.append(
            ErrorTypeEntry(
                type=error_type.name,
                count=error_type.count,
                keyphrases=tuple(error_type.keyphrases),
                examples=tuple(
                    ErrorExample(
                        case.problem.id,
                        case.problem.question,
                        case.problem.gold,
                        case.wrong_answers[0],
                    )
                    for case in examples
                ),
                problem_ids=tuple(error_type.problem_ids),
            )
        )
    return table


def write_outputs(result: SynthesisResult, out_dir: str | Path) -> Path:
    """Write every artifact of `result` under `out_dir`; returns the kept-set path."""
    out = Path(out_dir)
    write_jsonl(out / "bad_cases.jsonl", (c.to_dict() for c in result.bad_cases))
    write_jsonl(out / "keyphrases.jsonl", (k.to_dict() for k in result.keyphrases))
    table = error_type_table(result.types, result.bad_cases)
    write_json(out / TYPES_FILE, [row.to_dict() for row in table])
    scores = {s.problem_id: s for s in result.scores}
    write_jsonl(
        out / "synthesized.jsonl",
        ({**p.to_dict(), "one_shot": scores[p.id].to_dict()} for p in result.problems),
    )
    write_json(out / SUMMARY_FILE, result.summary())
    return write_jsonl(out / KEPT_FILE, result.kept_rows)


def read_error_table(out_dir: str | Path) -> list[ErrorTypeEntry]:
    """The error-type table a pass wrote under `out_dir` (empty when no pass ran there)."""
    path = Path(out_dir) / TYPES_FILE
    if not path.is_file():
        return []
    return [ErrorTypeEntry.from_dict(row) for row in read_json(path)]
