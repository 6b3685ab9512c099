"""`verify_batch` from a script read on stdin (`python - < script.py`): the grading workers
start and grade without a traceback (they used to die re-running a `__main__` file named
"<stdin>", printing one traceback each, before the batch fell back to grading inline)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import reasonloop.verify.batch as batch
from reasonloop.verify import verify_batch

started = []
start = batch.start_worker
batch.start_worker = lambda: started.append(1) or start()
pairs = [(r"so $x = \frac{1}{2}$, thus \boxed{\frac12}", "0.5"), (r"\boxed{\sqrt{2}}", r"\sqrt3")]
verdicts = verify_batch(pairs * 200, workers=2)
print(sum(v.correct for v in verdicts), len(verdicts), len(started))
"""


def test_a_script_on_stdin_grades_in_workers_without_tracebacks(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # where no file named "<stdin>" exists
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    correct, total, replaced = done.stdout.split()
    assert (correct, total) == ("200", "400")
    assert replaced == "0"  # no worker had to be replaced: none died starting
