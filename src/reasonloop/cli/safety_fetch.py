"""`reasonloop safety-fetch`: download the pinned archives that hold the safety data."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        metavar="DIR",
        help="where to keep the archives (default $REASONLOOP_SAFETY_CACHE or "
        "~/.cache/reasonloop/safety)",
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from reasonloop.safety.fetch import PINNED, fetch_archives

    paths = fetch_archives(Path(args.cache) if args.cache else None)
    for path, pin in zip(paths, PINNED.values(), strict=True):
        print(f"{pin.requirement}: {path} (sha256 {pin.sha256[:12]}... as pinned)")
    return 0
