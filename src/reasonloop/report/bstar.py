"""The report's B-STaR section: per iteration, the temperature and threshold the balance score
chose, the best row of the T x tau surface (the balance at each temperature, at the chosen
threshold), and exploration (pass@k, distinct correct responses per problem) beside
exploitation (the reward's best-of-k accuracy) at each temperature of the dev sweep."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class BStarIteration:
    """One iteration's B-STaR sweep, as the report shows it. The lists run over
    `temperatures`; `balance_at_tau` is the surface's row at the chosen threshold `tau`."""

    iteration: int
    temperature: float
    tau: float
    balance: float
    n_star: int
    dev_problems: int
    samples_per_query: int
    temperatures: list[float]
    balance_at_tau: list[float]
    pass_at_k: list[float]
    distinct_correct: list[float]
    best_of_k: list[float]

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> BStarIteration:
        return cls(
            iteration=int(raw["iteration"]),
            temperature=float(raw["temperature"]),
            tau=float(raw["tau"]),
            balance=float(raw["balance"]),
            n_star=int(raw["n_star"]),
            dev_problems=int(raw["dev_problems"]),
            samples_per_query=int(raw["samples_per_query"]),
            **{
                name: [float(x) for x in raw[name]]
                for name in (
                    "temperatures",
                    "balance_at_tau",
                    "pass_at_k",
                    "distinct_correct",
                    "best_of_k",
                )
            },
        )


def render_bstar(rows: list[BStarIteration]) -> str:
    """The section: T* and tau* over iterations, then each iteration's sweep (empty when the
    run sampled at a fixed temperature)."""
    if not rows:
        return ""
    head = _head("iter", "T*", "tau*", "balance", "n*", "dev problems x samples")
    chosen = "".join(
        _row(
            r.iteration,
            f"{r.temperature:g}",
            f"{r.tau:g}",
            f"{r.balance:.3f}",
            r.n_star,
            f"{r.dev_problems} x {r.samples_per_query}",
        )
        for r in rows
    )
    sweeps = "".join(_render_sweep(r) for r in rows)
    return (
        "<h2>B-STaR: temperature and threshold per iteration</h2>"
        f'<table id="rl-bstar"><thead><tr>{head}</tr></thead><tbody>{chosen}</tbody></table>'
        f"{sweeps}"
    )


def _render_sweep(r: BStarIteration) -> str:
    head = _head(
        "T", f"balance at tau* = {r.tau:g}", "pass@k", "distinct correct / problem", "best-of-k"
    )
    body = "".join(
        _row(
            f"<b>{t:g}</b>" if t == r.temperature else f"{t:g}",
            f"{balance:.3f}",
            f"{passed:.1%}",
            f"{distinct:.2f}",
            f"{best:.1%}",
            raw=True,
        )
        for t, balance, passed, distinct, best in zip(
            r.temperatures,
            r.balance_at_tau,
            r.pass_at_k,
            r.distinct_correct,
            r.best_of_k,
            strict=True,
        )
    )
    return (
        f"<h3>Iteration {r.iteration}: the dev sweep (k = {r.samples_per_query})</h3>"
        f'<table class="rl-bstar-sweep"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _head(*names: str) -> str:
    return "".join(f"<th>{escape(name)}</th>" for name in names)


def _row(*cells: object, raw: bool = False) -> str:
    """A table row; `raw` cells are markup made here from numbers, the others are escaped."""
    return "<tr>" + "".join(f"<td>{c if raw else escape(str(c))}</td>" for c in cells) + "</tr>"
