"""A bad `task:` is refused when the loop's config is read (YAML, mapping or `--set`), naming
the valid names or options, before the run writes anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.cli.main import main
from reasonloop.errors import ConfigError
from reasonloop.loop.config import load_config

pytest.importorskip("reasoning_gym")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "loop.yaml"

BAD_TASKS = [
    ("rg:word_sortin", "did you mean word_sorting"),
    ("rg:chain_sum?max_term=3", "valid options (default): min_terms=2, max_terms=6"),
    ("rg:chain_sum?min_terms=5&max_terms=2", "max_terms must be >= min_terms"),
    ("rg:mix?gcd=1&chain_sum.max_terms=3", "add chain_sum=WEIGHT"),
    ("rg:gcd?grader=judge", "grader must be one of verify, reasoning_gym"),
    ("arithmetic:digts=3", "valid knobs: digits, ops"),
]


@pytest.mark.parametrize(("task", "message"), BAD_TASKS)
def test_bad_task_fails_when_the_config_is_read(task: str, message: str) -> None:
    with pytest.raises(ConfigError, match="^task: ") as error:
        load_config(EXAMPLE, {"task": task})
    assert message in str(error.value)


def test_good_tasks_and_data_runs_are_accepted() -> None:
    assert load_config(EXAMPLE, {"task": "rg:gcd?max_value=50"}).task == "rg:gcd?max_value=50"
    # with `data` set the task is not used, so it is not checked
    assert load_config(EXAMPLE, {"task": "rg:nope", "data": "x.jsonl"}).data == "x.jsonl"


def test_run_with_a_bad_set_task_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    args = ["run", str(EXAMPLE), "--set", "task=rg:chain_sum?max_term=3", "--out", str(out)]
    assert main(args) == 2
    assert "valid options (default): min_terms=2" in capsys.readouterr().err
    assert not out.exists()
