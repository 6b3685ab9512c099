"""B-STaR (Zeng et al., ICLR 2025): choose each iteration's sampling temperature and reward
threshold by the balance score of exploration and exploitation on a dev subset.

- `balance`: the balance score, the threshold grid, the T x tau sweep and its argmax (pure).
- `measures`: exploration (pass@k, distinct correct responses) and exploitation (best-of-k).
- `sweep`: sample the dev problems at each temperature and write `balance.json`.
"""

from reasonloop.curate.bstar.balance import (
    GridPoint,
    ScoredResponse,
    balance_score,
    choose_point,
    combined_score,
    query_balance,
    sweep_balance,
    threshold_grid,
    verifier_score,
)
from reasonloop.curate.bstar.measures import TemperatureMeasures, measure_temperature
from reasonloop.curate.bstar.sweep import (
    BALANCE_FILE,
    BalanceResult,
    SweepSettings,
    choose_dev_problems,
    keep_above,
    read_balance,
    sweep_temperatures,
)

__all__ = [
    "BALANCE_FILE",
    "BalanceResult",
    "GridPoint",
    "ScoredResponse",
    "SweepSettings",
    "TemperatureMeasures",
    "balance_score",
    "choose_dev_problems",
    "choose_point",
    "combined_score",
    "keep_above",
    "measure_temperature",
    "query_balance",
    "read_balance",
    "sweep_balance",
    "sweep_temperatures",
    "threshold_grid",
    "verifier_score",
]
