"""`reasonloop sample` and `reasonloop export` end to end on the fake backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reasonloop.cli._options import parse_backend_options, resolve_backend
from reasonloop.cli.main import main
from reasonloop.errors import ConfigError

SAMPLE = ["sample", "--model", "fake:arithmetic", "--task", "arithmetic:digits=2", "--limit", "5"]
EXPORT_KEYS = {
    "problem_id",
    "sample_index",
    "round",
    "question",
    "gold",
    "response",
    "correct",
    "status",
    "answer",
    "reason",
    "tokens",
    "latency",
    "max_new_tokens",
}


def sample(out: Path, *extra: str) -> int:
    return main([*SAMPLE, "-k", "2", "--out", str(out), "--no-progress", *extra])


def test_sample_then_resume_prints_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sample(tmp_path / "run") == 0
    first = capsys.readouterr().out
    assert "sampled 10 new responses (0 already stored) for 5 problems x k=2" in first
    assert "accuracy" in first and "tok/s" in first
    assert (tmp_path / "run" / "samples.sqlite").is_file()
    assert sample(tmp_path / "run") == 0
    assert "sampled 0 new responses (10 already stored)" in capsys.readouterr().out


def test_backend_option_reaches_the_sampler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sample(tmp_path / "run", "--backend-option", "accuracy=1.0") == 0
    assert "accuracy 1.000 (10/10; correct 10)" in capsys.readouterr().out


def test_other_configuration_is_refused_then_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sample(tmp_path / "run") == 0
    assert sample(tmp_path / "run", "--seed", "7") == 2
    error = capsys.readouterr().err
    assert "sampling.seed differ" in error and "--force" in error
    assert sample(tmp_path / "run", "--seed", "7", "--force") == 0
    assert any(".bak-" in p.name for p in (tmp_path / "run").iterdir())


def test_a_first_attempt_that_failed_does_not_lock_its_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The OpenAI backend fails on a dead port before drawing anything; the same --out then
    # takes another model without --force.
    dead = ["--model", "served", "--base-url", "http://127.0.0.1:9/v1"]
    argv = [*SAMPLE[:1], *dead, *SAMPLE[3:], "-k", "2", "--out", str(tmp_path / "run")]
    assert main([*argv, "--backend-option", "max_retries=0", "--no-progress"]) == 2
    assert "127.0.0.1:9" in capsys.readouterr().err
    assert sample(tmp_path / "run") == 0
    assert "sampled 10 new responses (0 already stored)" in capsys.readouterr().out


def test_sample_from_a_data_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "problems.jsonl"
    rows = [
        {"question": f"What is {i} + 1?", "answer": f"It is {i + 1}.\n#### {i + 1}"}
        for i in range(3)
    ]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows))
    argv = ["sample", "--model", "fake:arithmetic", "--data", str(data), "--format", "gsm8k"]
    assert main([*argv, "-k", "1", "--out", str(tmp_path / "run"), "--no-progress"]) == 0
    assert "for 3 problems x k=1" in capsys.readouterr().out


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_export_writes_one_row_per_sample(tmp_path: Path, suffix: str) -> None:
    assert sample(tmp_path / "run") == 0
    out = tmp_path / f"samples{suffix}"
    assert main(["export", str(tmp_path / "run"), "--to", str(out)]) == 0
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    else:
        pq = pytest.importorskip("pyarrow.parquet")
        rows = pq.read_table(out).to_pylist()
    assert len(rows) == 10
    assert EXPORT_KEYS <= set(rows[0])
    assert {(r["problem_id"], r["sample_index"]) for r in rows} == {
        (r["problem_id"], i) for r in rows for i in (0, 1)
    }
    assert all(isinstance(r["correct"], bool) and r["gold"] for r in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "{tmp}/missing", "--to", "{tmp}/x.jsonl"], "not a run directory"),
        (["export", "{tmp}", "--to", "{tmp}/x.csv"], "must end in .jsonl or .parquet"),
        ([*SAMPLE, "-k", "0", "--out", "{tmp}/r"], "-k must be >= 1"),
        ([*SAMPLE, "-k", "1", "--out", "{tmp}/r", "--top-p", "0"], "--top-p"),
        ([*SAMPLE, "-k", "1", "--out", "{tmp}/r", "--template", "nope"], "unknown prompt template"),
        (
            [
                "sample",
                "--model",
                "fake:nope",
                "--task",
                "arithmetic",
                "-k",
                "1",
                "--out",
                "{tmp}/r",
            ],
            "unknown fake model",
        ),
        (  # --task names a built-in task: a typo is not looked up as a hub dataset
            [
                "sample",
                "--model",
                "fake:arithmetic",
                "--task",
                "arithmetik",
                "-k",
                "1",
                "--out",
                "{tmp}/r",
            ],
            "unknown task 'arithmetik'; valid tasks: arithmetic",
        ),
        (  # a run directory that cannot be made: the path's own error, no traceback
            [*SAMPLE, "-k", "1", "--out", "/dev/null/run"],
            "Not a directory: '/dev/null/run'",
        ),
        (  # a dataset name not in the local cache fails at once: nothing is downloaded
            [
                "sample",
                "--model",
                "fake:arithmetic",
                "--data",
                "nobody/nothing",
                "-k",
                "1",
                "--out",
                "{tmp}/r",
            ],
            "(OfflineModeIsEnabled)",
        ),
    ],
)
def test_user_errors_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("model", "backend", "base_url", "expected"),
    [
        ("default", None, None, ("default", "default")),
        ("default", "default", None, ("default", "default")),
        ("fake:arithmetic", None, None, ("fake", "arithmetic")),
        ("arithmetic", "fake", None, ("fake", "arithmetic")),
        ("./checkpoints/step-100", None, None, ("transformers", "./checkpoints/step-100")),
        ("Qwen/Qwen2.5-0.5B-Instruct", None, None, ("transformers", "Qwen/Qwen2.5-0.5B-Instruct")),
        ("qwen", None, "http://localhost:8000/v1", ("openai", "qwen")),
    ],
)
def test_resolve_backend(
    model: str, backend: str | None, base_url: str | None, expected: tuple[str, str]
) -> None:
    assert resolve_backend(model, backend, base_url) == expected


def test_base_url_needs_openai_backend() -> None:
    with pytest.raises(ConfigError, match="--base-url"):
        resolve_backend("m", "transformers", "http://x")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["accuracy=0.9"], {"accuracy": 0.9}),
        (["device=cpu", "flag=true"], {"device": "cpu", "flag": True}),
        (['stop=["a", "b"]'], {"stop": ["a", "b"]}),
        (["empty="], {"empty": ""}),
    ],
)
def test_parse_backend_options(items: list[str], expected: dict[str, object]) -> None:
    assert parse_backend_options(items) == expected


@pytest.mark.parametrize("item", ["novalue", "=1"])
def test_bad_backend_option(item: str) -> None:
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_backend_options([item])


@pytest.mark.parametrize(("round_", "expected"), [("0", 10), ("1", 0)])
def test_export_one_round(tmp_path: Path, round_: str, expected: int) -> None:
    assert sample(tmp_path / "run") == 0
    out = tmp_path / "round.jsonl"
    assert main(["export", str(tmp_path / "run"), "--to", str(out), "--round", round_]) == 0
    assert len(out.read_text().splitlines()) == expected
