"""What each loop stage records in `stages.json`, as one small frozen record per stage.

A stage returns its record, the ledger writes it beside the stage's time and input identity,
and the stages after it (and the summary) read it back as the same type: a fact that a stage
stops recording fails where it is read, not as a missing string key somewhere later. A field
left None is not written, so `stages.json` holds the facts a stage had, as it always did.
"""

from __future__ import annotations

from dataclasses import dataclass

# One record per stage, named by the ledger's stage names ("iter-N/sample", ...).


@dataclass(frozen=True)
class ProblemsRecord:  # `problems`: train.jsonl and test.jsonl
    n_train: int
    n_test: int


@dataclass(frozen=True)
class ModelRecord:  # `base-model`: the model the first iteration samples with and trains
    model_dir: str


@dataclass(frozen=True)
class EngineRecord:  # `.../convert`: a model's CPU engine copy; `cached`: converted before
    engine_dir: str
    cached: bool


@dataclass(frozen=True)
class EvalRecord:  # `iter-N/eval`: greedy held-out accuracy (all of it in eval/eval.json)
    accuracy: float


@dataclass(frozen=True)
class BStarRecord:
    """`iter-N/bstar`: the temperature and reward threshold B-STaR chose, their balance
    score, and the dev problems it was measured on (the whole grid in bstar/balance.json)."""

    temperature: float
    tau: float
    balance: float
    dev_problems: int


@dataclass(frozen=True)
class SampleRecord:
    """`iter-N/sample`: samples drawn and graded correct; how many the judge graded and
    what rationalization found, when those are on."""

    samples: int
    correct: int
    judged: int | None = None
    rationales: int | None = None
    rationalized_problems: int | None = None
    rationales_dropped: int | None = None


@dataclass(frozen=True)
class ValuesRecord:  # `iter-N/values` (step-dpo): samples valued, rollouts drawn this time
    samples: int
    rollouts: int


@dataclass(frozen=True)
class BuildRecord:  # `iter-N/build`: train_rows.jsonl
    rows: int


@dataclass(frozen=True)
class SynthesizeRecord:  # `iter-N/synthesize`: error types found, synthesized rows kept
    error_types: int
    kept: int


@dataclass(frozen=True)
class SelectRecord:  # `iter-N/select`: rows in the pool and target, kept, gradients spent
    pool: int
    target: int
    selected: int
    gradients: int
    val_problems: int | None = None  # target problems used (select.val_problems or fewer)


@dataclass(frozen=True)
class TrainRecord:  # `iter-N/train`: optimizer steps, the trained model's directory
    steps: int
    model_dir: str


StageRecord = (
    ProblemsRecord
    | ModelRecord
    | EngineRecord
    | EvalRecord
    | BStarRecord
    | SampleRecord
    | ValuesRecord
    | SynthesizeRecord
    | BuildRecord
    | SelectRecord
    | TrainRecord
)
