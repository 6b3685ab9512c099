"""The self-contained HTML report of a loop run: data contract, SVG plots, rendering."""

from __future__ import annotations

from reasonloop.report.data import (
    DIFFICULTY_LEVELS,
    REPORT_DATA_FILE,
    ExampleRow,
    IterationResult,
    ReportData,
    read_report_data,
    write_report_data,
)
from reasonloop.report.html import render_html, render_report

__all__ = [
    "DIFFICULTY_LEVELS",
    "REPORT_DATA_FILE",
    "ExampleRow",
    "IterationResult",
    "ReportData",
    "read_report_data",
    "render_html",
    "render_report",
    "write_report_data",
]
