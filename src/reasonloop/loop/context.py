"""What every stage of one loop run shares, and how a stage is run: skipped when the ledger
holds it from the same inputs, otherwise run, timed and recorded with its typed record."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reasonloop.backends.base import Sampler
from reasonloop.errors import RunDirError
from reasonloop.files import hash_file
from reasonloop.loop.config import LoopConfig
from reasonloop.loop.identity import claim_stage_dir, hash_model, stage_identity
from reasonloop.loop.ledger import Ledger
from reasonloop.loop.models import SamplerCache
from reasonloop.loop.records import StageRecord
from reasonloop.loop.retention import mark_restored, weights_removed
from reasonloop.loop.stages import SELECTED, eval_stage
from reasonloop.prompts import PromptTemplate
from reasonloop.tasks import Problem

if TYPE_CHECKING:
    from reasonloop.evaluate.heldout import HeldoutEval
    from reasonloop.verify.judge import ModelJudge

Notify = Callable[[str], None]
R = TypeVar("R", bound=StageRecord)


@dataclass(frozen=True)
class LoopRun:
    """What every stage of one run shares."""

    config: LoopConfig
    run_dir: Path
    ledger: Ledger
    samplers: SamplerCache
    template: PromptTemplate
    say: Notify
    progress: bool
    judge: ModelJudge | None = None  # asked where the rule cannot decide (config `judge`)
    # model directory -> how to train its weights again after `keep_models: final` removed them
    restorers: dict[str, Callable[[], object]] = field(default_factory=dict)

    def timed(
        self,
        stage: str,
        kind: type[R],
        work: Callable[[], R],
        identity: str | Callable[[], str],
        dirs: Sequence[Path] = (),
        needs: Sequence[str] = (),
    ) -> R:
        """Run `work` unless the ledger says `stage` is done from the same inputs (`identity`);
        then record it. Either way, the stage's record (of type `kind`) is returned. The
        stage's `dirs` are claimed for those inputs first: results of other inputs there are
        moved aside, an interrupted attempt at the same ones resumes. The models in `needs`
        are read by `work`: weights a run removed are trained again first (and the identity,
        when a callable, is taken again from the weights made)."""
        inputs = identity() if callable(identity) else identity
        if self.ledger.done(stage, inputs):
            self.say(f"[{stage}] done already, skipped")
            return self.ledger.read(stage, kind)
        for model in needs:
            self.ensure_weights(model)
        inputs = identity() if callable(identity) else identity
        if stage in self.ledger.stages:
            self.say(f"[{stage}] its inputs changed: redoing it")
        for directory in dirs:
            claim_stage_dir(directory, inputs)
        self.say(f"[{stage}] ...")
        start = time.perf_counter()
        record = work()
        seconds = time.perf_counter() - start
        self.ledger.record(stage, seconds, record, inputs)
        self.say(f"[{stage}] finished in {seconds:.1f} s")
        return record

    def ensure_weights(self, model: str) -> None:
        """Make `model`'s weights present: weights removed after an earlier iteration
        (`keep_models: final`) are trained again from the same inputs."""
        removed = weights_removed(model)
        if removed is None:
            return
        restore = self.restorers.get(model_key(model))
        if restore is None:
            raise RunDirError(
                f"the weights of {model} were removed and this run cannot train them again; "
                "re-run with --force to redo the iterations after it"
            )
        self.say(f"[{model}] its weights were removed (keep_models: final): training again")
        restore()
        mark_restored(model)
        if hash_model(model) != removed:
            self.say(f"[{model}] the weights trained again differ: the stages reading them rerun")

    def samples_from(self, model: str) -> list[str]:
        """The models whose weights sampling reads: the loop's `model`, unless the config
        names the backend's own model (a teacher, a server)."""
        return [model] if self.config.backend.model is None else []

    def sampler(self, model: str) -> Sampler:
        """The sampler of `model`, making its engine copy first if it is missing (removed
        with the weights, or deleted by hand)."""
        if self.samplers.converts and not self.samplers.engine_ready(model):
            engine_dir, _ = self.samplers.convert(model, self.engine_cache(model))
            self.samplers.use_converted(model, engine_dir)
        return self.samplers.get(model)

    def evaluate(
        self, model: str, problems: Sequence[Problem], eval_dir: Path, *, sampled: bool
    ) -> HeldoutEval:
        """Greedy held-out answers of `model` to `problems` in `eval_dir` (resumable), graded
        by the run's verifier and judge; with `sampled`, also `eval.k` samples per problem."""
        return eval_stage(
            problems,
            self.sampler(model),
            self.samplers.spec(model),
            self.template,
            self.config,
            eval_dir,
            progress=self.progress,
            sampled=sampled,
            judge=self.judge,
        )

    def engine_cache(self, model: str) -> Path | None:
        """Where the engine copy of `model` goes: beside the run for the models it trained,
        the user's cache for the base model."""
        trained = Path(model_key(model)).parent.parent == Path(model_key(self.run_dir))
        return self.run_dir / "models" / "engine" if trained else None

    def identity(self, *sections: str, **inputs: Any) -> str:
        """The identity of a stage reading these config `sections` and `inputs`."""
        config = self.config.to_dict()
        return stage_identity(**{name: config.get(name) for name in sections}, **inputs)

    def problems_hash(self, name: str) -> str:
        return hash_file(self.run_dir / name)


def model_key(model: str | Path) -> str:
    """One spelling of a model directory (relative or absolute, as the ledger has it)."""
    return str(Path(model).resolve())


@dataclass(frozen=True)
class Iteration:
    """Training iteration `number`: `model` samples and is trained on the `problems`."""

    run: LoopRun
    number: int
    model: str
    problems: list[Problem]
    tau: float | None = None  # B-STaR's reward threshold for the kept samples (None: off)
    base: str | None = None  # with train.start base: the model training starts from

    @property
    def dir(self) -> Path:
        return self.run.run_dir / f"iter-{self.number}"

    def stage(self, name: str) -> str:
        """The ledger's name of this iteration's stage `name` ("iter-2/sample")."""
        return f"iter-{self.number}/{name}"

    def say(self, name: str, message: str) -> None:
        self.run.say(f"[{self.stage(name)}] {message}")

    @property
    def start(self) -> str:
        """The model training starts from: this iteration's `model` (it sampled the rows),
        or with `train.start: base` the base model."""
        return self.base if self.base is not None else self.model

    @property
    def method(self) -> str:
        return self.run.config.train.method

    @property
    def selecting(self) -> bool:
        return self.run.config.select.method is not None

    @property
    def rows_path(self) -> Path:
        """The rows training reads: the selected ones when a selection method is set."""
        return self.dir / "select" / SELECTED if self.selecting else self.dir / "train_rows.jsonl"
