"""`prm_dir`: a tiny PRM, trained once per test module (one step of the tiny local model on
PRMBench-derived rows): its scores mean nothing, but the plumbing is the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from reasonloop.evaluate.prmbench import read_prmbench, stepwise_rows

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "prmbench" / "classified"
TRAIN_FILE = DATA / "prm800k_train_p1_first400_4o_confidence.jsonl"


@pytest.fixture(scope="module")
def prm_dir(tiny_model_dir: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if not TRAIN_FILE.is_file():
        pytest.skip("needs ../shared/data/prmbench")
    from reasonloop.train import PRMTrainConfig, train_prm

    rows = stepwise_rows(read_prmbench(TRAIN_FILE, limit=4))
    config = PRMTrainConfig(max_steps=1, batch_size=4, eval_fraction=0, learning_rate=1e-2)
    return train_prm(tiny_model_dir, rows, tmp_path_factory.mktemp("prm"), config).output_dir
