"""Math answer verification: extract a response's final answer and grade it against a gold.

`verify` grades one pair, `verify_batch` many pairs across killable worker processes,
`extract_answer` finds the final answer, `is_equivalent` compares two extracted answers (for
majority voting). Nothing here evaluates text as code.
"""

from reasonloop.verify.batch import verify_batch
from reasonloop.verify.core import is_equivalent, verify
from reasonloop.verify.extract import extract_answer
from reasonloop.verify.verdict import Status, Verdict

__all__ = ["Status", "Verdict", "extract_answer", "is_equivalent", "verify", "verify_batch"]
