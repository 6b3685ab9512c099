"""rm-eval's files: the per-problem CSV and the plot of the metrics against chance."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Sequence
from pathlib import Path

from reasonloop.evaluate.best_of_n import BestOfNReport
from reasonloop.evaluate.rm.measure import RMEvalReport
from reasonloop.files import write_text_atomic
from reasonloop.report import _svg

CSV_COLUMNS = (
    "problem_id",
    "responses",
    "incorrect",
    "accuracy",
    "reciprocal_rank",
    "pairs_won",
    "pairs",
    "rows",
    "correct",
    "scores",
)
REWARD_COLOURS = ("#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d")
METRIC_COLOURS = {"accuracy": "#2563eb", "MRR": "#16a34a", "pairwise": "#9333ea"}


def write_problem_csv(report: RMEvalReport, path: str | Path) -> Path:
    """One row per measured problem: its metrics, and its rows, labels and scores as JSON."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in report.per_problem:
        m = p.metrics
        writer.writerow(
            [
                p.problem_id,
                len(p.scores),
                m.incorrect,
                f"{m.accuracy:.6g}",
                f"{m.reciprocal_rank:.6g}",
                m.pairs_won,
                m.pairs,
                json.dumps(list(p.rows)),
                json.dumps(list(p.correct)),
                json.dumps(list(p.scores)),
            ]
        )
    return write_text_atomic(path, text.getvalue())


def plot_rm_eval(reports: Sequence[tuple[str, RMEvalReport]]) -> str:
    """Accuracy, MRR and pairwise accuracy per reward (bars), with each metric's chance level
    (dashes: the set's random accuracy and MRR, and 1/2 for a pair)."""
    title = "rm-eval: how often the reward ranks the correct response first"
    if not reports:
        return _svg.draw_plot("rm_eval", title, _svg.draw_no_data("no reward measured"))
    y = _svg.make_y_scale([0, 20, 40, 60, 80, 100])
    body = _svg.draw_y_axis(y, [0, 20, 40, 60, 80, 100], "%", "share of problems / pairs")
    centres = _svg.place_categories(len(reports))
    body += _svg.draw_x_labels(centres, [name for name, _ in reports], "reward")
    width = _svg.band_width(len(reports)) * 0.8 / 3
    for centre, (name, report) in zip(centres, reports, strict=True):
        bars = [
            ("accuracy", report.accuracy.value, report.random_accuracy),
            ("MRR", report.mrr, report.random_mrr),
            ("pairwise", report.pairwise_accuracy, 0.5),
        ]
        for i, (metric, value, chance) in enumerate(bars):
            left = centre + (i - 1.5) * width
            top, bottom = y.at(value * 100), y.at(0)
            tooltip = f"{name}: {metric} {value:.1%} (chance {chance:.1%})"
            body.append(
                _svg.draw_rect(left, top, width, bottom - top, METRIC_COLOURS[metric], tooltip)
            )
            level = y.at(chance * 100)
            body.append(
                f'<line class="rl-chance" x1="{left:.1f}" x2="{left + width:.1f}" '
                f'y1="{level:.1f}" y2="{level:.1f}" stroke="#111827" stroke-dasharray="3 2"/>'
            )
    body += _svg.draw_legend(list(METRIC_COLOURS.items()))
    return _svg.draw_plot("rm_eval", title, body)


def plot_best_of_n(report: BestOfNReport) -> str:
    """Accuracy against N (log scale) of each reward's pick, the oracle and majority vote."""
    title = f"Best-of-N accuracy ({report.problems} problems)"
    curves = [(name, values) for name, values in report.by_reward.items()]
    curves += [(name, values) for name, values in report.baselines.items()]
    ns = list(report.ns)
    x = _svg.make_x_scale(math.log2(ns[0]), math.log2(ns[-1]) if len(ns) > 1 else 1.0)
    highest = max(e.value for _, values in curves for e in values.values())
    ticks = _svg.find_nice_ticks(0, min(max(highest, 0.01) * 100, 100))
    y = _svg.make_y_scale(ticks)
    body = _svg.draw_y_axis(y, ticks, "%", "accuracy of the answer picked")
    body += _svg.draw_x_labels([x.at(math.log2(n)) for n in ns], [str(n) for n in ns], "N")
    colours = dict(zip(report.by_reward, itertools.cycle(REWARD_COLOURS), strict=False))
    colours.update(oracle="#111827", majority="#9ca3af")
    for name, values in curves:
        points = [(x.at(math.log2(n)), y.at(values[n].value * 100)) for n in ns]
        body.append(_svg.draw_line(points, colours[name], "curve"))
        for n, (px, py) in zip(ns, points, strict=True):
            e = values[n]
            tooltip = f"{name}: best of {n} = {e.value:.1%} (95% CI {e.low:.1%} to {e.high:.1%})"
            body.append(_svg.draw_circle(px, py, colours[name], tooltip, "point"))
    body += _svg.draw_legend([(name, colours[name]) for name, _ in curves])
    return _svg.draw_plot("best_of_n", title, body)
