"""Problem sources: files, datasets and built-in procedural tasks -> `Problem`."""

from reasonloop.tasks.formats import FORMATS, extract_gsm8k_gold, extract_last_boxed
from reasonloop.tasks.problem import Problem
from reasonloop.tasks.procedural import TASKS, Task, generate_task, parse_task_spec
from reasonloop.tasks.sources import LoadResult, load_problems, load_problems_report
from reasonloop.tasks.split import split_problems

__all__ = [
    "FORMATS",
    "TASKS",
    "LoadResult",
    "Problem",
    "Task",
    "extract_gsm8k_gold",
    "extract_last_boxed",
    "generate_task",
    "load_problems",
    "load_problems_report",
    "parse_task_spec",
    "split_problems",
]
