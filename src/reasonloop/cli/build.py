"""`reasonloop build KIND`: a training dataset in TRL's (or verl's) format. SFT, DPO, GRPO and
verl rows from a run's graded samples (here); step-DPO pairs and PRM rows from its step values
(`cli/_build_steps.py`); safety rows from the fetched requests (`cli/_build_safety.py`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reasonloop.cli._build_safety import add_safety_arguments
from reasonloop.dataset.rows import DATASET_KINDS, STEP_KINDS
from reasonloop.errors import ConfigError, DataError

if TYPE_CHECKING:
    from reasonloop.prompts import PromptTemplate
    from reasonloop.sample.record import GradedSample
    from reasonloop.sample.store import RunStore


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=(*DATASET_KINDS, "safety"), help="which dataset to build")
    parser.add_argument(
        "run_dir",
        metavar="RUN_DIR",
        nargs="?",
        help="a run directory made by `sample` (not for safety: see --math-run)",
    )
    parser.add_argument(
        "-o", "--out", required=True, metavar="FILE", help="output .jsonl or .parquet"
    )
    parser.add_argument(
        "--max-per-problem",
        type=int,
        metavar="N",
        help="sft: most responses per problem (default 4); dpo, step-dpo: most pairs per "
        "problem (4)",
    )
    parser.add_argument(
        "--value",
        choices=("hard", "soft"),
        default="hard",
        help="step-dpo: find first pits by hard (any rollout correct) or soft step values",
    )
    parser.add_argument(
        "--balance",
        choices=("difficulty", "none"),
        default="difficulty",
        help="sft: keep fewer responses of easy problems (default) or the same cap for all",
    )
    parser.add_argument(
        "--pairing",
        choices=("random", "shortest", "all"),
        default="random",
        help="dpo: which correct/wrong responses to pair",
    )
    parser.add_argument(
        "--rank",
        metavar="prm:AGG",
        help="sft: keep each problem's best correct responses by a PRM's aggregated step "
        "score (prm:min, prm:mean, ...; with --prm DIR) instead of a random choice",
    )
    parser.add_argument("--prm", metavar="DIR", help="sft --rank: the process reward model")
    parser.add_argument("--round", type=int, help="only samples of this sampling round")
    parser.add_argument("--seed", type=int, default=0, help="seed for sft/dpo choices")
    parser.add_argument(
        "--rationales",
        metavar="DIR",
        help="sft: also train on the verified rationales of `reasonloop rationalize` in DIR",
    )
    parser.add_argument(
        "--include-unseen",
        action="store_true",
        help="grpo/verl: also add the run's problems that have no samples",
    )
    parser.add_argument(
        "--template",
        help="grpo/verl --include-unseen, sft --rationales: prompt (default: the run's)",
    )
    parser.add_argument(
        "--data-source", default="reasonloop/math", help="verl: the rows' data_source"
    )
    add_safety_arguments(parser)


def run(args: argparse.Namespace) -> int:
    if args.kind != "safety":
        _check_options(args)
    return builder(args.kind)(args)


def builder(kind: str) -> Callable[[argparse.Namespace], int]:
    """The command that builds `kind`: the outcome kinds read a run's graded samples (here),
    the step kinds its step values (`_build_steps`), safety no run at all (`_build_safety`).

    >>> builder("prm").__name__, builder("dpo").__name__, builder("safety").__name__
    ('run_step_kind', 'run_outcome_kind', 'run_safety')
    """
    if kind == "safety":
        from reasonloop.cli._build_safety import run_safety

        return run_safety
    if kind in STEP_KINDS:
        from reasonloop.cli._build_steps import run_step_kind

        return run_step_kind
    return run_outcome_kind


def run_outcome_kind(args: argparse.Namespace) -> int:
    from reasonloop.dataset import write_dataset
    from reasonloop.dataset.rows import build_rows
    from reasonloop.sample.store import RunStore

    with RunStore.open_existing(args.run_dir) as store:
        problems = store.problems()
        samples = store.samples_by_problem(round=args.round)
        template = run_template(store, args.template)
    if args.rationales:
        from reasonloop.curate.rationalize import read_rationales

        if template is None:
            raise ConfigError("--rationales needs the run's prompt template; pass --template")
        found = read_rationales(problems, template, Path(args.rationales))
        samples = {p.id: [*samples.get(p.id, []), *found.get(p.id, [])] for p in problems}
    rank = rank_scores(args, samples) if args.rank else None
    try:
        rows = build_rows(
            args.kind,
            problems,
            samples,
            max_per_problem=args.max_per_problem or 4,
            balance=args.balance,
            pairing=args.pairing,
            seed=args.seed,
            include_unseen=args.include_unseen,
            render=template.render if template is not None else None,
            data_source=args.data_source,
            rank=rank,
        )
    except DataError as error:
        raise DataError(f"{args.run_dir}: {error}") from error
    path = write_dataset(rows, args.out)
    used = len({row.get("problem_id", row.get("extra_info", {}).get("problem_id")) for row in rows})
    print(f"wrote {len(rows)} {args.kind} rows from {used} of {len(problems)} problems to {path}")
    return 0


def run_template(store: RunStore, name_or_path: str | None) -> PromptTemplate | None:
    """--template if given, else the template the run recorded (None for an older run)."""
    from reasonloop.prompts import load_template

    if name_or_path:
        return load_template(name_or_path)
    return store.fingerprint.template if store.fingerprint is not None else None


def rank_scores(
    args: argparse.Namespace, samples: Mapping[str, Sequence[GradedSample]]
) -> dict[tuple[str, str], float]:
    """--rank prm:AGG: every correct response scored by the PRM at --prm, aggregated by AGG."""
    from reasonloop.rewards.aggregate import AGGREGATIONS
    from reasonloop.rewards.prm import PRMScorer
    from reasonloop.rewards.step_scores import score_samples

    source, _, how = args.rank.partition(":")
    if args.kind != "sft" or source != "prm" or how not in AGGREGATIONS or not args.prm:
        raise ConfigError(
            f"--rank {args.rank}: use `build sft --rank prm:AGG --prm DIR` with AGG one of "
            f"{', '.join(AGGREGATIONS)}"
        )
    correct = [s for group in samples.values() for s in group if s.correct]
    return score_samples(PRMScorer(args.prm, show_progress=True), correct, how)


def _check_options(args: argparse.Namespace) -> None:
    if args.run_dir is None:
        raise ConfigError(f"build {args.kind} needs RUN_DIR, a run directory made by `sample`")
    if args.max_per_problem is not None and args.kind not in ("sft", "dpo", "step-dpo"):
        raise ConfigError("--max-per-problem applies to sft, dpo and step-dpo datasets only")
    if args.max_per_problem is not None and args.max_per_problem < 1:
        raise ConfigError(f"--max-per-problem must be at least 1, got {args.max_per_problem}")
    if args.include_unseen and args.kind not in ("grpo", "verl"):
        raise ConfigError("--include-unseen applies to grpo and verl datasets only")
    if args.rationales and args.kind != "sft":
        raise ConfigError("--rationales applies to sft datasets only")
    if Path(args.out).suffix.lower() not in (".jsonl", ".parquet"):
        raise ConfigError(f"-o {args.out}: the file must end in .jsonl or .parquet")
