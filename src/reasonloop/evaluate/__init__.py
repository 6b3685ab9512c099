"""The evaluate stage: a model's accuracy (with a 95% interval), pass@k and maj@k on problems.

- `measure`: `evaluate` (sample, grade, measure; resumable) and the `EvalReport` it returns.
"""

from reasonloop.evaluate.measure import EvalReport, evaluate

__all__ = ["EvalReport", "evaluate"]
