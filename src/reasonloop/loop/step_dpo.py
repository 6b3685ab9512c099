"""`train.method: step-dpo` in the loop: sample -> values -> build -> SFT -> DPO.

The iteration values its wrong samples by rollouts (`steps.values`, the `values:` section),
builds first-pit per-step DPO pairs from them (`dataset.step_dpo`) and the RFT rows of its
correct samples, fine-tunes the iteration's model on the RFT rows (the SFT model), then trains
DPO from the SFT model with the SFT model as the reference (Setlur et al., 2024: per-step DPO
from the SFT policy). Both trainings go through TRL (`reasonloop.train`).

    iter-N/samples/values/  rollouts.sqlite, values.jsonl      (the values stage)
           train_rows.jsonl step_dpo.json sft_rows.jsonl       (the build stage)
           sft-model/ -> model/                                (the train stage)
"""

from __future__ import annotations

import shutil
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from reasonloop.dataset.io import read_dataset, write_dataset
from reasonloop.dataset.rows import build_step_rows
from reasonloop.dataset.sft import build_sft_dataset
from reasonloop.errors import EmptyDatasetError
from reasonloop.files import write_json
from reasonloop.loop.records import BuildRecord, ValuesRecord
from reasonloop.loop.stages import sampling_params
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.steps.plan import ValueSettings
from reasonloop.steps.values import estimate_cost, plan_values, read_values, value_samples
from reasonloop.train.config import SFTTrainConfig
from reasonloop.train.result import TrainResult

if TYPE_CHECKING:
    from reasonloop.loop.context import Iteration

SFT_ROWS = "sft_rows.jsonl"
SUMMARY = "step_dpo.json"


def value_stage(it: Iteration) -> ValuesRecord:
    """Step values of the iteration's wrong samples, K rollouts a step prefix."""
    run, config = it.run, it.run.config
    v = config.values
    draw = DrawSettings(run.template, config.sampling.batch_size, run.progress)
    settings = ValueSettings(k=v.k, max_steps=v.max_steps, split_rule=v.split_rule)
    params = sampling_params(config)
    with RunStore.open_existing(it.dir / "samples") as store:
        cost = estimate_cost(*plan_values(store, settings, params))
        it.say(
            "values",
            f"valuing {cost.n_samples} wrong samples: {cost.n_rollouts} rollouts from "
            f"{cost.n_prefixes} step prefixes to draw, at most {cost.max_tokens} tokens",
        )
        summary = value_samples(store, run.sampler(it.model), params, draw, settings)
    it.say(
        "values",
        f"{summary.n_samples} wrong samples valued; {summary.n_new} rollouts drawn "
        f"({summary.n_correct} reached the gold)",
    )
    return ValuesRecord(samples=summary.n_samples, rollouts=summary.n_new)


def build_stage(it: Iteration) -> BuildRecord:
    """The first-pit pairs (train_rows.jsonl, what was left out in step_dpo.json) and the RFT
    rows of the SFT phase (sft_rows.jsonl); no pairs is no rows, as for the other methods."""
    config = it.run.config
    with RunStore.open_existing(it.dir / "samples") as store:
        samples = store.samples_by_problem()
    try:
        built = build_step_rows(
            "step-dpo",
            it.problems,
            samples,
            read_values(it.dir / "samples"),
            max_per_problem=config.build.max_pairs_per_problem,
            value=config.values.value,
            seed=config.seed,
        )
    except EmptyDatasetError as error:
        it.say("build", str(error))
        return BuildRecord(rows=0)
    write_json(it.dir / SUMMARY, built.summary())
    write_dataset(built.rows, it.dir / "train_rows.jsonl")
    sft_rows = build_sft_dataset(
        it.problems,
        samples,
        max_per_problem=config.build.max_per_problem,
        balance=config.build.balance,
        seed=config.seed,
    )
    write_dataset(sft_rows, it.dir / SFT_ROWS)
    it.say("build", f"{len(built.rows)} step-dpo pairs, {len(sft_rows)} SFT rows; {built.skipped}")
    return BuildRecord(rows=len(built.rows))


def train_stage(it: Iteration) -> TrainResult:
    """SFT on the correct samples, then DPO from (and against) the SFT model."""
    from reasonloop.train import train

    config = it.run.config
    options: dict[str, Any] = {"seed": config.seed, "show_progress": it.run.progress}
    options |= config.train.options
    sft_dir = it.dir / "sft-model"
    sft = train("sft", it.start, read_dataset(it.dir / SFT_ROWS), sft_dir, sft_options(options))
    it.say("train", f"SFT model: {sft.steps} steps on the correct samples")
    result = train(
        "dpo", sft.output_dir, read_dataset(it.dir / "train_rows.jsonl"), it.dir / "model", options
    )
    if config.keep_models != "all":
        shutil.rmtree(sft_dir)  # the DPO model's record names it; a rerun makes it again
    return result


def sft_options(options: dict[str, Any]) -> dict[str, Any]:
    """The DPO options the SFT phase shares (epochs, batch size, LoRA, ...): not DPO's own
    (beta) nor its learning rate (DPO's is far below SFT's).

    >>> sft_options({"beta": 0.2, "learning_rate": 1e-6, "epochs": 2})
    {'epochs': 2}
    """
    shared = {f.name for f in fields(SFTTrainConfig)} - {"learning_rate"}
    return {key: value for key, value in options.items() if key in shared}
