"""The `reasonloop` command: one module per subcommand, imported only when used."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from reasonloop.errors import ReasonloopError

# subcommand -> (module under reasonloop.cli, one-line help). Each module defines
# `add_arguments(parser)` and `run(args) -> int`, and imports nothing heavy at module level.
COMMANDS: dict[str, tuple[str, str]] = {
    "verify": ("verify", "grade a response against a gold answer, or a JSONL file of them"),
    "audit-verifier": ("audit", "attack success of hack patterns on rule, judge and hybrid"),
    "sample": ("sample", "draw k responses per problem into a resumable run directory"),
    "profile": ("profile", "per-problem pass rates and difficulty levels of a run"),
    "eval": ("evaluate", "accuracy, pass@k and maj@k of a model on problems"),
    "rm-eval": ("rm_eval", "how often a reward ranks the correct response above all wrong ones"),
    "best-of-n": ("best_of_n", "accuracy of the response a reward picks among N samples"),
    "prm-eval": ("prm_eval", "how well a step scorer finds wrong steps (PRMBench)"),
    "score": ("score", "step scores of every response by a process reward model"),
    "export": ("export", "write a run's samples to JSONL or Parquet"),
    "rationalize": ("rationalize", "STaR: hinted solutions for a run's unsolved problems"),
    "values": ("values", "step values of a run's samples by Monte-Carlo rollouts"),
    "build": ("build", "build SFT / DPO / GRPO / verl datasets from a run"),
    "synthesize": ("synthesize", "new training problems from a run's errors (Self-Error-Instruct)"),
    "select": ("select", "keep the pool rows that help a target most (ClusterUCB, LESS)"),
    "train": ("train", "fine-tune through TRL: sft, dpo or grpo; or a process reward model"),
    "run": ("run", "the self-improvement loop from a YAML config"),
    "demo": ("demo", "the loop on the embedded default model and the arithmetic task"),
    "report": ("report", "write the HTML report of a loop run"),
    "safety-fetch": ("safety_fetch", "download the pinned archives that hold the safety data"),
    "safety-judge": ("safety_judge", "compliance, refusal or partial refusal of responses"),
    "safety-eval": ("safety_eval", "attack success, over-refusal and math accuracy of a model"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reasonloop",
        description="Verify, sample, profile, curate, train and evaluate math reasoners.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(_module=module_name)
        _command_module(module_name).add_arguments(sub)
    return parser


def _command_module(module_name: str) -> ModuleType:
    return importlib.import_module(f"reasonloop.cli.{module_name}")


# Nothing is downloaded at run time: a hub model or dataset name means a copy already in the
# local Hugging Face cache, and a name that is not there fails at once instead of retrying the
# network (set the variables to 0 to let the Hugging Face libraries download).
OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def main(argv: Sequence[str] | None = None) -> int:
    for name, value in OFFLINE.items():
        os.environ.setdefault(name, value)
    args = build_parser().parse_args(argv)
    try:
        code: int = _command_module(args._module).run(args)
    except ReasonloopError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; everything written so far is kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`reasonloop profile RUN | head`): stop quietly,
        # as Unix tools do; stdout goes to /dev/null so the interpreter's final flush is quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as error:
        # A path that cannot be written or read (no such directory, no permission, disk
        # full): the error names the file; what was written before it is kept.
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
