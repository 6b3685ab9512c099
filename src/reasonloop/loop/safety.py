"""The loop's `safety:` section: refusal rows mixed into each SFT iteration's training rows.

An iteration's SFT rows are the model's own verified-correct math responses, so adding
refusals to them is the study's safety-plus-math mix (Zhang et al., arXiv 2505.15404): the
math keeps the model answering while it learns to refuse. `rows: 0` (the default) is off.
The refusal rows are the same every iteration (same split, same seed), written after the
math rows in `train_rows.jsonl` with `kind: refusal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.safety.targets import SAFETY_FORMATS, SafetyFormat


@dataclass(frozen=True)
class SafetyStageConfig:
    """`rows` refusals a training iteration adds (0: none), in refusal `format`; the requests
    come from the fetched archives (`archives`) and/or the file `harmful`."""

    rows: int = 0
    format: SafetyFormat = "short-cot"
    harmful: str | None = None
    archives: bool = True

    def __post_init__(self) -> None:
        if self.rows < 0:
            raise ConfigError(f"safety.rows must be 0 (off) or more, got {self.rows}")
        if self.format not in SAFETY_FORMATS:
            raise ConfigError(f"safety.format must be one of {', '.join(SAFETY_FORMATS)}")


def safety_rows(config: SafetyStageConfig, seed: int) -> list[dict[str, Any]]:
    """The refusal rows an SFT iteration adds (none when `config.rows` is 0)."""
    if config.rows == 0:
        return []
    from reasonloop.dataset.safety import SafetyMix, refusal_rows
    from reasonloop.safety.split import load_split

    files = [config.harmful] if config.harmful else []
    split = load_split(files, archives=config.archives)
    return refusal_rows(split.train, SafetyMix(config.format, 0.0, config.rows, seed))
