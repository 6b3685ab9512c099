"""Training datasets from graded samples, in TRL's and verl's column conventions.

- `build_sft_dataset`: prompt / completion rows of verified-correct responses (STaR / RFT).
- `build_dpo_pairs`: prompt / chosen / rejected rows (correct vs wrong responses).
- `build_grpo_prompts`: prompt-only rows with the gold as `solution` (TRL's reward kwarg).
- `to_verl_rows`: GRPO rows in verl's parquet layout.
- `build_step_dpo_pairs`: first-pit per-step DPO pairs from step values (`reasonloop values`).
- `build_prm_rows`: TRL stepwise-supervision rows (step labels from step values).
"""

from __future__ import annotations

from reasonloop.dataset.dpo import PAIRINGS, build_dpo_pairs
from reasonloop.dataset.grpo import build_grpo_prompts
from reasonloop.dataset.io import read_dataset, to_hf_dataset, write_dataset
from reasonloop.dataset.pool import normalize_response
from reasonloop.dataset.prm import build_prm_rows
from reasonloop.dataset.sft import BALANCES, build_sft_dataset, sft_cap
from reasonloop.dataset.step_dpo import build_step_dpo_pairs
from reasonloop.dataset.verl import to_verl_rows

__all__ = [
    "BALANCES",
    "PAIRINGS",
    "build_dpo_pairs",
    "build_grpo_prompts",
    "build_prm_rows",
    "build_sft_dataset",
    "build_step_dpo_pairs",
    "normalize_response",
    "read_dataset",
    "sft_cap",
    "to_hf_dataset",
    "to_verl_rows",
    "write_dataset",
]
