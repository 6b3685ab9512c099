"""Every progress bar says what it counts: an unlabelled `0/800` explains nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import reasonloop

SRC = Path(reasonloop.__file__).parent


def find_bars() -> dict[str, bool]:
    """`file:line` of each `tqdm(...)` call in src/ -> whether it has a `desc=`."""
    bars: dict[str, bool] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tqdm":
                labelled = any(keyword.arg == "desc" for keyword in node.keywords)
                bars[f"{path.relative_to(SRC)}:{node.lineno}"] = labelled
    return bars


def test_every_progress_bar_has_a_label() -> None:
    bars = find_bars()
    assert "sample/draw.py" in " ".join(bars)  # the scan sees the bars (the sampling one)
    assert [place for place, labelled in bars.items() if not labelled] == []
