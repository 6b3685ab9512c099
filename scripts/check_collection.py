"""Fail when a test file or a doctest-bearing module under src/ collects nothing.

pytest silently skips some folders (its default `norecursedirs` holds `build`, `dist`,
`*.egg`, `venv`, ...): the 87 tests of the old `tests/build/` never ran in CI that way. This
script collects (nothing runs) the test suite and the doctests of `src/reasonloop` in one pass
and compares what pytest saw with what is on disk:

- every `test_*.py` under `tests/` must give at least one test, or be skipped as a whole
  (a module-level `importorskip` for an optional extra counts as seen);
- every module under `src/reasonloop` with a `>>>` line must give at least one doctest.

Usage: `python scripts/check_collection.py` (what `scripts/test.sh` runs first).
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SRC = ROOT / "src" / "reasonloop"
DOCTEST_LINE = re.compile(r"^\s*>>> ", re.MULTILINE)


class CollectionRecorder:
    """A pytest plugin that records which files gave items or were skipped whole."""

    def __init__(self) -> None:
        self.seen: set[Path] = set()

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        self.seen.add(Path(str(item.path)).resolve())

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.skipped and report.fspath:
            self.seen.add((ROOT / report.fspath).resolve())


def expected_files() -> tuple[list[Path], list[Path]]:
    """The test files and the doctest-bearing modules that must each collect something."""
    tests = sorted(p.resolve() for p in TESTS.rglob("test_*.py"))
    modules = sorted(
        p.resolve() for p in SRC.rglob("*.py") if DOCTEST_LINE.search(p.read_text("utf-8"))
    )
    return tests, modules


def say(line: str) -> None:
    sys.stdout.write(line.rstrip("\n") + "\n")


def main() -> int:
    recorder = CollectionRecorder()
    args = ["--collect-only", "-qq", "-p", "no:cacheprovider", "--doctest-modules"]
    listing = io.StringIO()  # pytest's per-file counts: shown only when collection fails
    with contextlib.redirect_stdout(listing):
        code = pytest.main([*args, str(TESTS), str(SRC)], plugins=[recorder])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        say(listing.getvalue())
        say(f"check_collection: pytest could not collect (exit {int(code)})")
        return int(code)
    tests, modules = expected_files()
    missing = [p for p in [*tests, *modules] if p not in recorder.seen]
    for path in missing:
        kind = "doctest module" if path.is_relative_to(SRC) else "test file"
        say(f"check_collection: {kind} collected nothing: {path.relative_to(ROOT)}")
    if missing:
        say(
            f"check_collection: {len(missing)} file(s) collected nothing (a folder name in "
            "pytest's norecursedirs, such as build/ or dist/, hides its tests)"
        )
        return 1
    say(
        f"check_collection: every one of {len(tests)} test files and "
        f"{len(modules)} doctest modules collected"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
