"""`--judge MODEL` and its options, shared by the commands that grade (`verify`, ...).

The judge is loaded lazily: a run whose pairs the rule decides never loads the judge model.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reasonloop.backends.registry import BACKENDS
from reasonloop.cli._options import parse_backend_options, resolve_backend

if TYPE_CHECKING:
    from reasonloop.verify.judge import ModelJudge


def add_judge_arguments(parser: argparse.ArgumentParser) -> None:
    """--judge, --judge-backend, --judge-base-url, --judge-option, --judge-template, cache."""
    group = parser.add_argument_group("model judge (asked only where the rule cannot decide)")
    group.add_argument(
        "--judge",
        metavar="MODEL",
        help="'default' (embedded SmolLM2-135M), a local path or hub id (transformers), "
        "a served model name with --judge-base-url, or 'fake:echo' (tests)",
    )
    group.add_argument("--judge-backend", choices=sorted(BACKENDS), help="the judge's backend")
    group.add_argument("--judge-base-url", help="OpenAI-compatible server of the judge")
    group.add_argument(
        "--judge-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra judge backend option, repeatable (VALUE read as JSON when it parses)",
    )
    group.add_argument(
        "--judge-template",
        default="answer-only",
        help="judge prompt: answer-only, with-question, final-decision, or a .yaml file",
    )
    group.add_argument("--judge-cache", metavar="PATH", help="judge decision cache (SQLite)")
    group.add_argument(
        "--no-judge-cache", action="store_true", help="keep no judge decisions on disk"
    )


def judge_from_args(args: argparse.Namespace) -> ModelJudge | None:
    """The judge named by --judge and its options, or None without --judge."""
    if args.judge is None:
        return None
    from reasonloop.verify.judge import load_judge

    backend, model = resolve_backend(args.judge, args.judge_backend, args.judge_base_url)
    options = parse_backend_options(args.judge_option)
    if args.judge_base_url is not None:
        options["base_url"] = args.judge_base_url
    return load_judge(
        model,
        backend=backend,
        template=args.judge_template,
        cache=args.judge_cache,
        use_cache=not args.no_judge_cache,
        **options,
    )
