"""Options and output shared by the commands that run the loop (`run`, `demo`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reasonloop.loop import LoopConfig
    from reasonloop.loop.summary import LoopSummary


def add_loop_arguments(parser: argparse.ArgumentParser, default_out: str | None = None) -> None:
    """--out, --set KEY=VALUE, --force, --no-progress."""
    parser.add_argument(
        "--out",
        required=default_out is None,
        default=default_out,
        help="run directory (re-run the same command to resume)"
        + (f"; default: {default_out}" if default_out else ""),
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value, e.g. --set sampling.k=4 --set train.options.epochs=1",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="start over in a run directory made with another config",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide progress bars")


def overrides_from_args(args: argparse.Namespace) -> dict[str, Any]:
    from reasonloop.loop import parse_override

    return dict(parse_override(text) for text in args.overrides)


def run_and_print(config: LoopConfig, args: argparse.Namespace) -> int:
    """Run the loop, narrating stages on stderr, and print the summary as JSON on stdout."""
    from reasonloop.loop import run_loop
    from reasonloop.sample.graders import describe_graders

    summary = run_loop(
        config,
        args.out,
        force=args.force,
        progress=not args.no_progress,
        notify=lambda message: print(message, file=sys.stderr, flush=True),
    )
    print(json.dumps(summary.to_dict(), indent=2))
    print(summary.headline(), file=sys.stderr)
    print(describe_change(summary), file=sys.stderr)
    if summary.graders:
        print(describe_graders(summary.graders), file=sys.stderr)
    if summary.stopped is not None:
        print(f"the run stopped early: {summary.stopped}", file=sys.stderr)
    return 0


def describe_change(summary: LoopSummary) -> str:
    """The paired test's call on the change, and the change in any answer format."""
    line = f"the change is {summary.significance.verdict}"
    before, after = summary.baseline_permissive_accuracy, summary.final_permissive_accuracy
    if before is not None and after is not None:
        line += f"; in any answer format (permissive extraction): {before:.1%} -> {after:.1%}"
    return line
