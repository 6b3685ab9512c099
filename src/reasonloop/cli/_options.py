"""Options shared by the commands that sample a model on problems (`sample`, `eval`, ...).

Each `add_*_arguments` adds one group of options; each `*_from_args` builds the matching object
from the parsed namespace. Nothing heavy is imported here: backends load lazily.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.backends.registry import BACKENDS, MODEL_SOURCE_BACKENDS
from reasonloop.backends.source import check_model_source, infer_backend
from reasonloop.errors import ConfigError
from reasonloop.prompts import PromptTemplate, load_template
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.tasks.gym import is_gym_spec
from reasonloop.tasks.problem import Problem
from reasonloop.tasks.procedural import find_task, parse_task_spec
from reasonloop.tasks.sources import load_problems_report

FORMAT_CHOICES = ("auto", "gsm8k", "math", "plain")


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """--model, --backend, --base-url, --backend-option."""
    group = parser.add_argument_group("model")
    group.add_argument(
        "--model",
        required=True,
        help="'default' (embedded SmolLM2-135M), a local path or hub id (transformers), "
        "'fake:arithmetic' (test backend), or a served model name with --base-url",
    )
    group.add_argument(
        "--backend",
        choices=sorted(BACKENDS),
        help="sampling backend; inferred from --model / --base-url when left out",
    )
    group.add_argument("--base-url", help="OpenAI-compatible server URL (implies --backend openai)")
    group.add_argument(
        "--backend-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra backend option, repeatable; VALUE is read as JSON when it parses "
        '(e.g. accuracy=0.9, device="cpu")',
    )


def add_problem_arguments(parser: argparse.ArgumentParser) -> None:
    """--task | --data, --format, --question-field, --answer-field, --skip-bad, --limit."""
    group = parser.add_argument_group("problems")
    source = group.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--task",
        help="built-in task spec (arithmetic:digits=2) or reasoning-gym tasks (rg:chain_sum)",
    )
    source.add_argument("--data", help="problem file (.jsonl/.parquet) or Hugging Face dataset")
    group.add_argument("--format", default="auto", choices=FORMAT_CHOICES, help="row format")
    group.add_argument("--question-field", help="field holding the question")
    group.add_argument("--answer-field", help="field holding the gold answer")
    group.add_argument("--split", help="dataset split (Hugging Face datasets only)")
    group.add_argument("--skip-bad", action="store_true", help="skip unreadable rows")
    group.add_argument(
        "--limit", type=int, help="use the first N problems (tasks: generate N, default 1000)"
    )


def add_sampling_arguments(parser: argparse.ArgumentParser, *, temperature: float = 0.8) -> None:
    """--max-new-tokens, --temperature, --top-p, --seed, --batch-size, --template."""
    group = parser.add_argument_group("sampling")
    group.add_argument("--max-new-tokens", type=int, default=256, help="token budget per response")
    group.add_argument("--temperature", type=float, default=temperature, help="0 means greedy")
    group.add_argument("--top-p", type=float, default=1.0, help="nucleus sampling mass")
    group.add_argument("--seed", type=int, default=0, help="sampling seed")
    group.add_argument("--batch-size", type=int, default=16, help="conversations per batch")
    group.add_argument(
        "--template", default="default", help="prompt template: a built-in name or a .yaml path"
    )


def add_reopen_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """--max-new-tokens, --model, --batch-size, --no-progress: drawing more from a run."""
    parser.add_argument(
        "--max-new-tokens", type=int, help="token budget (default: the run's longest)"
    )
    parser.add_argument("--model", help="model to load instead of the one the run recorded")
    parser.add_argument("--batch-size", type=int, default=16, help="conversations per batch")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def resolve_backend(model: str, backend: str | None, base_url: str | None) -> tuple[str, str]:
    """(backend, model name for that backend) from what the user typed.

    >>> resolve_backend("default", None, None)
    ('default', 'default')
    >>> resolve_backend("fake:arithmetic", None, None)
    ('fake', 'arithmetic')
    >>> resolve_backend("HuggingFaceTB/SmolLM2-135M-Instruct", None, None)
    ('transformers', 'HuggingFaceTB/SmolLM2-135M-Instruct')
    """
    backend = backend or infer_backend(model, base_url)
    if backend == "fake":
        model = model.removeprefix("fake:")
    if base_url is not None and backend != "openai":
        raise ConfigError(f"--base-url only applies to --backend openai, not {backend!r}")
    return backend, model


def parse_backend_options(items: list[str]) -> dict[str, Any]:
    """KEY=VALUE strings to a dict; a VALUE that parses as JSON is decoded.

    >>> parse_backend_options(["accuracy=0.9", "device=cpu"])
    {'accuracy': 0.9, 'device': 'cpu'}
    """
    options: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--backend-option expects KEY=VALUE, got {item!r}")
        try:
            options[key.strip()] = json.loads(value)
        except ValueError:
            options[key.strip()] = value
    return options


def sampler_spec(
    model: str, backend: str | None, base_url: str | None, option_items: list[str]
) -> SamplerSpec:
    """How to build the sampler a user named with --model/--backend/--base-url/--backend-option."""
    backend, model = resolve_backend(model, backend, base_url)
    if backend in MODEL_SOURCE_BACKENDS:
        check_model_source(model)  # a typo fails here, before the backend imports torch
    options = parse_backend_options(option_items)
    if base_url is not None:
        options["base_url"] = base_url
    return SamplerSpec(backend, model, options)


def sampler_from_args(args: argparse.Namespace) -> tuple[Sampler, SamplerSpec]:
    """The sampler named by --model/--backend/--base-url/--backend-option, and its spec."""
    spec = sampler_spec(args.model, args.backend, args.base_url, args.backend_option)
    return spec.load(), spec


def problems_from_args(args: argparse.Namespace) -> list[Problem]:
    """The problems named by --task or --data and their options; rows --skip-bad skipped are
    listed on stderr (the first few, with why)."""
    source: str = args.task if args.task is not None else args.data
    if args.task is not None and not is_gym_spec(args.task):
        find_task(parse_task_spec(args.task)[0])  # --task names a built-in task, never a dataset
    result = load_problems_report(
        source,
        format=args.format,
        question_field=args.question_field,
        answer_field=args.answer_field,
        split=args.split,
        limit=args.limit,
        skip_bad=args.skip_bad,
    )
    if result.skipped:
        print(f"--skip-bad: skipped {result.skipped} bad row(s) of {source}:", file=sys.stderr)
        for reason in result.skip_reasons[:SHOWN_SKIPS]:
            print(f"  {reason}", file=sys.stderr)
        if result.skipped > SHOWN_SKIPS:
            print(f"  ... and {result.skipped - SHOWN_SKIPS} more", file=sys.stderr)
    return list(result.problems)


SHOWN_SKIPS = 5


def params_from_args(args: argparse.Namespace) -> SamplingParams:
    """SamplingParams from --max-new-tokens/--temperature/--top-p/--seed, checked."""
    if args.max_new_tokens < 1:
        raise ConfigError(f"--max-new-tokens must be >= 1, got {args.max_new_tokens}")
    if args.temperature < 0:
        raise ConfigError(f"--temperature must be >= 0, got {args.temperature}")
    if not 0 < args.top_p <= 1:
        raise ConfigError(f"--top-p must be in (0, 1], got {args.top_p}")
    if args.batch_size < 1:
        raise ConfigError(f"--batch-size must be >= 1, got {args.batch_size}")
    return SamplingParams(
        max_new_tokens=args.max_new_tokens,
        temperature=args.temperature,
        top_p=args.top_p,
        seed=args.seed,
    )


def template_from_args(args: argparse.Namespace) -> PromptTemplate:
    return load_template(args.template)


def describe_problem_source(args: argparse.Namespace) -> dict[str, Any]:
    """The problem source as plain data (a file is named by its absolute path)."""
    if args.task is not None:
        return {"task": args.task}
    data = str(args.data)
    path = Path(data).expanduser()
    return {
        "data": str(path.resolve()) if path.exists() else data,
        "format": args.format,
        "question_field": args.question_field,
        "answer_field": args.answer_field,
        "split": args.split,
        "skip_bad": args.skip_bad,
    }
