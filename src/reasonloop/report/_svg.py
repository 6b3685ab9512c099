"""Hand-written SVG pieces for the report's plots: scales, axes, marks, legends.

Hand-written rather than matplotlib: the report stays dependency-free (matplotlib lives in the
`train` extra), the output is small and deterministic, and every mark carries a class and a
tooltip the browser test and a reader can find. Every piece of text goes through `html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 560
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 48, 46
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class LinearScale:
    """Maps a data interval onto a pixel interval (pixel ends may be reversed, as for y)."""

    lo: float
    hi: float
    start: float
    end: float

    def at(self, value: float) -> float:
        span = self.hi - self.lo
        fraction = 0.5 if span == 0 else (value - self.lo) / span
        return self.start + fraction * (self.end - self.start)


def make_y_scale(ticks: Sequence[float]) -> LinearScale:
    """The vertical scale spanning the first to the last tick."""
    return LinearScale(ticks[0], ticks[-1], HEIGHT - BOTTOM, TOP)


def make_x_scale(lo: float, hi: float) -> LinearScale:
    return LinearScale(lo, hi, LEFT + 12, WIDTH - RIGHT - 12)


def find_nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]: `find_nice_ticks(0, 0.87)` -> [0, 0.2, ..., 1.0]."""
    if hi <= lo:
        hi = lo + 1.0
    raw_step = (hi - lo) / count
    magnitude = 10.0 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step * 0.999)
    first = math.floor(lo / step + 1e-9) * step
    n_steps = math.ceil((hi - first) / step - 1e-9)
    return [round(first + i * step, 10) for i in range(n_steps + 1)]


def place_categories(count: int) -> list[float]:
    """Centre x of `count` equal bands across the plot area (bars, iterations)."""
    band = (WIDTH - LEFT - RIGHT) / max(count, 1)
    return [LEFT + band * (i + 0.5) for i in range(count)]


def band_width(count: int) -> float:
    return (WIDTH - LEFT - RIGHT) / max(count, 1)


def draw_plot(name: str, title: str, body: Sequence[str]) -> str:
    """Wrap plot marks into one `<svg class="rl-plot" data-plot=NAME>` element."""
    label = escape(title)
    return (
        f'<svg class="rl-plot" data-plot="{escape(name)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{label}">'
        f"<title>{label}</title>"
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="600" {FONT}>{label}</text>'
        + "".join(body)
        + "</svg>"
    )


def draw_y_axis(scale: LinearScale, ticks: Sequence[float], unit: str, label: str) -> list[str]:
    """Horizontal grid lines with tick labels, and the rotated axis label."""
    parts = []
    for tick in ticks:
        y = scale.at(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#e5e7eb" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" {FONT} '
            f'fill="#4b5563">{escape(format_tick(tick))}{escape(unit)}</text>'
        )
    middle = (TOP + HEIGHT - BOTTOM) / 2
    parts.append(
        f'<text transform="translate(14 {middle:.1f}) rotate(-90)" font-size="11" '
        f'text-anchor="middle" {FONT} fill="#374151">{escape(label)}</text>'
    )
    return parts


def draw_x_labels(positions: Sequence[float], labels: Sequence[str], title: str) -> list[str]:
    """Tick labels under the plot area and the axis title below them."""
    baseline = HEIGHT - BOTTOM
    parts = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{baseline}" y2="{baseline}" '
        'stroke="#9ca3af" stroke-width="1"/>'
    ]
    for x, text in zip(positions, labels, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{baseline + 15}" font-size="10" text-anchor="middle" '
            f'{FONT} fill="#4b5563">{escape(text)}</text>'
        )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{HEIGHT - 8}" font-size="11" '
        f'text-anchor="middle" {FONT} fill="#374151">{escape(title)}</text>'
    )
    return parts


def draw_legend(entries: Sequence[tuple[str, str]]) -> list[str]:
    """Colour swatches and names in one row under the title, right-aligned."""
    parts = []
    x = float(WIDTH - RIGHT)
    for name, colour in reversed(entries):
        x -= 6.5 * len(name) + 30
        parts.append(
            f'<g class="rl-legend"><rect x="{x:.1f}" y="25" width="10" height="10" '
            f'fill="{escape(colour)}"/><text x="{x + 14:.1f}" y="34" font-size="10" '
            f'{FONT} fill="#374151">{escape(name)}</text></g>'
        )
    return parts


def draw_circle(x: float, y: float, colour: str, tooltip: str, kind: str) -> str:
    return (
        f'<circle class="rl-mark rl-{escape(kind)}" cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
        f'fill="{escape(colour)}" stroke="#fff" stroke-width="1">'
        f"<title>{escape(tooltip)}</title></circle>"
    )


def draw_rect(x: float, y: float, width: float, height: float, colour: str, tooltip: str) -> str:
    return (
        f'<rect class="rl-mark rl-bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" fill="{escape(colour)}"><title>{escape(tooltip)}</title></rect>'
    )


def draw_line(points: Sequence[tuple[float, float]], colour: str, kind: str) -> str:
    """A polyline through `points` as one `<path>`."""
    if not points:
        return ""
    steps = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
    return (
        f'<path class="rl-{escape(kind)}" d="{steps}" fill="none" stroke="{escape(colour)}" '
        'stroke-width="2" stroke-linejoin="round"/>'
    )


def draw_text(x: float, y: float, text: str, size: int = 10, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{escape(anchor)}" '
        f'{FONT} fill="#111827">{escape(text)}</text>'
    )


def draw_no_data(message: str) -> list[str]:
    """The plot area's placeholder when there is nothing to draw (e.g. baseline only)."""
    return [draw_text(WIDTH / 2, HEIGHT / 2, message, size=12)]


def format_tick(value: float) -> str:
    """Short tick text: `format_tick(20.0)` -> '20', `format_tick(0.25)` -> '0.25'."""
    if value == int(value):
        return str(int(value))
    return f"{value:.3g}"
