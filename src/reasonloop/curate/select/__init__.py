"""Budgeted data selection: which pool rows help a target task most (LESS, ClusterUCB).

    from reasonloop.curate.select import SelectConfig, select_examples, write_selection

    selection = select_examples(pool_rows, target_rows, "default", SelectConfig(budget=0.2))
    write_selection(selection, pool_rows, "selected.jsonl")

torch, peft, transformers and scikit-learn are imported only when a selection runs.
"""

from reasonloop.curate.select.bandit import (
    RULES,
    SINGLE_DRAW_STDS,
    BanditConfig,
    Draws,
    run_bandit,
)
from reasonloop.curate.select.checkpoint import LoraShape, WarmupConfig
from reasonloop.curate.select.features import FeatureConfig
from reasonloop.curate.select.influence import influence_scores
from reasonloop.curate.select.methods import (
    METHODS,
    SelectConfig,
    Selection,
    default_clusters,
    pool_clusters,
    select_examples,
)
from reasonloop.curate.select.projection import SparseProjector
from reasonloop.curate.select.rows import FieldMap
from reasonloop.curate.select.selection_files import summarize, write_selection

__all__ = [
    "METHODS",
    "RULES",
    "SINGLE_DRAW_STDS",
    "BanditConfig",
    "Draws",
    "FeatureConfig",
    "FieldMap",
    "LoraShape",
    "SelectConfig",
    "Selection",
    "SparseProjector",
    "WarmupConfig",
    "default_clusters",
    "influence_scores",
    "pool_clusters",
    "run_bandit",
    "select_examples",
    "summarize",
    "write_selection",
]
