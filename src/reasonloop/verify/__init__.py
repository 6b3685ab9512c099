"""Math answer verification: extract a response's final answer and grade it against a gold.

`verify` grades one pair, `verify_batch` many pairs across killable worker processes,
`extract_answer` finds the final answer, `is_equivalent` compares two extracted answers (for
majority voting). Nothing here evaluates text as code.

The names are loaded on first use: `import reasonloop.verify` costs almost nothing, and
`from reasonloop.verify import verify` loads the grading modules but not the worker pool
(multiprocessing) that only `verify_batch` needs. Every grading worker and every TRL reward
import pays this cost, so it is pinned by a test.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reasonloop.verify.batch import verify_batch
    from reasonloop.verify.extract import extract_answer
    from reasonloop.verify.grade import is_equivalent, verify
    from reasonloop.verify.verdict import Status, Verdict

# public name -> the module that defines it
_HOMES = {
    "Status": "reasonloop.verify.verdict",
    "Verdict": "reasonloop.verify.verdict",
    "extract_answer": "reasonloop.verify.extract",
    "is_equivalent": "reasonloop.verify.grade",
    "verify": "reasonloop.verify.grade",
    "verify_batch": "reasonloop.verify.batch",
}

__all__ = ["Status", "Verdict", "extract_answer", "is_equivalent", "verify", "verify_batch"]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'reasonloop.verify' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
