"""Which stages of a loop run are finished, and whether a run directory fits this config.

`stages.json` maps each finished stage ("iter-1/sample", ...) to what it took. A stage is
recorded only after its artifacts are fully written, so re-running resumes at the first
stage that is not in the ledger.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reasonloop.errors import RunDirError
from reasonloop.files import write_json
from reasonloop.sample.fingerprint import diff_fingerprints

CONFIG_FILE = "config.yaml"
LEDGER_FILE = "stages.json"


@dataclass
class Ledger:
    """The finished stages of one run directory (state: it grows as stages finish)."""

    run_dir: Path
    stages: dict[str, dict[str, Any]]

    @classmethod
    def open(cls, run_dir: Path) -> Ledger:
        path = run_dir / LEDGER_FILE
        if not path.is_file():
            return cls(run_dir, {})
        try:
            stages = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise RunDirError(
                f"{path} is damaged ({error}); remove it to redo all stages"
            ) from error
        return cls(run_dir, stages)

    def done(self, stage: str) -> bool:
        return stage in self.stages

    def record(self, stage: str, seconds: float, **facts: Any) -> None:
        self.stages[stage] = {"seconds": round(seconds, 3), "finished_at": time.time(), **facts}
        write_json(self.run_dir / LEDGER_FILE, self.stages)

    def seconds(self, prefix: str = "") -> float:
        return float(
            sum(s["seconds"] for name, s in self.stages.items() if name.startswith(prefix))
        )


def claim_run_dir(run_dir: Path, config: dict[str, Any], *, force: bool = False) -> None:
    """Write `config.yaml` into a new run directory, or check it against an existing one.

    A run directory made with a different config is refused (its results would mix), unless
    `force`, which moves the old directory's ledger aside so every stage runs again; the
    old artifacts stay on disk, nothing is deleted.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / CONFIG_FILE
    if path.is_file():
        old = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        differing = diff_fingerprints(old, config)
        if not differing:
            return
        if not force:
            raise RunDirError(
                f"{run_dir} holds a run made with a different config (differs in: "
                f"{', '.join(differing)}); use another --out, or --force to start over "
                "(old artifacts are kept)"
            )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for name in (LEDGER_FILE, CONFIG_FILE):
            if (run_dir / name).exists():
                os.replace(run_dir / name, run_dir / f"{name}.bak-{stamp}")
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
