"""`reasonloop demo [--out DIR]`: the loop on the embedded default model, no other input."""

from __future__ import annotations

import argparse
import sys

from reasonloop.cli._loop import add_loop_arguments, overrides_from_args, run_and_print


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_loop_arguments(parser, default_out="demo-out")


def run(args: argparse.Namespace) -> int:
    from reasonloop.backends.cpus import cpu_family
    from reasonloop.loop import apply_overrides, demo_config

    config = apply_overrides(demo_config(), overrides_from_args(args))
    # The figures depend on the CPU family (its int8 and float32 kernels), so say which one
    # this is: the README quotes the demo's figures per family.
    print(
        f"[cpu] {cpu_family().describe()} (the demo's figures differ by CPU family: README, "
        "Quick start)",
        file=sys.stderr,
        flush=True,
    )
    return run_and_print(config, args)
