"""Finished cells -> one markdown table (task x method), one SVG plot per task, and both on one
HTML page (`learning.html`).

Accuracy is greedy held-out accuracy; with several seeds a problem's value is its share of
seeds solved, and the 95% interval is clustered by problem (`clustered_estimate`: problems,
not seeds x problems, are the independent units). The paired test is exact McNemar against
plain self-training (RFT) on the (seed, problem) pairs both cells answered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from learning.methods import BASELINE, METHODS
from reasonloop.files import read_json
from reasonloop.profile.metrics import Estimate, clustered_estimate
from reasonloop.profile.significance import mcnemar_exact
from reasonloop.report import _svg
from reasonloop.report.html import STYLE


@dataclass(frozen=True)
class Row:
    """One (task, method) of the table, over the seeds that finished."""

    task: str
    method: str
    seeds: tuple[int, ...]
    accuracy: Estimate | None  # None: the cell trained nothing (see `stopped`)
    paired: dict[str, bool]  # "seed/problem" -> correct
    tokens: float  # generated tokens sampled, mean over seeds
    rows_trained: float
    minutes: float
    stopped: str | None = None


def read_cells(out: Path) -> list[dict[str, Any]]:
    return [read_json(path) for path in sorted((out / "cells").glob("*.json"))]


def group_rows(cells: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Row]]:
    """task -> method -> Row; "base" is the untrained model (every cell evaluates it)."""
    grouped: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for cell in cells:
        if "skipped" in cell:
            continue
        grouped.setdefault((cell["task"], cell["method"]), []).append(cell)
    table: dict[str, dict[str, Row]] = {}
    for (task, method), group in sorted(grouped.items()):
        table.setdefault(task, {})[method] = make_row(task, method, group, "final")
        if "base" not in table[task]:
            table[task]["base"] = make_row(task, "base", group, "base")
    return table


def make_row(task: str, method: str, cells: Sequence[Mapping[str, Any]], which: str) -> Row:
    answered = [c for c in cells if c[which] is not None]
    paired = {f"{c['seed']}/{pid}": ok for c in answered for pid, ok in c[which].items()}
    n = len(cells)
    stopped = next((c["stopped"] for c in cells if c["stopped"]), None)
    return Row(
        task,
        method,
        tuple(sorted(c["seed"] for c in cells)),
        seed_pooled_estimate(answered, which) if answered else None,
        paired,
        tokens=0.0 if which == "base" else sum(c["tokens"]["tokens"] for c in cells) / n,
        rows_trained=0.0 if which == "base" else sum(c["rows_trained"] for c in cells) / n,
        minutes=0.0 if which == "base" else sum(c["method_seconds"] for c in cells) / n / 60,
        stopped=None if which == "base" else stopped,
    )


def seed_pooled_estimate(cells: Sequence[Mapping[str, Any]], which: str) -> Estimate:
    """Accuracy over problems, each problem's value its share of seeds solved."""
    problems = sorted(set.intersection(*(set(c[which]) for c in cells)))
    per_problem = [sum(c[which][p] for c in cells) / len(cells) for p in problems]
    return clustered_estimate(per_problem, samples_per_problem=len(cells))


def skipped_cells(cells: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """(task, method) -> why the method does not apply to the task."""
    return {(c["task"], c["method"]): c["skipped"] for c in cells if "skipped" in c}


def markdown_table(
    table: Mapping[str, Mapping[str, Row]], skipped: Mapping[tuple[str, str], str]
) -> str:
    header = (
        "| task | method | seeds | held-out accuracy [95% CI] | vs RFT (+/-) | McNemar p vs RFT "
        "| tokens sampled (x RFT) | rows trained | iteration wall time |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    lines = [header]
    for task, rows in table.items():
        rft = rows.get(BASELINE)
        for method in ["base", *METHODS]:
            if method in rows:
                lines.append(format_row(rows[method], rft, rows.get("base")))
            elif (task, method) in skipped:
                lines.append(f"| {task} | {method} | | {skipped[task, method]} | | | | | |")
            elif METHODS.get(method) and METHODS[method].missing:
                lines.append(f"| {task} | {method} | | {METHODS[method].missing} | | | | | |")
    return "\n".join(lines)


def format_row(row: Row, rft: Row | None, base: Row | None = None) -> str:
    """One line of the table; RFT's own line compares it with the base model instead (marked
    "vs base"), the other methods' lines with RFT."""
    seeds = ",".join(map(str, row.seeds))
    if row.accuracy is None:
        return f"| {row.task} | {row.method} | {seeds} | trained nothing: {row.stopped} | | | | | |"
    e = row.accuracy
    accuracy = f"{e.value:.1%} [{e.low:.1%}, {e.high:.1%}] n={e.n}"
    vs = p = ratio = ""
    if rft is not None and row.method not in ("base", BASELINE) and rft.accuracy is not None:
        test = mcnemar_exact(rft.paired, row.paired)
        vs = f"{test.after - test.before:+.1%} (+{test.improved}/-{test.worsened})"
        p = f"{test.p_value:.3g}"
    if row.method == BASELINE and base is not None and base.accuracy is not None:
        test = mcnemar_exact(base.paired, row.paired)
        vs = f"vs base {test.after - test.before:+.1%} (+{test.improved}/-{test.worsened})"
        p = f"vs base {test.p_value:.3g}"
    if rft is not None and row.method != "base" and rft.tokens:
        ratio = f" ({row.tokens / rft.tokens:.2f})"
    tokens = "" if row.method == "base" else f"{row.tokens:,.0f}{ratio}"
    rows = "" if row.method == "base" else f"{row.rows_trained:.0f}"
    wall = "" if row.method == "base" else f"{row.minutes:.1f} min"
    cells = (row.task, row.method, seeds, accuracy, vs, p, tokens, rows, wall)
    return "| " + " | ".join(cells) + " |"


def plot_task(task: str, rows: Mapping[str, Row]) -> str:
    """Held-out accuracy per method with its 95% interval, the base model first."""
    order = [m for m in ["base", *METHODS] if m in rows and rows[m].accuracy is not None]
    title = f"{task}: held-out accuracy after one iteration (95% CI)"
    if not order:
        return _svg.draw_plot("learning", title, _svg.draw_no_data("no finished cells"))
    estimates = [rows[m].accuracy for m in order]
    ticks = _svg.find_nice_ticks(0.0, max(e.high for e in estimates if e) * 100)
    y = _svg.make_y_scale(ticks)
    xs = _svg.place_categories(len(order))
    body = _svg.draw_y_axis(y, ticks, "%", "accuracy")
    body += _svg.draw_x_labels(xs, order, "method (same sampling tokens, same SFT steps)")
    for x, method in zip(xs, order, strict=True):
        e = rows[method].accuracy
        assert e is not None
        low, high = y.at(e.low * 100), y.at(e.high * 100)
        body.append(
            f'<path d="M{x:.1f},{low:.1f} L{x:.1f},{high:.1f}" stroke="#1f2937" '
            'stroke-width="1.2" fill="none"/>'
        )
        tip = f"{method}: {e.value:.1%} (95% CI {e.low:.1%} to {e.high:.1%}, n={e.n})"
        value_y = y.at(e.value * 100)
        body.append(_svg.draw_circle(x, value_y, "#2563eb", tip, "point"))
        body.append(_svg.draw_text(x + 6, value_y - 6, f"{e.value:.1%}", anchor="start"))
    return _svg.draw_plot("learning", title, body)


def write_table(out: Path) -> tuple[str, list[Path]]:
    """The markdown table of every finished cell under `out`, and the files written: one SVG
    plot per task and `learning.html`, a page with the table and every plot."""
    cells = read_cells(out)
    table = group_rows(cells)
    plots = []
    svgs = []
    for task, rows in table.items():
        safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in task)
        path = out / f"plot-{safe}.svg"
        svg = plot_task(task, rows)
        path.write_text(svg, encoding="utf-8")
        plots.append(path)
        svgs.append(svg)
    markdown = markdown_table(table, skipped_cells(cells))
    page = out / "learning.html"
    page.write_text(render_page(markdown, svgs), encoding="utf-8")
    return markdown, [*plots, page]


def render_page(markdown: str, svgs: Sequence[str]) -> str:
    """The table (from its markdown) and the plots as one HTML page in the report's style."""
    lines = markdown.splitlines()
    head = "".join(f"<th>{escape(c)}</th>" for c in _cells(lines[0]))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in _cells(line)) + "</tr>\n"
        for line in lines[2:]
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>reasonloop learning benchmark</title><style>{STYLE}</style></head>\n<body>\n"
        "<h1>Learning benchmark: one iteration per method, same sampling and training budget</h1>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n"
        + "\n".join(f"<figure>{svg}</figure>" for svg in svgs)
        + "\n</body></html>\n"
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]
