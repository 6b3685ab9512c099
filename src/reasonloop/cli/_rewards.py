"""Options shared by the commands that score responses with a reward (`rm-eval`, `best-of-n`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reasonloop.errors import ConfigError

if TYPE_CHECKING:
    from reasonloop.evaluate.rm.rewards import Reward
    from reasonloop.evaluate.rm.scoring import ScoreCache


def add_reward_arguments(parser: argparse.ArgumentParser, *, several: bool) -> None:
    """--reward (repeatable when `several`), --reward-option, --cache, --no-cache, progress."""
    from reasonloop.evaluate.rm.rewards import REWARDS

    names = "; ".join(f"{name}: {text}" for name, (_, text) in REWARDS.items())
    group = parser.add_argument_group("reward")
    group.add_argument(
        "--reward",
        required=True,
        action="append" if several else "store",
        metavar="NAME[:K=V,...]",
        help=f"the reward{' (repeatable)' if several else ''}, options after a colon. {names}",
    )
    group.add_argument(
        "--reward-option",
        action="append",
        default=[],
        metavar="K=V",
        help="an option of the reward, repeatable (e.g. model=DIR, seed=1)",
    )
    group.add_argument("--batch-size", type=int, default=16, help="responses per reward call")
    group.add_argument(
        "--cache", metavar="PATH", help="score cache (default: reward-scores.sqlite in the cache)"
    )
    group.add_argument("--no-cache", action="store_true", help="keep no scores on disk")
    group.add_argument("--no-progress", action="store_true", help="no progress bar")


def rewards_from_args(args: argparse.Namespace) -> list[tuple[str, Reward]]:
    """(label, reward) for each --reward; --reward-option goes to a single reward."""
    from reasonloop.evaluate.rm.rewards import load_reward, parse_options, parse_reward_spec

    specs = args.reward if isinstance(args.reward, list) else [args.reward]
    extra = parse_options(args.reward_option)
    if extra and len(specs) > 1:
        raise ConfigError(
            "--reward-option is for one reward; with several, put each one's options in its "
            "spec: --reward orm:model=DIR"
        )
    rewards: list[tuple[str, Reward]] = []
    for spec in specs:
        name, options = parse_reward_spec(spec)
        rewards.append((spec if not extra else name, load_reward(name, {**options, **extra})))
    return rewards


def cache_from_args(args: argparse.Namespace) -> ScoreCache | None:
    from reasonloop.evaluate.rm.scoring import ScoreCache

    return None if args.no_cache else ScoreCache(args.cache)
