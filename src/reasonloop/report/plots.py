"""The report's plots, each one inline `<svg class="rl-plot" data-plot=NAME>` string.

Marks are drawn to scale from the data (bar heights proportional to counts, points at their
values) and each carries a `<title>` tooltip with the exact number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reasonloop.report import _svg
from reasonloop.report.data import DIFFICULTY_LEVELS, IterationResult
from reasonloop.verify.verdict import Status

ACCURACY_COLOUR = "#2563eb"
BEFORE_COLOUR = "#9ca3af"
# One colour per word of the typed vocabularies (a test checks that every word has one).
DIFFICULTY_COLOURS: Mapping[str, str] = {
    "unsolved": "#7f1d1d",
    "hard": "#dc2626",
    "medium": "#f59e0b",
    "easy": "#16a34a",
}
STATUS_COLOURS: Mapping[str, str] = {
    Status.CORRECT.value: "#16a34a",
    Status.INCORRECT.value: "#dc2626",
    Status.NO_ANSWER.value: "#9ca3af",
    Status.UNPARSEABLE_GOLD.value: "#7c3aed",
    Status.TIMEOUT.value: "#f59e0b",
}
# Colours for series without a fixed colour (unknown levels/statuses, loss curves).
CYCLE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#4d7c0f")


def plot_accuracy(iterations: Sequence[IterationResult]) -> str:
    """Test accuracy per iteration with its 95% confidence interval as an error bar."""
    title = "Test accuracy per iteration (95% CI)"
    if not iterations:
        return _svg.draw_plot("accuracy", title, _svg.draw_no_data("no iterations yet"))
    ticks = _percent_ticks(max(result.ci_high for result in iterations))
    y = _svg.make_y_scale(ticks)
    xs = _svg.place_categories(len(iterations))
    body = _svg.draw_y_axis(y, ticks, "%", "accuracy")
    body += _svg.draw_x_labels(xs, [str(r.iteration) for r in iterations], "iteration")
    body.append(
        _svg.draw_line(
            [(x, y.at(r.accuracy * 100)) for x, r in zip(xs, iterations, strict=True)],
            ACCURACY_COLOUR,
            "trend",
        )
    )
    for x, result in zip(xs, iterations, strict=True):
        low, high = y.at(result.ci_low * 100), y.at(result.ci_high * 100)
        body.append(
            f'<path class="rl-errorbar" d="M{x:.1f},{low:.1f} L{x:.1f},{high:.1f} '
            f"M{x - 5:.1f},{low:.1f} L{x + 5:.1f},{low:.1f} "
            f'M{x - 5:.1f},{high:.1f} L{x + 5:.1f},{high:.1f}" stroke="#1f2937" '
            'stroke-width="1.2" fill="none"/>'
        )
        tooltip = (
            f"iteration {result.iteration}: {result.accuracy:.1%} "
            f"(95% CI {result.ci_low:.1%} to {result.ci_high:.1%}, n={result.n_test})"
        )
        value_y = y.at(result.accuracy * 100)
        body.append(_svg.draw_circle(x, value_y, ACCURACY_COLOUR, tooltip, "point"))
        body.append(_svg.draw_text(x + 8, value_y - 6, f"{result.accuracy:.1%}", anchor="start"))
    return _svg.draw_plot("accuracy", title, body)


def plot_pass_at_k(iterations: Sequence[IterationResult]) -> str:
    """pass@k against k (log scale) for the baseline and the last iteration."""
    title = "pass@k before vs after training"
    curves = _pass_at_k_curves(iterations)
    ks = sorted({k for _, _, values in curves for k in values})
    if not ks:
        return _svg.draw_plot("pass_at_k", title, _svg.draw_no_data("no pass@k recorded"))
    # k usually doubles (1, 2, 4, ...), so a log axis spaces the points evenly.
    x = _svg.make_x_scale(math.log2(ks[0]), math.log2(ks[-1]))
    ticks = _percent_ticks(max(v for _, _, values in curves for v in values.values()))
    y = _svg.make_y_scale(ticks)
    body = _svg.draw_y_axis(y, ticks, "%", "pass@k")
    body += _svg.draw_x_labels([x.at(math.log2(k)) for k in ks], [str(k) for k in ks], "k")
    for name, colour, values in curves:
        points = [(x.at(math.log2(k)), y.at(values[k] * 100)) for k in sorted(values)]
        body.append(_svg.draw_line(points, colour, "curve"))
        for k, (px, py) in zip(sorted(values), points, strict=True):
            body.append(
                _svg.draw_circle(px, py, colour, f"{name}: pass@{k} = {values[k]:.1%}", "point")
            )
    body += _svg.draw_legend([(name, colour) for name, colour, _ in curves])
    return _svg.draw_plot("pass_at_k", title, body)


def plot_difficulty(iterations: Sequence[IterationResult]) -> str:
    """Train problems per difficulty level, one stacked bar per model sampled.

    Iteration i trains on the samples of the model before it, so iteration 1's counts are
    the base model's difficulty: each bar is labelled by the model whose samples it counts.
    """
    return _plot_stacked_counts(
        "difficulty",
        "Train problems per difficulty level, by the model sampled",
        "problems",
        [result for result in iterations if result.iteration >= 1],
        lambda result: result.difficulty_counts,
        DIFFICULTY_LEVELS,
        DIFFICULTY_COLOURS,
        Categories(
            "model sampled (its samples train the next iteration)",
            label_sampled_model,
            lambda result: f"samples of the {label_sampled_model(result)} model",
        ),
    )


def plot_generator_levels(iterations: Sequence[IterationResult]) -> str:
    """Greedy held-out accuracy per generator level (reasoning-gym's difficulty parameters),
    the baseline's bar beside the last iteration's, one pair per (task, level)."""
    title = "Test accuracy per generator level, before vs after training"
    shown = _first_and_last([r for r in iterations if r.generator_levels])
    keys = sorted({(g.task, g.level) for r in shown for g in r.generator_levels})
    if not keys:
        return _svg.draw_plot("generator_levels", title, _svg.draw_no_data("no generator levels"))
    tasks = {task for task, _ in keys}
    labels = [f"{task} {level}" if len(tasks) > 1 else f"level {level}" for task, level in keys]
    ticks = _percent_ticks(max(g.mean_rate for r in shown for g in r.generator_levels))
    y = _svg.make_y_scale(ticks)
    xs = _svg.place_categories(len(keys))
    width = min(_svg.band_width(len(keys)) * 0.8 / len(shown), 32)
    body = _svg.draw_y_axis(y, ticks, "%", "accuracy")
    body += _svg.draw_x_labels(xs, labels, "generator difficulty level (1 easiest, 5 hardest)")
    series = []
    for index, result in enumerate(shown):
        colour = BEFORE_COLOUR if index == 0 and len(shown) > 1 else ACCURACY_COLOUR
        name = "baseline" if result.iteration == 0 else f"iteration {result.iteration}"
        levels = {(g.task, g.level): g for g in result.generator_levels}
        offset = (index - (len(shown) - 1) / 2) * width
        for x, key, label in zip(xs, keys, labels, strict=True):
            if key in levels:
                g = levels[key]
                top, bottom = y.at(g.mean_rate * 100), y.at(0)
                tooltip = f"{name}, {label}: {g.mean_rate:.1%} of {g.problems} problems"
                left = x + offset - width / 2
                body.append(_svg.draw_rect(left, top, width, bottom - top, colour, tooltip))
        series.append((name, colour))
    body += _svg.draw_legend(series)
    return _svg.draw_plot("generator_levels", title, body)


def _first_and_last(iterations: Sequence[IterationResult]) -> list[IterationResult]:
    return list(iterations[:1]) + list(iterations[1:][-1:])


def label_sampled_model(result: IterationResult) -> str:
    """The model whose samples `result`'s iteration trained on: 'base', 'iter 1', ..."""
    return "base" if result.iteration == 1 else f"iter {result.iteration - 1}"


def plot_statuses(iterations: Sequence[IterationResult]) -> str:
    """The greedy held-out answers per verifier status, one stacked bar per iteration."""
    return _plot_stacked_counts(
        "status",
        "Verifier statuses of the greedy held-out answers",
        "answers",
        iterations,
        lambda result: result.status_counts,
        tuple(status.value for status in Status),
        STATUS_COLOURS,
    )


def plot_error_types(iterations: Sequence[IterationResult]) -> str:
    """Bad cases per error type (synthesis from errors), one stacked bar per iteration."""
    return _plot_stacked_counts(
        "error_types",
        "Bad cases per error type",
        "bad cases",
        iterations,
        lambda result: result.error_types,
        (),
        {},
    )


def plot_train_losses(iterations: Sequence[IterationResult]) -> str:
    """Training loss against step, one curve per trained iteration."""
    trained = [result for result in iterations if result.train_losses]
    return plot_curves(
        "loss",
        "Training loss per iteration",
        {f"iteration {r.iteration}": r.train_losses for r in trained},
        x_label="training step",
        y_label="loss",
        empty="no training yet (baseline only)",
    )


def plot_curves(
    name: str,
    title: str,
    curves: Mapping[str, Sequence[tuple[float, float]]],
    *,
    x_label: str,
    y_label: str,
    empty: str = "no data",
) -> str:
    """Lines of (x, y) points, one per named curve, on a y axis that includes 0 (a curve
    of one point shows as a point)."""
    drawn = {label: points for label, points in curves.items() if points}
    if not drawn:
        return _svg.draw_plot(name, title, _svg.draw_no_data(empty))
    xs = [x for points in drawn.values() for x, _ in points]
    ys = [y for points in drawn.values() for _, y in points]
    x_ticks = _svg.find_nice_ticks(min(xs), max(xs))
    x = _svg.make_x_scale(x_ticks[0], x_ticks[-1])
    ticks = _svg.find_nice_ticks(min(0.0, min(ys)), max(ys))
    y = _svg.make_y_scale(ticks)
    body = _svg.draw_y_axis(y, ticks, "", y_label)
    body += _svg.draw_x_labels(
        [x.at(t) for t in x_ticks], [_svg.format_tick(t) for t in x_ticks], x_label
    )
    legend = []
    for index, (label, points) in enumerate(drawn.items()):
        colour = CYCLE[index % len(CYCLE)]
        placed = [(x.at(px), y.at(py)) for px, py in points]
        body.append(_svg.draw_line(placed, colour, "curve"))
        if len(placed) == 1:  # a single point draws no line; show it as a point
            px, py = points[0]
            tooltip = f"{label}: {x_label} {px:g} {y_label} {py:.4g}"
            body.append(_svg.draw_circle(*placed[0], colour, tooltip, "point"))
        legend.append((label, colour))
    body += _svg.draw_legend(legend)
    return _svg.draw_plot(name, title, body)


@dataclass(frozen=True)
class Categories:
    """What the bars of a stacked plot stand for: the x axis title, each bar's tick label
    and the name its tooltips give it."""

    axis: str
    label: Callable[[IterationResult], str]
    name: Callable[[IterationResult], str]


ITERATIONS = Categories(
    "iteration",
    lambda result: str(result.iteration),
    lambda result: f"iteration {result.iteration}",
)


def _plot_stacked_counts(
    name: str,
    title: str,
    unit: str,
    iterations: Sequence[IterationResult],
    counts_of: Callable[[IterationResult], dict[str, int]],
    order: Sequence[str],
    colours: Mapping[str, str],
    categories: Categories = ITERATIONS,
) -> str:
    keys = _order_keys(order, [counts_of(result) for result in iterations])
    totals = [sum(counts_of(result).values()) for result in iterations]
    if not keys or max(totals, default=0) == 0:
        return _svg.draw_plot(name, title, _svg.draw_no_data(f"no {unit} counted"))
    palette = _assign_colours(keys, colours)
    ticks = _svg.find_nice_ticks(0, max(totals))
    y = _svg.make_y_scale(ticks)
    xs = _svg.place_categories(len(iterations))
    width = min(_svg.band_width(len(iterations)) * 0.6, 64)
    body = _svg.draw_y_axis(y, ticks, "", unit)
    body += _svg.draw_x_labels(xs, [categories.label(r) for r in iterations], categories.axis)
    for x, result, total in zip(xs, iterations, totals, strict=True):
        below = 0
        for key in keys:
            count = counts_of(result).get(key, 0)
            if count <= 0:
                continue
            top, bottom = y.at(below + count), y.at(below)
            tooltip = f"{categories.name(result)}: {key} {count} of {total}"
            body.append(
                _svg.draw_rect(x - width / 2, top, width, bottom - top, palette[key], tooltip)
            )
            below += count
        body.append(_svg.draw_text(x, y.at(total) - 4, str(total)))
    body += _svg.draw_legend([(key, palette[key]) for key in keys])
    return _svg.draw_plot(name, title, body)


def _pass_at_k_curves(
    iterations: Sequence[IterationResult],
) -> list[tuple[str, str, dict[int, float]]]:
    """(legend name, colour, {k: pass@k}) for the first and, if different, the last iteration."""
    if not iterations:
        return []
    first, last = iterations[0], iterations[-1]
    curves = [(f"iteration {first.iteration}", BEFORE_COLOUR, _positive_ks(first))]
    if last is not first:
        curves.append((f"iteration {last.iteration}", ACCURACY_COLOUR, _positive_ks(last)))
    return [curve for curve in curves if curve[2]]


def _positive_ks(result: IterationResult) -> dict[int, float]:
    return {k: v for k, v in result.pass_at_k.items() if k >= 1}


def _percent_ticks(highest_fraction: float) -> list[float]:
    """Percent ticks from 0 up to just above the highest value (at most 100: steps divide it)."""
    return _svg.find_nice_ticks(0, min(max(highest_fraction, 0.0) * 100, 100))


def _order_keys(order: Sequence[str], counts: Sequence[dict[str, int]]) -> list[str]:
    """Known keys in their fixed order, then any others alphabetically; only those present."""
    present = {key for mapping in counts for key, value in mapping.items() if value > 0}
    return [key for key in order if key in present] + sorted(present - set(order))


def _assign_colours(keys: Sequence[str], fixed: Mapping[str, str]) -> dict[str, str]:
    others = iter(c for c in CYCLE if c not in fixed.values())
    return {key: fixed[key] if key in fixed else next(others, "#6b7280") for key in keys}
