"""The public surface of reasonloop.tasks, and the doctests in its modules."""

from __future__ import annotations

import doctest
import importlib

import pytest

import reasonloop.tasks


def test_public_api_is_pinned() -> None:
    assert sorted(reasonloop.tasks.__all__) == [
        "FORMATS",
        "LoadResult",
        "Problem",
        "TASKS",
        "Task",
        "extract_gsm8k_gold",
        "extract_last_boxed",
        "generate_task",
        "load_problems",
        "load_problems_report",
        "parse_task_spec",
        "split_problems",
    ]
    for name in reasonloop.tasks.__all__:
        assert hasattr(reasonloop.tasks, name)


@pytest.mark.parametrize(
    "module",
    [
        "reasonloop.tasks.formats",
        "reasonloop.tasks.procedural",
        "reasonloop.tasks.split",
        "reasonloop.prompts",
    ],
)
def test_doctests(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def test_importing_tasks_pulls_in_no_heavy_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, reasonloop.tasks, reasonloop.prompts; "
        "print(sorted(m for m in ('datasets', 'pyarrow', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
