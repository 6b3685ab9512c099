"""The report's accuracy per generator level (reasoning-gym's difficulty parameters): drawn
only for runs whose test problems have levels, bars to scale, baseline beside the last
iteration; and the held-out accuracy per level read from a real evaluation directory."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from test_report_html import SVG, find_marks, parse_plots

from conftest import make_iteration
from reasonloop.profile.generator_levels import GeneratorLevel
from reasonloop.report import ReportData, read_report_data, render_html, write_report_data

LEVELS = {
    0: [GeneratorLevel("gcd", 1, 4, 0.5), GeneratorLevel("gcd", 3, 2, 0.0)],
    1: [GeneratorLevel("gcd", 1, 4, 0.75)],
    3: [GeneratorLevel("gcd", 1, 4, 1.0), GeneratorLevel("gcd", 3, 2, 0.5)],
}


def with_levels(data: ReportData) -> ReportData:
    iterations = [
        dataclasses.replace(r, generator_levels=LEVELS.get(r.iteration, []))
        for r in data.iterations
    ]
    return dataclasses.replace(data, iterations=iterations)


def test_no_plot_without_generator_levels(report_data: ReportData) -> None:
    assert "generator_levels" not in parse_plots(render_html(report_data))


def test_bars_show_baseline_and_last_iteration_to_scale(report_data: ReportData) -> None:
    data = with_levels(report_data)
    svg = parse_plots(render_html(data))["generator_levels"]
    bars = find_marks(svg, "rect", "rl-bar")
    tooltips = [e.text or "" for e in svg.iter(f"{SVG}title")]
    last = data.iterations[-1].iteration
    assert last == 3
    # baseline 0.5 at level 1 (its 0% bar at level 3 has no height), the last 1.0 and 0.5
    assert "baseline, level 1: 50.0% of 4 problems" in tooltips
    assert f"iteration {last}, level 1: 100.0% of 4 problems" in tooltips
    assert not [t for t in tooltips if t.startswith("iteration 1,")]  # first and last only
    heights = sorted(float(b.attrib["height"]) for b in bars)
    assert heights[-1] == pytest.approx(2 * heights[-2], rel=0.01)  # 100% vs 50%
    texts = [e.text for e in svg.iter(f"{SVG}text")]
    assert "level 1" in texts and "level 3" in texts


def test_generator_levels_round_trip_and_old_data_reads(
    report_data: ReportData, tmp_path: Path
) -> None:
    data = with_levels(report_data)
    path = write_report_data(data, tmp_path / "report_data.json")
    assert read_report_data(path) == data
    raw = json.loads(path.read_text())
    for iteration in raw["iterations"]:
        del iteration["generator_levels"]  # report data written before generator levels
    path.write_text(json.dumps(raw))
    assert all(not r.generator_levels for r in read_report_data(path).iterations)


def test_make_iteration_default_has_no_levels() -> None:
    assert make_iteration(0, 0.5, trained=False).generator_levels == []


def test_accuracy_by_generator_level_of_a_real_evaluation(tmp_path: Path) -> None:
    pytest.importorskip("reasoning_gym")
    from reasonloop.evaluate.heldout import (
        accuracy_by_generator_level,
        evaluate_heldout,
        greedy_outcomes,
    )
    from reasonloop.prompts import DEFAULT_TEMPLATE
    from reasonloop.sample.fingerprint import SamplerSpec
    from reasonloop.sample.plan import DrawSettings
    from reasonloop.tasks.gym import generate_gym_problems

    problems = generate_gym_problems("rg:chain_sum?max_terms=5", 12)
    answers = {p.question: p.gold for p in problems}
    spec = SamplerSpec("fake", "oracle", {"answers": answers, "accuracy": 0.5})
    eval_dir = tmp_path / "eval"
    settings = DrawSettings(DEFAULT_TEMPLATE, batch_size=12, progress=False)
    evaluate_heldout(problems, spec.load(), spec, eval_dir, settings, max_new_tokens=32, seed=0)
    levels = accuracy_by_generator_level(eval_dir, problems)
    outcomes = greedy_outcomes(eval_dir)
    assert sum(g.problems for g in levels) == len(problems)
    assert len({g.level for g in levels}) > 1 and {g.task for g in levels} == {"chain_sum"}
    for g in levels:
        members = [p.id for p in problems if p.meta["difficulty_level"] == g.level]
        assert g.mean_rate == sum(outcomes[pid] for pid in members) / len(members)
    assert 0 < sum(outcomes.values()) < len(problems)  # the oracle is right half the time
