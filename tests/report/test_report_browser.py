"""Open the rendered report in headless chromium: plots drawn, table filters, no network.

Needs the Debian packages `chromium` and `chromium-driver` and the `selenium` package (dev extra).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import HOSTILE_RESPONSE, make_report_data
from reasonloop.report import ReportData, render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or not Path(CHROMEDRIVER).is_file(),
        reason="needs chromium and chromium-driver (apt-get install chromium chromium-driver)",
    ),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1280,900",
    ):  # fmt: skip
        options.add_argument(flag)
    # The performance log records every request the page makes, network or not.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def opened_report(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = render_report(make_report_data(), tmp_path_factory.mktemp("report") / "report.html")
    browser.get(path.resolve().as_uri())
    return browser


def read_requested_urls(driver: Any, document_url: str) -> list[str]:
    """URLs of every request made by the page at `document_url`, from chromium's DevTools log.

    The log also holds chromium's own new-tab page (chrome:// URLs), hence the filter.
    """
    urls = []
    for entry in driver.get_log("performance"):
        event = json.loads(entry["message"])["message"]
        params = event.get("params", {})
        if event["method"] == "Network.requestWillBeSent" and params["documentURL"] == document_url:
            urls.append(params["request"]["url"])
    return urls


@pytest.mark.parametrize(
    ("plot", "selector", "count"),
    [
        ("accuracy", "circle.rl-point", 4),  # one marker per iteration
        ("accuracy", "path.rl-errorbar", 4),
        ("pass_at_k", "circle.rl-point", 8),
        ("difficulty", "rect.rl-bar", 12),  # the 3 trained iterations' samples
        ("status", "rect.rl-bar", 16),
        ("loss", "path.rl-curve", 3),
    ],
)
def test_plot_is_laid_out_with_visible_marks(
    opened_report: Any, plot: str, selector: str, count: int
) -> None:
    box = opened_report.execute_script(
        """
        const svg = document.querySelector(`svg.rl-plot[data-plot="${arguments[0]}"]`);
        const rect = svg.getBoundingClientRect();
        const marks = Array.from(svg.querySelectorAll(arguments[1]));
        const drawn = marks.filter(m => { const b = m.getBBox(); return b.width + b.height > 0; });
        return {width: rect.width, height: rect.height, marks: marks.length, drawn: drawn.length};
        """,
        plot,
        selector,
    )
    assert box["width"] > 300 and box["height"] > 150
    assert box["marks"] == count and box["drawn"] == count


def test_examples_table_filters_by_status_and_iteration(opened_report: Any) -> None:
    from selenium.webdriver.support.ui import Select

    driver = opened_report
    data: ReportData = make_report_data()
    count_visible = (
        "return [...document.querySelectorAll('tr.rl-example')].filter(r => !r.hidden).length"
    )
    assert driver.execute_script(count_visible) == len(data.examples) > 0
    Select(driver.find_element("id", "rl-filter-status")).select_by_value("no_answer")
    expected = sum(e.status == "no_answer" for e in data.examples)
    assert driver.execute_script(count_visible) == expected > 0
    Select(driver.find_element("id", "rl-filter-iteration")).select_by_value("3")
    expected = sum(e.status == "no_answer" and e.iteration == 3 for e in data.examples)
    assert driver.execute_script(count_visible) == expected
    assert driver.find_element("id", "rl-shown").text == f"{expected} of {len(data.examples)} shown"
    Select(driver.find_element("id", "rl-filter-status")).select_by_value("")
    Select(driver.find_element("id", "rl-filter-iteration")).select_by_value("")


def test_model_output_shows_as_text_and_runs_nothing(opened_report: Any) -> None:
    page = opened_report.execute_script(
        """
        const pres = [...document.querySelectorAll('pre.rl-response')].map(p => p.textContent);
        return {title: document.title, images: document.images.length,
                scripts: document.scripts.length, responses: pres};
        """
    )
    assert page["title"] == "GSM8K self-improvement <run 1>"
    assert page["images"] == 0 and page["scripts"] == 1
    assert HOSTILE_RESPONSE in page["responses"]


def test_no_network_requests_and_no_console_errors(opened_report: Any) -> None:
    entries = opened_report.execute_script(
        "return performance.getEntries().map(e => e.name).filter(n => n.includes(':'))"
    )
    assert entries and all(name.startswith("file:") for name in entries)
    requested = read_requested_urls(opened_report, opened_report.current_url)
    assert requested == [opened_report.current_url]  # the page itself, nothing else
    # A blocked style or script (CSP hash mismatch) or a failed load would show up here.
    severe = [e for e in opened_report.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_full_page_screenshot(opened_report: Any, tmp_path: Path) -> None:
    # Open two responses (one of them hostile) so the picture shows how they read.
    opened_report.execute_script(
        "document.querySelectorAll('tr.rl-example details').forEach("
        "(d, i, all) => { d.open = i === 1 || i === all.length - 1; })"
    )
    height = opened_report.execute_script("return document.documentElement.scrollHeight")
    opened_report.set_window_size(1280, min(int(height) + 120, 6000))
    shot = tmp_path / "report.png"
    assert opened_report.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000  # a blank page compresses to a few KB
    print(f"screenshot: {shot}")
