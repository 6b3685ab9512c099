"""The loop's `safety:` section: off by default, refusal rows of the chosen format when on."""

from __future__ import annotations

from collections import Counter

import pytest
from safety_data import LRM_SAFETY, need_shared

from reasonloop.errors import ConfigError
from reasonloop.loop.safety import SafetyStageConfig, safety_rows


def test_off_by_default() -> None:
    assert safety_rows(SafetyStageConfig(), seed=0) == []


def test_rows_of_the_format_from_a_file() -> None:
    config = SafetyStageConfig(
        rows=12, format="template-cot", harmful=str(need_shared(LRM_SAFETY)), archives=False
    )
    rows = safety_rows(config, seed=3)
    assert len(rows) == 12 and rows == safety_rows(config, seed=3)
    assert Counter((r["kind"], r["format"]) for r in rows) == {("refusal", "template-cot"): 12}


@pytest.mark.parametrize(
    ("options", "message"), [({"rows": -1}, "rows"), ({"format": "long"}, "format")]
)
def test_bad_values_name_the_key(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=f"safety.{message}"):
        SafetyStageConfig(**options)  # type: ignore[arg-type]
