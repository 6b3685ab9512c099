"""The self-improvement loop: sample -> grade -> profile -> build -> train -> evaluate."""

from __future__ import annotations

from reasonloop.loop.config import LoopConfig, apply_overrides, load_config, parse_override
from reasonloop.loop.demo import demo_config
from reasonloop.loop.run import run_loop

__all__ = [
    "LoopConfig",
    "apply_overrides",
    "demo_config",
    "load_config",
    "parse_override",
    "run_loop",
]
