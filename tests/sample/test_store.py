"""The run store: fingerprints, resume keys, idempotent writes, archive on --force."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from fingerprints import fake_fingerprint
from reasonloop.errors import RunDirError
from reasonloop.prompts import TEMPLATES
from reasonloop.sample.fingerprint import (
    RunFingerprint,
    SamplerSpec,
    canonicalize_fingerprint,
    diff_fingerprints,
)
from reasonloop.sample.record import GradedSample
from reasonloop.sample.store import DB_NAME, RUN_JSON, RunStore, _connect, read_fingerprint
from reasonloop.tasks.problem import Problem

FINGERPRINT = fake_fingerprint()
PROBLEMS = [
    Problem("p0", "What is 1 + 2?", "3", source="t", meta={"digits": 1}),
    Problem("p1", "What is 10 + 20?", "30", source="t"),
]


def make_sample(pid: str, index: int, *, round: int = 0, correct: bool = True) -> GradedSample:
    return GradedSample(
        problem_id=pid,
        sample_index=index,
        prompt=[{"role": "user", "content": f"question {pid}"}],
        response=f"The answer is {index}.",
        correct=correct,
        status="correct" if correct else "incorrect",
        answer=str(index),
        prompt_tokens=5,
        completion_tokens=7,
        finish_reason="stop",
        latency_s=0.25,
        round=round,
        reason="matched" if correct else "differs",
        max_new_tokens=64 * (round + 1),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RunStore]:
    with RunStore.open(tmp_path / "run", FINGERPRINT) as opened:
        opened.add_problems(PROBLEMS)
        yield opened


def test_open_writes_run_json_and_wal_database(tmp_path: Path) -> None:
    with RunStore.open(tmp_path / "run", FINGERPRINT) as store:
        assert store.count() == 0
    record = json.loads((tmp_path / "run" / RUN_JSON).read_text())
    assert RunFingerprint.from_dict(record["fingerprint"]) == FINGERPRINT
    assert record["identity_sha256"] == FINGERPRINT.identity_sha256()
    assert record["schema_version"] == 2
    with closing(sqlite3.connect(tmp_path / "run" / DB_NAME)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_samples_round_trip_exactly(store: RunStore) -> None:
    written = [make_sample("p0", 0), make_sample("p0", 1, correct=False), make_sample("p1", 0)]
    assert store.put_samples(written) == 3
    assert store.samples() == written
    assert store.count() == 3
    assert store.done_keys() == {("p0", 0), ("p0", 1), ("p1", 0)}
    assert [s.sample_index for s in store.samples_by_problem()["p0"]] == [0, 1]


def test_replayed_batch_never_duplicates(store: RunStore) -> None:
    batch = [make_sample("p0", i) for i in range(4)]
    assert store.put_samples(batch) == 4
    assert store.put_samples(batch + [make_sample("p0", 4)]) == 1
    assert store.count() == 5


def test_rounds_filter_and_budget_kept(store: RunStore) -> None:
    store.put_samples([make_sample("p0", 0), make_sample("p0", 1, round=1)])
    assert [s.sample_index for s in store.samples(round=1)] == [1]
    assert store.samples(round=1)[0].max_new_tokens == 128
    assert store.count(round=0) == 1
    assert store.sample_rounds() == {("p0", 0): 0, ("p0", 1): 1}


def test_problems_round_trip_and_are_added_once(store: RunStore) -> None:
    assert store.add_problems(PROBLEMS + [Problem("p2", "What is 2 + 2?", "4")]) == 1
    problems = store.problems()
    assert [p.id for p in problems] == ["p0", "p1", "p2"]
    assert problems[0] == PROBLEMS[0]


def test_changed_problem_under_same_id_is_refused(store: RunStore) -> None:
    with pytest.raises(RunDirError, match="'p0'.*different question or gold"):
        store.add_problems([Problem("p0", "What is 1 + 2?", "4")])


def test_reopen_with_same_identity_keeps_samples(tmp_path: Path) -> None:
    with RunStore.open(tmp_path / "run", FINGERPRINT) as store:
        store.put_samples([make_sample("p0", 0)])
    # Where a server runs is recorded, but is not part of what the samples are.
    moved = fake_fingerprint(sampler=SamplerSpec("fake", "arithmetic", {"base_url": "http://x"}))
    with RunStore.open(tmp_path / "run", moved) as store:
        assert store.done_keys() == {("p0", 0)}
    with RunStore.open_existing(tmp_path / "run") as store:
        assert store.fingerprint == moved


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"model_id": "fake:echo"}, "model_id"),
        ({"seed": 1}, "sampling.seed"),
        ({"template": TEMPLATES["bare"], "kind": "eval"}, "kind, template.user"),
        ({"sampler": SamplerSpec("fake", "arithmetic", {"accuracy": 0.5})}, "options.accuracy"),
    ],
)
def test_different_fingerprint_is_refused_naming_keys(
    tmp_path: Path, change: dict[str, object], named: str
) -> None:
    with RunStore.open(tmp_path / "run", FINGERPRINT) as store:
        store.put_samples([make_sample("p0", 0)])
    with pytest.raises(RunDirError, match=f"{named} differ.*new --out.*--force"):
        RunStore.open(tmp_path / "run", fake_fingerprint(**change))


@pytest.mark.parametrize("remove_run_json", [False, True])
def test_a_run_without_samples_is_taken_over_by_another_configuration(
    tmp_path: Path, remove_run_json: bool
) -> None:
    # A first attempt that failed before its first batch (a dead server) left run.json and an
    # empty database: a re-run with another model may use the directory.
    with RunStore.open(tmp_path / "run", FINGERPRINT) as store:
        store.add_problems(PROBLEMS)
    if remove_run_json:
        (tmp_path / "run" / RUN_JSON).unlink()
    other = fake_fingerprint(model_id="fake:echo")
    with RunStore.open(tmp_path / "run", other) as store:
        assert store.fingerprint == other and store.count() == 0
        assert store.problems() == []  # the old attempt's problems went with it
    assert not [p for p in (tmp_path / "run").iterdir() if ".bak-" in p.name]
    assert read_fingerprint(tmp_path / "run") == other


def test_a_run_json_of_an_older_reasonloop_is_refused_not_mixed(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    old = {"model": "fake:arithmetic", "backend": "fake", "template": "abc123"}
    (run_dir / RUN_JSON).write_text(json.dumps({"fingerprint": old, "schema_version": 1}))
    with RunStore(run_dir, _connect(run_dir / DB_NAME), None) as store:
        store.put_samples([make_sample("p0", 0)])
    with pytest.raises(RunDirError, match="different configuration"):
        RunStore.open(run_dir, FINGERPRINT)


def test_force_archives_old_run_and_starts_fresh(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    with RunStore.open(run_dir, FINGERPRINT) as store:
        store.put_samples([make_sample("p0", 0)])
    other = fake_fingerprint(model_id="fake:echo")
    with RunStore.open(run_dir, other, force=True) as store:
        assert store.count() == 0
        assert store.fingerprint == other
    archived = sorted(p.name for p in run_dir.iterdir() if ".bak-" in p.name)
    assert any(name.startswith(f"{DB_NAME}.bak-") for name in archived)
    assert any(name.startswith(f"{RUN_JSON}.bak-") for name in archived)
    db_backup = next(run_dir / n for n in archived if n.startswith(DB_NAME) and "wal" not in n)
    with closing(sqlite3.connect(db_backup)) as old:
        assert old.execute("SELECT COUNT(*) FROM samples").fetchone()[0] == 1


def test_database_without_run_json_is_refused(tmp_path: Path) -> None:
    with RunStore.open(tmp_path / "run", FINGERPRINT) as store:
        store.put_samples([make_sample("p0", 0)])
    (tmp_path / "run" / RUN_JSON).unlink()
    with pytest.raises(RunDirError, match="no run.json"):
        RunStore.open(tmp_path / "run", FINGERPRINT)


@pytest.mark.parametrize("content", ["{not json", '{"no_fingerprint": 1}'])
def test_damaged_run_json_is_refused(tmp_path: Path, content: str) -> None:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / RUN_JSON).write_text(content)
    with pytest.raises(RunDirError, match="damaged"):
        RunStore.open(tmp_path / "run", FINGERPRINT)


def test_open_existing_needs_a_database(tmp_path: Path) -> None:
    with pytest.raises(RunDirError, match="not a run directory"):
        RunStore.open_existing(tmp_path / "missing")


def test_iter_rows_joins_problem_fields(store: RunStore) -> None:
    store.put_samples([make_sample("p1", 0)])
    (row,) = list(store.iter_rows())
    assert row["question"] == "What is 10 + 20?"
    assert row["gold"] == "30"
    assert row["correct"] is True
    assert row["prompt"] == [{"role": "user", "content": "question p1"}]
    assert row["max_new_tokens"] == 64


def test_writer_and_reader_threads_share_one_store(store: RunStore) -> None:
    def write(start: int) -> None:
        for i in range(start, start + 50):
            store.put_samples([make_sample("p0", i)])

    threads = [threading.Thread(target=write, args=(s,)) for s in (0, 50)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        assert store.count() <= 100
    for thread in threads:
        thread.join()
    assert store.count() == 100


def test_fingerprint_helpers() -> None:
    assert canonicalize_fingerprint({"b": [1, 2], "a": "é"}) == '{"a":"é","b":[1,2]}'
    assert diff_fingerprints({"a": 1}, {"a": 1}) == []
    assert diff_fingerprints({"a": {"x": 1}}, {"a": 2}) == ["a"]
    with pytest.raises(RunDirError, match="not plain JSON"):
        canonicalize_fingerprint({"a": object()})


def test_a_run_directory_is_ignored_by_git(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    run_dir = tmp_path / "any-name-a-user-picks"
    RunStore.open(run_dir, fake_fingerprint()).close()
    listed = subprocess.run(
        ["git", "-C", str(tmp_path), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout == ""
