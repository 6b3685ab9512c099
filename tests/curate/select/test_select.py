"""`select_examples`, its outputs and the CLI on a tiny model; resume after a kill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("peft")
pytest.importorskip("sklearn")

from reasonloop.cli.main import main  # noqa: E402
from reasonloop.curate.select import (  # noqa: E402
    FeatureConfig,
    SelectConfig,
    WarmupConfig,
    pool_clusters,
    select_examples,
    write_selection,
)
from reasonloop.curate.select.store import FeatureStore  # noqa: E402
from reasonloop.errors import DataError  # noqa: E402


def make_pool(size: int) -> list[dict[str, Any]]:
    """Half addition rows (prompt/completion), half story rows (messages)."""
    rows: list[dict[str, Any]] = []
    for i in range(size // 2):
        rows.append(
            {
                "prompt": [{"role": "user", "content": f"What is {i} + {i + 3}?"}],
                "completion": [{"role": "assistant", "content": f"The answer is {2 * i + 3}."}],
                "problem_id": f"add-{i}",
            }
        )
        rows.append(
            {
                "messages": [
                    {"role": "user", "content": f"Natalia sold {i} clips in April."},
                    {"role": "assistant", "content": f"So she sold {i * 2} clips in May."},
                ]
            }
        )
    return rows


def config(tmp_path: Path, method: str, **changes: Any) -> SelectConfig:
    return SelectConfig(
        method=method,  # type: ignore[arg-type]
        budget=0.3,
        top=0.1,
        clusters=4,
        cache_dir=str(tmp_path / "cache"),
        features=FeatureConfig(dim=256, max_length=64, show_progress=False),
        warmup=WarmupConfig(share=0.2),
        **changes,
    )


def test_pool_clusters_are_the_selections_clusters_from_the_cache(
    tiny_model_dir: str, tmp_path: Path
) -> None:
    pool = make_pool(40)
    selection = select_examples(pool, pool[:3], tiny_model_dir, config(tmp_path, "clusterucb"))
    store_dirs = sorted((tmp_path / "cache").glob("cluster-*"))
    sizes = [(d / "features.f32").stat().st_size for d in store_dirs]
    labels = pool_clusters(pool, tiny_model_dir, config(tmp_path, "clusterucb"))
    assert labels == selection.labels
    # read from the cache: no clustering feature computed again
    assert [(d / "features.f32").stat().st_size for d in store_dirs] == sizes
    two = replace(config(tmp_path, "clusterucb"), clusters=2)
    other = pool_clusters(pool, tiny_model_dir, two)
    assert sorted(set(other)) == [0, 1] and len(other) == len(pool)
    restarted = pool_clusters(pool, tiny_model_dir, two, kmeans_seed=7)
    assert sorted(set(restarted)) == [0, 1] and len(restarted) == len(pool)
    assert [(d / "features.f32").stat().st_size for d in store_dirs] == sizes


@pytest.mark.parametrize(
    ("method", "used", "clustering"), [("clusterucb", 12, 40), ("less", 40, 0), ("random", 0, 0)]
)
def test_methods_share_one_interface(
    tiny_model_dir: str, tmp_path: Path, method: str, used: int, clustering: int
) -> None:
    pool = make_pool(40)
    selection = select_examples(pool, pool[:3], tiny_model_dir, config(tmp_path, method))
    assert len(selection.selected) == 4 == len(set(selection.selected))
    assert selection.gradients_used == used == len(selection.scores)
    assert selection.clustering_gradients == clustering
    if method != "random":
        ranked = [selection.scores[i] for i in selection.selected]
        assert ranked == sorted(ranked, reverse=True)
        assert max(selection.scores.values()) == ranked[0]
    assert (selection.labels is not None) == (method == "clusterucb")


def test_a_second_run_recomputes_nothing(tiny_model_dir: str, tmp_path: Path) -> None:
    pool = make_pool(40)
    first = select_examples(pool, pool[:3], tiny_model_dir, config(tmp_path, "clusterucb"))
    assert first.gradients_computed == 40 + 3 + 12  # clustering pass, target, bandit draws
    again = select_examples(pool, pool[:3], tiny_model_dir, config(tmp_path, "clusterucb"))
    assert again.gradients_computed == 0
    assert again.selected == first.selected and again.scores == first.scores
    less = select_examples(pool, pool[:3], tiny_model_dir, config(tmp_path, "less"))
    assert less.gradients_computed == 40 - 12  # the bandit's draws are already stored
    assert all(less.scores[i] == pytest.approx(s) for i, s in first.scores.items())


@pytest.mark.slow  # kills and resumes a warm-up
@pytest.mark.parametrize("checkpoints", [1, 2])
def test_resume_after_a_kill_recomputes_nothing_already_stored(
    tiny_model_dir: str, tmp_path: Path, checkpoints: int
) -> None:
    # As many pool gradients whatever C; 6 warm-up rows either way (2 steps: C <= 2).
    pool, share = make_pool(600 // checkpoints), 0.01 * checkpoints
    pool_file = tmp_path / "pool.jsonl"
    pool_file.write_text("".join(json.dumps(row) + "\n" for row in pool), encoding="utf-8")
    target_file = tmp_path / "target.jsonl"
    target_file.write_text("".join(json.dumps(row) + "\n" for row in pool[:2]), encoding="utf-8")
    args = [
        sys.executable, "-m", "reasonloop.cli.main", "select", "--pool", str(pool_file),
        "--target", str(target_file), "--model", tiny_model_dir, "--method", "less",
        "--dim", "256", "--max-length", "64", "--warmup-share", str(share), "--no-progress",
        "--cache", str(tmp_path / "cache"), "-o", str(tmp_path / "sel.jsonl"),
        "--warmup-checkpoints", str(checkpoints),
    ]  # fmt: skip
    # One store per checkpoint when there are several (each gradient of a row is kept).
    stores = "pool-*/keys.txt" if checkpoints == 1 else "pool-*/checkpoint-*/keys.txt"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        stored = sum(len(k.read_text().splitlines()) for k in (tmp_path / "cache").glob(stores))
        if stored >= 20:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    _, errors = process.communicate()
    assert process.returncode == -signal.SIGKILL, errors.decode()
    assert not (tmp_path / "sel.jsonl").exists()
    kept = sum(len(FeatureStore(keys.parent, 256)) for keys in (tmp_path / "cache").glob(stores))
    assert kept >= 20
    cli_config = _cli_config(tmp_path, share, checkpoints)
    resumed = select_examples(pool, pool[:2], tiny_model_dir, cli_config)
    # The warm-up and the target features were done before the kill; the pool resumes.
    assert resumed.gradients_computed == checkpoints * len(pool) - kept
    assert resumed.gradients_used == checkpoints * len(pool)
    again = select_examples(pool, pool[:2], tiny_model_dir, cli_config)
    assert again.gradients_computed == 0 and again.selected == resumed.selected


def _cli_config(tmp_path: Path, share: float, checkpoints: int) -> SelectConfig:
    from reasonloop.curate.select import LoraShape

    return SelectConfig(
        method="less",
        cache_dir=str(tmp_path / "cache"),
        features=FeatureConfig(dim=256, max_length=64, show_progress=False),
        lora=LoraShape(rank=8, alpha=16),
        warmup=WarmupConfig(share=share, checkpoints=checkpoints),
    )


def test_feature_store_drops_an_unfinished_tail(tmp_path: Path) -> None:
    import numpy as np

    store = FeatureStore(tmp_path, 4)
    store.add("a", np.arange(4))
    store.add("b", np.ones(4))
    with (tmp_path / "features.f32").open("ab") as handle:
        handle.write(b"\x00" * 7)  # a vector cut off mid-write, its key never written
    with (tmp_path / "keys.txt").open("a") as handle:
        handle.write("c")  # a key line cut off before its newline
    reopened = FeatureStore(tmp_path, 4)
    assert len(reopened) == 2 and "c" not in reopened
    assert reopened.get("a").tolist() == [0, 1, 2, 3]
    reopened.add("c", np.full(4, 2.0))
    assert FeatureStore(tmp_path, 4).get("c").tolist() == [2.0] * 4


def test_cli_writes_selection_drawn_rows_summary_and_plot(
    tiny_model_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = make_pool(40)
    (tmp_path / "pool.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pool))
    (tmp_path / "val.jsonl").write_text("".join(json.dumps(r) + "\n" for r in pool[:2]))
    out = tmp_path / "sel.jsonl"
    code = main(
        ["select", "--pool", str(tmp_path / "pool.jsonl"), "--target", str(tmp_path / "val.jsonl"),
         "--model", tiny_model_dir, "--budget", "0.5", "--top", "0.1", "--clusters", "3",
         "--dim", "128", "--max-length", "48", "--warmup-share", "0.1", "--no-progress",
         "-o", str(out)]
    )  # fmt: skip
    assert code == 0
    assert "kept 4 of 40 rows using 20 influence gradients" in capsys.readouterr().out
    selected = [json.loads(line) for line in out.read_text().splitlines()]
    drawn = [json.loads(line) for line in (tmp_path / "sel.drawn.jsonl").read_text().splitlines()]
    assert len(selected) == 4 and len(drawn) == 20
    for row in selected:
        original = {k: v for k, v in row.items() if k not in ("influence", "cluster")}
        assert original in pool and isinstance(row["influence"], float)
        assert row["cluster"] in range(3)
    summary = json.loads((tmp_path / "sel.summary.json").read_text())
    assert summary["gradients_used"] == 20 and summary["clusters"] == 3
    assert summary["checkpoints"] == 1
    assert sum(c["selected"] for c in summary["per_cluster"].values()) == 4
    assert sum(c["size"] for c in summary["per_cluster"].values()) == 40
    assert "<svg" in (tmp_path / "sel.html").read_text()
    assert (tmp_path / "sel.cache").is_dir()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"text": "no prompt"}], "neither 'prompt'/'completion' nor 'messages'"),
        ([{"messages": [{"role": "user", "content": "hi"}]}], "must end with an assistant turn"),
        ([{"prompt": "q", "completion": "  "}], "the completion is empty"),
        ([], "the pool dataset is empty"),
    ],
)
def test_bad_pool_rows_are_errors_naming_the_row(rows: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(DataError, match=message):
        select_examples(rows, [{"prompt": "q", "completion": "a"}], "unused", SelectConfig())


def test_rows_that_already_have_an_influence_field_are_refused(tmp_path: Path) -> None:
    pool = [{"prompt": "q", "completion": "a", "influence": 3}] * 4
    selection = select_examples(pool, pool, "unused", SelectConfig(method="random", top=0.5))
    with pytest.raises(DataError, match="already have influence"):
        write_selection(selection, pool, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()
