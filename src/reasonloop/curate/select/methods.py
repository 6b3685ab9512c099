"""`select_examples`: ClusterUCB, full LESS or random selection behind one call.

- `less`: the influence of every pool example (N gradients), keep the top `top x N`.
- `clusterucb`: cluster the pool once by base-model gradient features (cached and reusable
  across selections), then let the cluster bandit spend `budget x N` influence gradients
  and keep the top `top x N` among the examples it drew.
- `random`: `top x N` examples drawn uniformly (no model, no gradients).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from reasonloop.curate.select.bandit import BanditConfig, run_bandit
from reasonloop.curate.select.checkpoint import (
    LoraShape,
    WarmPoint,
    WarmupConfig,
    load_base,
    load_warm_points,
    model_directory,
    use_point,
    warm_up,
    warmup_identity,
)
from reasonloop.curate.select.clusters import cluster_features
from reasonloop.curate.select.features import FeatureConfig, compute_features, make_projector
from reasonloop.curate.select.influence import influence_scores, sum_over_checkpoints
from reasonloop.curate.select.rows import Example, FieldMap, to_examples
from reasonloop.curate.select.store import FeatureStore
from reasonloop.errors import ConfigError

Method = Literal["clusterucb", "less", "random"]
METHODS: tuple[Method, ...] = ("clusterucb", "less", "random")


@dataclass(frozen=True)
class SelectConfig:
    """What to select and how; `cache_dir` holds features, warm-up and clustering."""

    method: Method = "clusterucb"
    budget: float = 0.2
    top: float = 0.05
    clusters: int | None = None  # None: `default_clusters(N, budget)`
    cache_dir: str = "select-cache"
    features: FeatureConfig = field(default_factory=FeatureConfig)
    lora: LoraShape = field(default_factory=LoraShape)
    warmup: WarmupConfig = field(default_factory=WarmupConfig)
    bandit: BanditConfig = field(default_factory=BanditConfig)
    fields: FieldMap = field(default_factory=FieldMap)
    target_subtask_field: str | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ConfigError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        for name in ("budget", "top"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {getattr(self, name)}")
        if self.clusters is not None and self.clusters < 1:
            raise ConfigError(f"clusters must be at least 1, got {self.clusters}")
        if not 0.0 < self.warmup.share <= 1.0:
            raise ConfigError(f"the warm-up share must be in (0, 1], got {self.warmup.share}")
        if self.warmup.checkpoints < 1:
            raise ConfigError(
                f"warmup.checkpoints must be at least 1, got {self.warmup.checkpoints}"
            )


@dataclass(frozen=True)
class Selection:
    """What a selection chose and what it cost.

    `selected`: pool indices, highest influence first. `scores`: influence of every example
    whose influence was computed (pool index -> score). `labels`: cluster of every pool row
    (ClusterUCB only). `gradients_used`: influence gradients the method needed (its budget
    use, whether computed now or read from the cache): `checkpoints` per scored example, one
    at each warm-up checkpoint; `gradients_computed`: gradients of any kind computed in this
    call (warm-up excluded); `clustering_gradients`: the one-time clustering pass's size.
    """

    method: Method
    pool_size: int
    selected: tuple[int, ...]
    scores: dict[int, float]
    labels: tuple[int, ...] | None
    gradients_used: int
    gradients_computed: int
    clustering_gradients: int
    warmup_rows: int
    seconds: dict[str, float]
    checkpoints: int = 1


def select_examples(
    pool_rows: Sequence[Mapping[str, Any]],
    target_rows: Sequence[Mapping[str, Any]],
    model: str,
    config: SelectConfig = SelectConfig(),
) -> Selection:
    """Choose `top x N` of the pool rows for training towards the target rows."""
    pool = to_examples(pool_rows, config.fields, "pool")
    keep = max(1, round(config.top * len(pool)))
    if config.method == "random":
        chosen = random.Random(config.bandit.seed).sample(range(len(pool)), keep)
        return Selection("random", len(pool), tuple(chosen), {}, None, 0, 0, 0, 0, {})
    targets = to_examples(target_rows, config.fields, "target")
    subtasks = _subtasks(target_rows, config.target_subtask_field)
    runner = _Runner(model_directory(model, Path(config.cache_dir)), pool, config)
    labels = runner.cluster() if config.method == "clusterucb" else None
    runner.prepare_target(targets, subtasks)
    budget = (
        len(pool)
        if labels is None
        else min(len(pool), max(1, int(config.budget * len(pool) + 1e-9)))
    )
    checkpoints = config.warmup.checkpoints
    with runner.start_influence(budget * checkpoints):
        if labels is None:
            scores = dict(enumerate(runner.influence(range(len(pool)))))
        else:
            draws = run_bandit(labels.tolist(), budget, runner.influence, config.bandit)
            scores = dict(zip(draws.indices, draws.scores, strict=True))
    ranked = sorted(scores, key=lambda index: (-scores[index], index))[:keep]
    return Selection(
        method=config.method,
        pool_size=len(pool),
        selected=tuple(ranked),
        scores=scores,
        labels=None if labels is None else tuple(int(label) for label in labels),
        gradients_used=len(scores) * checkpoints,
        gradients_computed=runner.computed,
        clustering_gradients=len(pool) if labels is not None else 0,
        warmup_rows=runner.warmup_rows,
        seconds=runner.seconds,
        checkpoints=checkpoints,
    )


def pool_clusters(
    pool_rows: Sequence[Mapping[str, Any]],
    model: str,
    config: SelectConfig = SelectConfig(),
    *,
    kmeans_seed: int | None = None,
) -> tuple[int, ...]:
    """The cluster ClusterUCB puts every pool row in (`config.clusters` clusters, or the
    default rule); the clustering features are read from `config.cache_dir` or computed
    (and cached) once, as `select_examples` does. `kmeans_seed` (default: the LoRA seed, as
    a selection uses) restarts k-means elsewhere on the same features."""
    pool = to_examples(pool_rows, config.fields, "pool")
    runner = _Runner(model_directory(model, Path(config.cache_dir)), pool, config)
    return tuple(int(label) for label in runner.cluster(kmeans_seed))


class _Runner:
    """One selection's models, stores and counters (state: what is loaded, what it cost)."""

    def __init__(self, model: str, pool: Sequence[Example], config: SelectConfig) -> None:
        self.model, self.pool, self.config = model, pool, config
        self.cache = Path(config.cache_dir)
        self.computed = 0
        self.warmup_rows = 0
        self.seconds: dict[str, float] = {}
        self._targets: list[Any] = []  # target features, one (m, d) array per checkpoint
        self._subtasks: Sequence[str] | None = None
        self._checkpoint: Any = None
        self._points: tuple[WarmPoint, ...] = ()
        self._projector: Any = None
        self._stores: list[FeatureStore] = []  # pool features, one store per checkpoint
        self._bar: Any = None

    def cluster(self, kmeans_seed: int | None = None) -> Any:
        start = time.perf_counter()
        base_id = _fingerprint(self.model, self.config.features, self.config.lora)
        checkpoint = load_base(self.model, self.config.lora)
        store = FeatureStore(self.cache / f"cluster-{base_id}", self.config.features.dim)
        with self._progress("clustering gradients", len(self.pool)) as progress:
            features = compute_features(
                self.pool,
                checkpoint,
                make_projector(checkpoint, self.config.features),
                store,
                precondition=False,
                config=self.config.features,
                progress=progress,
            )
        self.computed += features.computed
        clusters = self.config.clusters
        if clusters is None:
            clusters = default_clusters(len(self.pool), self.config.budget)
        seed = self.config.lora.seed if kmeans_seed is None else kmeans_seed
        labels = cluster_features(features.vectors, clusters, seed=seed)
        self.seconds["clustering"] = time.perf_counter() - start
        return labels

    def prepare_target(self, targets: Sequence[Example], subtasks: Sequence[str] | None) -> None:
        start = time.perf_counter()
        warm_dir = self._warm_up()
        self.seconds["warmup"] = time.perf_counter() - start
        start = time.perf_counter()
        self._checkpoint, self._points = load_warm_points(self.model, warm_dir)
        self._projector = make_projector(self._checkpoint, self.config.features)
        run_id = warm_dir.name.removeprefix("warmup-")
        total = len(targets) * len(self._points)
        with self._progress("target gradients", total) as progress:
            for number, point in enumerate(self._points, 1):
                store = self._store("target", run_id, number)
                features = self._features(targets, store, point, precondition=False, bar=progress)
                self._targets.append(features)
                self._stores.append(self._store("pool", run_id, number))
        self._subtasks = subtasks
        self.seconds["influence"] = time.perf_counter() - start

    def start_influence(self, total: int) -> Any:
        """The progress bar of the influence gradients (`total`: how many will be needed)."""
        self._bar = self._progress("influence gradients", total)
        return self._bar

    def influence(self, indices: Sequence[int] | range) -> list[float]:
        """Influences of these pool rows: at each checkpoint, then lr-weighted over them."""
        start = time.perf_counter()
        examples = [self.pool[index] for index in indices]
        per_point = []
        for point, store, target in zip(self._points, self._stores, self._targets, strict=True):
            vectors = self._features(examples, store, point, precondition=True, bar=self._bar)
            per_point.append(influence_scores(vectors, target, self._subtasks))
        rates = [point.learning_rate for point in self._points]
        self.seconds["influence"] += time.perf_counter() - start
        return [float(s) for s in sum_over_checkpoints(per_point, rates)]

    def _features(
        self,
        examples: Sequence[Example],
        store: FeatureStore,
        point: WarmPoint,
        *,
        precondition: bool,
        bar: Any,
    ) -> Any:
        features = compute_features(
            examples,
            use_point(self._checkpoint, point),
            self._projector,
            store,
            precondition=precondition,
            config=self.config.features,
            progress=bar,
        )
        self.computed += features.computed
        return features.vectors

    def _store(self, kind: str, run_id: str, number: int) -> FeatureStore:
        """The `kind` (pool, target) features at checkpoint `number`; a lone checkpoint's
        store is where single-checkpoint selections always kept it."""
        directory = self.cache / f"{kind}-{run_id}"
        if len(self._points) > 1:
            directory = directory / f"checkpoint-{number}"
        return FeatureStore(directory, self.config.features.dim)

    def _progress(self, description: str, total: int) -> Any:
        from tqdm import tqdm

        return tqdm(total=total, desc=description, disable=not self.config.features.show_progress)

    def _warm_up(self) -> Path:
        share = self.config.warmup.share
        count = max(1, round(share * len(self.pool)))
        rng = random.Random(self.config.lora.seed)
        chosen = sorted(rng.sample(range(len(self.pool)), count))
        rows = [
            {"prompt": self.pool[i].prompt, "completion": self.pool[i].completion} for i in chosen
        ]
        self.warmup_rows = count
        keys = [self.pool[i].key for i in chosen]
        warmup = warmup_identity(self.config.warmup)
        run_id = _fingerprint(self.model, self.config.features, self.config.lora, warmup, keys)
        self.cache.mkdir(parents=True, exist_ok=True)
        return warm_up(
            self.model,
            rows,
            self.cache / f"warmup-{run_id}",
            self.config.lora,
            self.config.warmup,
            self.config.features.max_length,
        )


def default_clusters(pool_size: int, budget: float) -> int:
    """K = a third of the budget's draws, but no more than 4 sqrt(N) / 3 (at least 1).

    Gradient clusters are not pure in influence: the top rows sit in small clusters next to
    rows that score lower, so clusters must be small for the draws to concentrate on them;
    but every cluster costs at least one cold-start draw (max(floor(csp |c|), 1), csp =
    0.05), so K = budget x N / 3 lets a third of the budget explore and two thirds go where
    the influence is (clusters of 15 rows at budget 0.2). As the pool grows, clusters that
    fine stop paying off: on `benchmarks/select_bench.py`'s pools (five targets, 5 k-means x
    10 bandit seeds, budget 0.2) K = 27 was best at 400 rows, while at 2,000 K = 133 recovered
    86.6% of LESS's top 5% on average over the targets (worst target 54.5%) and K = 45-60
    91-92% (worst 76-77%). So K grows like sqrt(N) for large pools (the cap binds above
    N = 400 at budget 0.2), which keeps clusters of about 0.75 sqrt(N) rows.

    >>> default_clusters(400, 0.2), default_clusters(2000, 0.2), default_clusters(400, 0.05)
    (27, 60, 7)
    >>> default_clusters(10, 0.1)
    1
    """
    by_budget = round(budget * pool_size / 3)
    by_size = round(4 * math.sqrt(pool_size) / 3)
    return max(1, min(pool_size, by_budget, by_size))


def _subtasks(rows: Sequence[Mapping[str, Any]], field_name: str | None) -> list[str] | None:
    if field_name is None:
        return None
    missing = [i for i, row in enumerate(rows) if field_name not in row]
    if missing:
        raise ConfigError(f"target row {missing[0]} has no subtask field {field_name!r}")
    return [str(row[field_name]) for row in rows]


def _fingerprint(*parts: Any) -> str:
    """A short hash of what a cached artifact depends on (show_progress does not count)."""
    data = [asdict(p) if hasattr(p, "__dataclass_fields__") else p for p in parts]
    for item in data:
        if isinstance(item, dict):
            item.pop("show_progress", None)
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
