"""`reasonloop run CONFIG.yaml`: the self-improvement loop on your model and data."""

from __future__ import annotations

import argparse

from reasonloop.cli._loop import add_loop_arguments, overrides_from_args, run_and_print
from reasonloop.scale.executor import EXECUTORS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "config", help="YAML config (see examples/loop.yaml); keys not known are errors"
    )
    add_loop_arguments(parser)
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        help="where sampling runs (config: executor.name; more options under executor.*)",
    )
    parser.add_argument(
        "--ray-address", metavar="ADDRESS", help="Ray cluster to join (config: executor.address)"
    )


def run(args: argparse.Namespace) -> int:
    from reasonloop.loop import load_config

    overrides = overrides_from_args(args)
    if args.executor is not None:
        overrides["executor.name"] = args.executor
    if args.ray_address is not None:
        overrides["executor.address"] = args.ray_address
    config = load_config(args.config, overrides)
    return run_and_print(config, args)
