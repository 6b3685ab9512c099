"""Which stages of a loop run are finished, and whether a run directory fits this config.

`stages.json` maps each finished stage ("iter-1/sample", ...) to what it took and the
identity of its inputs (`loop.identity`). A stage is recorded only after its artifacts are
fully written, so re-running resumes at the first stage that is not in the ledger, and redoes
every stage whose inputs changed since it was recorded.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

import yaml

from reasonloop.errors import RunDirError
from reasonloop.files import ignore_in_git, write_json
from reasonloop.loop.records import StageRecord
from reasonloop.sample.fingerprint import diff_fingerprints

CONFIG_FILE = "config.yaml"
LEDGER_FILE = "stages.json"

R = TypeVar("R", bound=StageRecord)


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

    def done(self, stage: str, identity: str | None = None) -> bool:
        """Whether `stage` finished (from the inputs `identity`, when given)."""
        entry = self.stages.get(stage)
        return entry is not None and (identity is None or entry.get("identity") == identity)

    def record(
        self, stage: str, seconds: float, record: StageRecord, identity: str | None = None
    ) -> None:
        """Write `stage` as finished, with its `record` (facts left None are not written)."""
        facts = {name: value for name, value in asdict(record).items() if value is not None}
        entry = {"seconds": round(seconds, 3), "finished_at": time.time(), **facts}
        self.stages[stage] = entry if identity is None else {**entry, "identity": identity}
        write_json(self.run_dir / LEDGER_FILE, self.stages)

    def read(self, stage: str, kind: type[R]) -> R:
        """The record of the finished `stage`, as the `kind` it was written from."""
        entry = self.stages.get(stage)
        if entry is None:
            raise RunDirError(f"{self.run_dir / LEDGER_FILE} has no finished stage {stage}")
        return kind(**{f.name: entry[f.name] for f in fields(kind) if f.name in entry})

    def find(self, stage: str, kind: type[R]) -> R | None:
        """The record of `stage`, or None when it has not finished."""
        return self.read(stage, kind) if stage in self.stages else None

    def seconds(self, prefix: str = "") -> float:
        return float(
            sum(s["seconds"] for name, s in self.stages.items() if name.startswith(prefix))
        )


def claim_run_dir(run_dir: Path, config: dict[str, Any], *, force: bool = False) -> None:
    """Write `config.yaml` into a new run directory, or check it against an existing one.

    A run directory made with a different config is refused (its results would mix), unless
    `force`: then the old config is moved aside and the ledger kept, so the stages whose
    inputs the change touched (and every stage after them) run again while the others are
    reused; the old artifacts of a redone stage are moved aside, nothing is deleted. A run
    that finished no stage (its first attempt failed) has nothing to protect: any config
    takes it over.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    ignore_in_git(run_dir)
    path = run_dir / CONFIG_FILE
    if path.is_file() and Ledger.open(run_dir).stages:
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
        os.replace(path, run_dir / f"{CONFIG_FILE}.bak-{stamp}")
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
