"""`reasonloop report RUN_DIR`: re-render a loop run's HTML report from its report_data.json."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "run_dir",
        type=Path,
        metavar="RUN_DIR",
        help="a loop run directory holding report_data.json",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="where to write the HTML (default: RUN_DIR/report.html)",
    )


def run(args: argparse.Namespace) -> int:
    from reasonloop.report import REPORT_DATA_FILE, read_report_data, render_report

    run_dir: Path = args.run_dir
    data = read_report_data(run_dir / REPORT_DATA_FILE)
    output = render_report(data, args.output or run_dir / "report.html")
    print(f"wrote {output} ({len(data.iterations)} iterations, {len(data.examples)} examples)")
    return 0
