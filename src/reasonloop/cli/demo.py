"""`reasonloop demo [--out DIR]`: the loop on the embedded default model, no other input."""

from __future__ import annotations

import argparse

from reasonloop.cli._loop import add_loop_arguments, overrides_from_args, run_and_print


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_loop_arguments(parser, default_out="demo-out")


def run(args: argparse.Namespace) -> int:
    from reasonloop.loop import apply_overrides, demo_config

    config = apply_overrides(demo_config(), overrides_from_args(args))
    return run_and_print(config, args)
