"""The report's B-STaR section: rows read back from report data, the chosen temperature
marked in each sweep, nothing rendered for a fixed-temperature run."""

from __future__ import annotations

import json
from dataclasses import asdict

from reasonloop.report.bstar import BStarIteration, render_bstar

ROW = BStarIteration(
    iteration=1,
    temperature=0.8,
    tau=1.0,
    balance=0.4375,
    n_star=8,
    dev_problems=16,
    samples_per_query=16,
    temperatures=[0.5, 0.8],
    balance_at_tau=[0.25, 0.4375],
    pass_at_k=[0.5, 0.75],
    distinct_correct=[1.5, 3.5],
    best_of_k=[0.5, 0.75],
)


def test_rows_survive_a_json_round_trip() -> None:
    assert BStarIteration.from_dict(json.loads(json.dumps(asdict(ROW)))) == ROW


def test_section_shows_the_choice_and_the_sweep() -> None:
    html = render_bstar([ROW])
    assert 'id="rl-bstar"' in html
    assert "<td>0.8</td><td>1</td><td>0.438</td><td>8</td><td>16 x 16</td>" in html
    assert "<td><b>0.8</b></td><td>0.438</td><td>75.0%</td><td>3.50</td><td>75.0%</td>" in html
    assert "<td>0.5</td><td>0.250</td><td>50.0%</td><td>1.50</td><td>50.0%</td>" in html
    assert render_bstar([]) == ""
