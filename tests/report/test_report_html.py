from __future__ import annotations

import argparse
import dataclasses
import re
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import HOSTILE_RESPONSE, make_iteration
from reasonloop.cli import report as report_cli
from reasonloop.errors import ReasonloopError
from reasonloop.profile.significance import mcnemar_exact
from reasonloop.report import REPORT_DATA_FILE, ReportData, render_html, write_report_data

SVG = "{http://www.w3.org/2000/svg}"


class TagCollector(HTMLParser):
    """Every start tag with its attributes, as the browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def collect_tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(page)
    return collector.tags


def parse_plots(page: str) -> dict[str, ET.Element]:
    svgs = re.findall(r'<svg class="rl-plot".*?</svg>', page, flags=re.S)
    parsed = [ET.fromstring(svg) for svg in svgs]
    return {svg.attrib["data-plot"]: svg for svg in parsed}


def find_marks(svg: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in svg.iter(f"{SVG}{tag}") if css_class in e.attrib.get("class", "").split()]


def test_untrusted_text_is_escaped_everywhere(report_data: ReportData) -> None:
    page = render_html(report_data)
    tags = collect_tags(page)
    assert [tag for tag, _ in tags].count("script") == 1  # only the page's own filter script
    assert "img" not in {tag for tag, _ in tags}
    assert not [name for _, attrs in tags for name in attrs if name.startswith("on")]
    assert escape(HOSTILE_RESPONSE) in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # config value
    assert "<title>GSM8K self-improvement &lt;run 1&gt;</title>" in page


def test_page_references_nothing_outside_itself(report_data: ReportData) -> None:
    page = render_html(report_data)
    for tag, attrs in collect_tags(page):
        assert tag not in {"link", "iframe", "img", "object", "embed"}
        assert not {"src", "href", "srcset", "xlink:href", "action"} & set(attrs), tag
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page  # the browser also refuses any fetch


@pytest.mark.parametrize(
    ("plot", "tag", "css_class", "count"),
    [
        ("accuracy", "circle", "rl-point", 4),  # one marker per iteration
        ("accuracy", "path", "rl-errorbar", 4),
        ("pass_at_k", "circle", "rl-point", 8),  # k = 1, 2, 4, 8 before and after
        ("pass_at_k", "path", "rl-curve", 2),
        ("difficulty", "rect", "rl-bar", 12),  # 4 levels x 3 trained iterations
        ("status", "rect", "rl-bar", 16),  # 4 statuses x 4 iterations
        ("loss", "path", "rl-curve", 3),  # the baseline has no training
    ],
)
def test_each_plot_draws_its_marks(
    report_data: ReportData, plot: str, tag: str, css_class: str, count: int
) -> None:
    svg = parse_plots(render_html(report_data))[plot]
    assert len(find_marks(svg, tag, css_class)) == count


def test_bar_heights_are_proportional_to_counts(report_data: ReportData) -> None:
    svg = parse_plots(render_html(report_data))["difficulty"]
    bars = find_marks(svg, "rect", "rl-bar")
    counts = [c for r in report_data.iterations for c in r.difficulty_counts.values()]
    per_problem = [float(b.attrib["height"]) / c for b, c in zip(bars, counts, strict=True)]
    assert max(per_problem) - min(per_problem) < 0.01  # heights are written to 0.1 px


def test_difficulty_bars_are_labelled_by_the_model_sampled(report_data: ReportData) -> None:
    # Iteration 1 trains on the base model's samples: its difficulty is the base model's.
    svg = parse_plots(render_html(report_data))["difficulty"]
    texts = [e.text for e in svg.iter(f"{SVG}text")]
    assert ["base", "iter 1", "iter 2"] == [t for t in texts if t in {"base", "iter 1", "iter 2"}]
    assert "model sampled (its samples train the next iteration)" in texts
    tooltips = [e.text or "" for e in svg.iter(f"{SVG}title")]
    first = report_data.iterations[1].difficulty_counts
    assert f"samples of the base model: hard {first['hard']} of {sum(first.values())}" in tooltips
    assert not [t for t in tooltips if "iteration" in t]


def test_status_plot_says_it_counts_the_held_out_answers(report_data: ReportData) -> None:
    svg = parse_plots(render_html(report_data))["status"]
    assert svg.attrib["aria-label"] == "Verifier statuses of the greedy held-out answers"
    assert "answers" in [e.text for e in svg.iter(f"{SVG}text")]  # the y axis unit


def test_accuracy_markers_sit_at_their_values(report_data: ReportData) -> None:
    svg = parse_plots(render_html(report_data))["accuracy"]
    heights = [float(c.attrib["cy"]) for c in find_marks(svg, "circle", "rl-point")]
    accuracies = [r.accuracy for r in report_data.iterations]
    # y is affine in accuracy: every point gives the same pixels per point of accuracy.
    slopes = [
        (heights[i] - heights[0]) / (accuracies[i] - accuracies[0]) for i in range(1, len(heights))
    ]
    assert max(slopes) < 0  # higher accuracy is drawn higher up
    assert max(slopes) - min(slopes) < abs(slopes[0]) * 0.01


def test_headline_shows_change_in_points_and_wall_time(report_data: ReportData) -> None:
    page = render_html(report_data)
    headline = re.search(r'<section class="rl-headline".*?</section>', page, flags=re.S)
    assert headline is not None
    text = re.sub(r"<[^>]+>", " ", headline.group(0))
    for expected in ("31.0%", "45.5%", "+14.5 pts", "200", "1 h 02 min"):
        assert expected in text


def test_examples_and_config_tables(report_data: ReportData) -> None:
    tags = collect_tags(render_html(report_data))
    rows = [attrs for tag, attrs in tags if tag == "tr" and attrs.get("class") == "rl-example"]
    assert len(rows) == len(report_data.examples)
    assert {row["data-status"] for row in rows} == {"correct", "incorrect", "no_answer"}
    assert "train.lr" in render_html(report_data)


@pytest.mark.parametrize(
    ("iterations", "absent_plot_text"),
    [
        ([], "no iterations yet"),
        ([make_iteration(0, 0.2, trained=False)], "no training yet (baseline only)"),
        (
            [dataclasses.replace(make_iteration(0, 0.0, trained=False), pass_at_k={})],
            "no pass@k recorded",
        ),
    ],
)
def test_partial_runs_still_render(
    report_data: ReportData, iterations: list, absent_plot_text: str
) -> None:
    data = dataclasses.replace(report_data, iterations=iterations)
    page = render_html(data)
    assert absent_plot_text in page
    assert len(parse_plots(page)) == 5


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    report_cli.add_arguments(parser)
    return report_cli.run(parser.parse_args(argv))


def test_cli_renders_from_run_dir(report_data: ReportData, tmp_path: Path) -> None:
    write_report_data(report_data, tmp_path / REPORT_DATA_FILE)
    assert run_cli([str(tmp_path)]) == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(report_data)
    assert run_cli([str(tmp_path), "-o", str(tmp_path / "out" / "r.html")]) == 0
    assert (tmp_path / "out" / "r.html").is_file()


def test_cli_without_report_data_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ReasonloopError, match=REPORT_DATA_FILE):
        run_cli([str(tmp_path)])


def headline_of(data: ReportData) -> str:
    found = re.search(r'<section class="rl-headline".*?</section>', render_html(data), flags=re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize(
    ("before", "after", "significant"),
    [
        ("100000", "110000", False),  # the "+16.7 pts" on 6 problems: noise
        ("0" * 30, "1" * 12 + "0" * 18, True),
    ],
)
def test_change_is_coloured_only_when_the_paired_test_says_so(
    report_data: ReportData, before: str, after: str, significant: bool
) -> None:
    outcomes = [{f"p{i}": c == "1" for i, c in enumerate(x)} for x in (before, after)]
    test = mcnemar_exact(*outcomes)
    data = dataclasses.replace(report_data, summary={"significance": test.to_dict()})
    headline = headline_of(data)
    assert ('class="rl-up"' in headline) is significant
    text = re.sub(r"<[^>]+>", " ", headline)
    assert ("not significant" in text) is not significant
    assert "exact McNemar test" in text


def test_header_counts_training_iterations_and_labels_metrics(report_data: ReportData) -> None:
    last = report_data.iterations[-1]
    iterations = [
        dataclasses.replace(report_data.iterations[0], permissive_accuracy=0.4),
        dataclasses.replace(report_data.iterations[1], rationales_dropped=7),
        *report_data.iterations[2:-1],
        dataclasses.replace(last, pass_at_k={}, permissive_accuracy=0.5),
    ]
    iterations[0] = dataclasses.replace(iterations[0], pass_at_k_ci={2: (0.3321, 0.5012)})
    page = render_html(dataclasses.replace(report_data, iterations=iterations))
    # Four results: the baseline and three trained iterations.
    assert "3 training iteration(s) after the baseline" in page
    assert "greedy accuracy" in page and "sampled pass@2" in page
    assert "greedy, any format" in page and "40.0% -&gt; 50.0%" in page
    assert "n/a" in page and "evaluated greedily" in page
    assert "(33.2-50.1%)" in page and "over the test problems" in page
    assert "rationales dropped (no working)" in page
    assert "rationales dropped" not in render_html(report_data)  # none dropped: no column
    # Without a recorded paired test the change is not coloured.
    assert 'class="rl-up"' not in headline_of(report_data)
