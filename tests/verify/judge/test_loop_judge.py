"""The loop's `judge` config section: off by default, a judge on any backend when set."""

from __future__ import annotations

from pathlib import Path

import pytest
from judges import ScriptedJudge
from test_sample_judge import PROBLEMS, RomanWriter

from reasonloop.errors import ConfigError
from reasonloop.loop.config import LoopConfig, config_from_dict
from reasonloop.loop.run import judge_of
from reasonloop.loop.stages import sample_stage
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.verify.judge import ModelJudge


def test_judge_section_is_off_by_default_and_names_its_backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REASONLOOP_CACHE_DIR", str(tmp_path))  # where the decision cache goes
    assert judge_of(LoopConfig()) is None
    data = {"judge": {"model": "verifier", "backend": "openai", "options": {"base_url": "x"}}}
    config = config_from_dict(LoopConfig, data, where="config")
    judge = judge_of(config)
    assert judge is not None and judge.name == "openai:verifier"
    assert judge.cache is not None and judge.cache.path.parent == tmp_path
    with pytest.raises(ConfigError, match="unknown key.*config.judge"):
        config_from_dict(LoopConfig, {"judge": {"modle": "x"}}, where="config")


def test_sample_stage_grades_with_the_judge(tmp_path: Path) -> None:
    sampler = ScriptedJudge(lambda gold, answer: "Yes" if (gold, answer) == ("12", "XII") else "No")
    judge = ModelJudge(sampler, identity="roman-judge")
    config = config_from_dict(LoopConfig, {"sampling": {"k": 1}}, where="config")
    samples = sample_stage(
        PROBLEMS,
        RomanWriter(),
        SamplerSpec("fake", "roman"),
        DEFAULT_TEMPLATE,
        config,
        tmp_path / "samples",
        progress=False,
        judge=judge,
    )
    graded = sorted((pid, s[0].correct, s[0].decided_by) for pid, s in samples.items())
    assert graded == [
        ("p0", True, "judge"),
        ("p1", False, "judge"),
        ("p2", False, "judge"),
        ("p3", False, "judge"),
    ]


def test_report_shows_what_the_judge_graded_and_reads_older_data() -> None:
    from dataclasses import asdict, replace

    from reasonloop.report.data import IterationResult, _read_iteration
    from reasonloop.report.html import render_iteration_table

    base = IterationResult(0, 0.5, 0.4, 0.6, 10, {1: 0.5}, {}, {"correct": 5}, [], 0, 1.0)
    assert "graded by the judge" not in render_iteration_table([base])
    judged = replace(base, judged=3)
    assert "graded by the judge" in render_iteration_table([base, judged])
    older = asdict(base)
    del older["judged"]  # report data written before the judge existed
    assert _read_iteration(older) == base


def test_a_loop_config_without_a_judge_matches_runs_made_before_the_judge() -> None:
    assert "judge" not in LoopConfig().to_dict()
    config = config_from_dict(LoopConfig, {"judge": {"model": "default"}}, where="config")
    assert config.to_dict()["judge"]["model"] == "default"
