"""The executor choice: checked options, a clear error without Ray, no Ray on import."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from reasonloop.errors import ConfigError
from reasonloop.scale.executor import ExecutorConfig, check_resources, import_ray


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"name": "dask"}, "unknown executor 'dask'"),
        ({"name": "ray", "actors": 0}, "actors must be at least 1"),
        ({"name": "ray", "cpus_per_actor": -1.0}, "cpus_per_actor must not be negative"),
        ({"name": "ray", "gpus_per_actor": -1.0}, "gpus_per_actor must not be negative"),
        ({"name": "ray", "cpus_per_grader": -0.5}, "cpus_per_grader must not be negative"),
        ({"name": "ray", "retries": -1}, "retries must not be negative"),
        ({"name": "ray", "judges": 0}, "judges must be at least 1"),
        ({"name": "ray", "gpus_per_judge": -1.0}, "gpus_per_judge must not be negative"),
    ],
)
def test_bad_executor_options_name_the_option(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        ExecutorConfig(**options)


def test_the_default_executor_is_local() -> None:
    assert not ExecutorConfig().is_ray
    assert ExecutorConfig("ray").is_ray


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an absent package looks like
    with pytest.raises(ConfigError, match=r"reasonloop\[ray\]"):
        import_ray()


def test_importing_reasonloop_loads_no_ray() -> None:
    modules = [
        "reasonloop",
        "reasonloop.cli.main",
        "reasonloop.sample.draw",
        "reasonloop.scale.executor",
        "reasonloop.loop.config",
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith('ray.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ExecutorConfig()),
        ({"executor.name": "ray", "executor.actors": 4}, ExecutorConfig("ray", actors=4)),
        (
            {"executor": {"name": "ray", "address": "auto", "gpus_per_actor": 1}},
            ExecutorConfig("ray", address="auto", gpus_per_actor=1.0),
        ),
    ],
)
def test_run_configs_name_their_executor(overrides: dict[str, Any], expected: Any) -> None:
    from reasonloop.loop.config import load_config

    config = load_config(None, overrides)
    assert config.executor == expected
    # Where a run runs is not part of what it is: a laptop run resumes on a cluster.
    assert "executor" not in config.to_dict()


def test_run_config_executor_errors_name_the_key() -> None:
    from reasonloop.loop.config import load_config

    with pytest.raises(ConfigError, match="config.executor.name must be one of local, ray"):
        load_config(None, {"executor.name": "spark"})
    with pytest.raises(ConfigError, match="unknown key.*config.executor: nodes"):
        load_config(None, {"executor.nodes": 2})


@pytest.mark.parametrize(
    ("config", "cluster", "judged", "fits"),
    [
        (ExecutorConfig("ray"), {"CPU": 2.0}, False, True),
        (ExecutorConfig("ray", actors=2), {"CPU": 2.0}, False, False),
        (ExecutorConfig("ray", actors=2, cpus_per_actor=0.75), {"CPU": 2.0}, False, True),
        (ExecutorConfig("ray", gpus_per_actor=1.0), {"CPU": 8.0}, False, False),
        (ExecutorConfig("ray", actors=4, gpus_per_actor=1.0), {"CPU": 8, "GPU": 4}, False, True),
        # Without a judge one grading task runs at a time; with one, every judge actor stays.
        (ExecutorConfig("ray", judges=3), {"CPU": 2.0}, False, True),
        (ExecutorConfig("ray", judges=3), {"CPU": 2.0}, True, False),
        (ExecutorConfig("ray", judges=2, cpus_per_actor=0.5), {"CPU": 2.0}, True, True),
        (ExecutorConfig("ray", gpus_per_judge=1.0), {"CPU": 2.0}, True, False),
        (
            ExecutorConfig("ray", gpus_per_actor=1, gpus_per_judge=1),
            {"CPU": 2, "GPU": 2},
            True,
            True,
        ),
    ],
)
def test_actors_and_graders_must_fit_the_cluster(
    config: ExecutorConfig, cluster: dict[str, float], judged: bool, fits: bool
) -> None:
    if fits:
        check_resources(config, cluster, judged=judged)
    else:
        with pytest.raises(ConfigError, match="lower --ray-actors"):
            check_resources(config, cluster, judged=judged)


def test_the_driver_side_name_of_a_cluster_backend_never_generates() -> None:
    from reasonloop.backends.base import SamplerError, SamplingParams
    from reasonloop.scale.ray_sample import ClusterSampler

    sampler = ClusterSampler("vllm:Qwen/Qwen2.5-7B-Instruct")
    with pytest.raises(SamplerError, match="generates on its Ray actors"):
        sampler.generate([[{"role": "user", "content": "hi"}]], SamplingParams())


@pytest.mark.parametrize("logs", [False, True])
def test_ray_is_quiet_unless_its_logs_are_asked_for(
    monkeypatch: pytest.MonkeyPatch, logs: bool
) -> None:
    """Where output is not a terminal (here: pytest's), Ray Data logs its progress every 10 s:
    about 100 lines for a 3-minute run, shown with `--ray-logs` only."""
    import logging

    from reasonloop.scale.executor import ray_session

    ray = pytest.importorskip("ray")
    monkeypatch.setattr(ray, "is_initialized", lambda: True)  # a session exists: none starts
    before = logging.getLogger("ray.data").level
    try:
        with ray_session(ExecutorConfig("ray", logs=logs), progress=True):
            import ray.data

            assert ray.data.DataContext.get_current().enable_progress_bars is logs
            assert (logging.getLogger("ray.data").level == logging.ERROR) is not logs
    finally:
        logging.getLogger("ray.data").setLevel(before)


def test_ray_logs_are_a_command_line_flag() -> None:
    import argparse

    from reasonloop.cli._executor import add_executor_arguments, executor_from_args

    parser = argparse.ArgumentParser()
    add_executor_arguments(parser)
    assert executor_from_args(parser.parse_args(["--executor", "ray"])).logs is False
    assert executor_from_args(parser.parse_args(["--executor", "ray", "--ray-logs"])).logs
