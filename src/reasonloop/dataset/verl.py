"""verl's RL data format: one row per prompt, the gold under `reward_model.ground_truth`.

Its reward: `reasonloop.rewards.compute_score` (verl's `custom_reward_function`), the same
grading as the TRL reward.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reasonloop.dataset.pool import copy_prompt
from reasonloop.errors import DataError
from reasonloop.rewards import GYM_COLUMN


def to_verl_rows(rows: Sequence[Mapping[str, Any]], data_source: str) -> list[dict[str, Any]]:
    """GRPO rows (`prompt`, `solution`, optional `problem_id`) as verl's rule-reward rows.

    `data_source` picks verl's reward function (e.g. "openai/gsm8k"); `ability` is "math".
    """
    verl_rows: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        missing = [column for column in ("prompt", "solution") if column not in row]
        if missing:
            raise DataError(f"row {index} has no {', '.join(missing)} column; pass GRPO rows")
        verl_rows.append(
            {
                "data_source": data_source,
                "prompt": copy_prompt(row["prompt"]),
                "ability": "math",
                "reward_model": {"style": "rule", "ground_truth": str(row["solution"])},
                "extra_info": _extra_info(index, row),
            }
        )
    return verl_rows


def _extra_info(index: int, row: Mapping[str, Any]) -> dict[str, Any]:
    extra = {"index": index, "problem_id": str(row.get("problem_id", ""))}
    if GYM_COLUMN in row:  # what `compute_score` needs to grade by reasoning-gym's scorer
        extra[GYM_COLUMN] = str(row[GYM_COLUMN])
    return extra
