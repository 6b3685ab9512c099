"""Where the shared safety data and the fetched archives are, and skips when they are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.safety.fetch import has_archives

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
XSTEST = SHARED / "xstest"
COCONOT = SHARED / "coconot"
LRM_SAFETY = SHARED / "lrm_safety" / "sft_train_nocot.json"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data sits beside the clone in CI)")
    return path


def need_archives() -> None:
    if not has_archives():
        pytest.skip("the pinned safety archives are not fetched: run `reasonloop safety-fetch`")
