"""The public surface of reasonloop.verify is pinned, explicit and light to import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import reasonloop.verify as verify_package
from reasonloop.verify import Status, Verdict, extract_answer, is_equivalent, verify, verify_batch

PUBLIC = ["Status", "Verdict", "extract_answer", "is_equivalent", "verify", "verify_batch"]
# `import reasonloop.verify` loads the package and its lazy __init__ and nothing else of ours;
# `from reasonloop.verify import verify` loads the grading modules, never the worker pool.
MAX_MODULES_FOR_IMPORT = 2
MAX_MODULES_FOR_VERIFY = 26  # small pure modules only (symbols, boxes, labels: issue 20)


def test_public_api_is_pinned() -> None:
    assert sorted(verify_package.__all__) == PUBLIC
    assert all(getattr(verify_package, name) is not None for name in PUBLIC)


def test_every_public_name_is_in_all() -> None:
    # Submodules become attributes once imported (`reasonloop.verify.grade`); every other name
    # the package hands out must be in __all__.
    import types

    public = {
        name
        for name in dir(verify_package)
        if not name.startswith("_")
        and not isinstance(getattr(verify_package, name), types.ModuleType)
        and name not in {"annotations", "import_module", "TYPE_CHECKING"}
    }
    assert public <= set(verify_package.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = verify_package.nothing_here  # type: ignore[attr-defined]


def _loaded_after(statement: str) -> list[str]:
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_import_is_light() -> None:
    loaded = _loaded_after("import reasonloop.verify")
    ours = [name for name in loaded if name.startswith("reasonloop")]
    assert len(ours) <= MAX_MODULES_FOR_IMPORT, ours
    assert "multiprocessing" not in loaded and "yaml" not in loaded and "tqdm" not in loaded


def test_verify_alone_does_not_load_the_worker_pool() -> None:
    loaded = _loaded_after("from reasonloop.verify import verify")
    ours = [name for name in loaded if name.startswith("reasonloop")]
    assert len(ours) <= MAX_MODULES_FOR_VERIFY, ours
    assert "reasonloop.verify.batch" not in loaded and "multiprocessing" not in loaded


def test_basic_roundtrip() -> None:
    verdict = verify("so the answer is $\\boxed{\\frac{1}{2}}$.", "0.5")
    assert isinstance(verdict, Verdict)
    assert verdict.status is Status.CORRECT and verdict.correct
    assert extract_answer("#### 18") == "18"
    assert is_equivalent("\\frac12", "0.5")
    assert [v.correct for v in verify_batch([("#### 3", "3"), ("#### 4", "3")])] == [True, False]
