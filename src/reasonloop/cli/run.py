"""`reasonloop run CONFIG.yaml`: the self-improvement loop on your model and data."""

from __future__ import annotations

import argparse

from reasonloop.cli._loop import add_loop_arguments, overrides_from_args, run_and_print


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "config", help="YAML config (see examples/loop.yaml); keys not known are errors"
    )
    add_loop_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from reasonloop.loop import load_config

    config = load_config(args.config, overrides_from_args(args))
    return run_and_print(config, args)
