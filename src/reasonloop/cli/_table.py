"""Plain aligned text tables for the terminal: no dependency, no colour."""

from __future__ import annotations

from collections.abc import Sequence

Cell = str | int | float


def format_cell(value: Cell, digits: int = 3) -> str:
    """Numbers right-alignable and short; floats get `digits` decimals.

    >>> format_cell(0.5), format_cell(12), format_cell("easy")
    ('0.500', '12', 'easy')
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], digits: int | Sequence[int] = 3
) -> str:
    """An aligned table: text columns left-aligned, number columns right-aligned.

    `digits` is the decimals of float cells, one for all columns or one per column.

    >>> print(format_table(["level", "n"], [["hard", 3], ["easy", 12]]))
    level   n
    -----  --
    hard    3
    easy   12
    """
    decimals = [digits] * len(headers) if isinstance(digits, int) else list(digits)
    if len(decimals) != len(headers):
        raise ValueError(f"{len(decimals)} digit counts for {len(headers)} headers")
    cells = [[format_cell(v, d) for v, d in zip(row, decimals, strict=False)] for row in rows]
    for row in cells:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells for {len(headers)} headers")
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    numeric = [
        bool(rows) and all(isinstance(row[i], int | float) for row in rows)
        for i in range(len(headers))
    ]
    lines = [
        _join(list(headers), widths, numeric),
        _join(["-" * w for w in widths], widths, numeric),
    ]
    lines += [_join(row, widths, numeric) for row in cells]
    return "\n".join(lines)


def _join(cells: Sequence[str], widths: Sequence[int], numeric: Sequence[bool]) -> str:
    padded = [
        c.rjust(w) if right else c.ljust(w)
        for c, w, right in zip(cells, widths, numeric, strict=True)
    ]
    return "  ".join(padded).rstrip()
