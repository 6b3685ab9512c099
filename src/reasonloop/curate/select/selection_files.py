"""What a selection writes: the selected rows, every drawn row, a summary and a plot page.

For `-o SELECTED.jsonl`:

- `SELECTED.jsonl`: the selected rows, unchanged, plus `influence` and `cluster`;
- `SELECTED.drawn.jsonl`: every row whose influence was computed, with `pool_index`,
  `influence`, `cluster` and `selected`;
- `SELECTED.summary.json`: method, pool size, gradients used and computed, clusters and how
  many rows each cluster gave to the selection, wall times;
- `SELECTED.html`: per-cluster influence distributions (drawn rows; selected ones marked).
"""

from __future__ import annotations

import html
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reasonloop.curate.select.methods import Selection
from reasonloop.dataset.io import write_dataset
from reasonloop.errors import DataError

ADDED = ("influence", "cluster")


@dataclass(frozen=True)
class Written:
    selected: Path
    drawn: Path | None
    summary: Path
    html: Path | None


def write_selection(
    selection: Selection, pool_rows: Sequence[Mapping[str, Any]], output: str | Path
) -> Written:
    """Write the selection's files next to `output` (a .jsonl path)."""
    output = Path(output)
    if output.suffix != ".jsonl":
        raise DataError(f"{output}: the selection is written as JSONL; name it *.jsonl")
    clashing = sorted({name for row in pool_rows for name in ADDED if name in row})
    if clashing:
        raise DataError(
            f"pool rows already have {', '.join(clashing)}; rename those fields first "
            "(the selection adds them)"
        )
    write_dataset([_annotated(selection, pool_rows, i) for i in selection.selected], output)
    drawn_path = html_path = None
    if selection.scores:
        drawn_path = write_dataset(
            _drawn_rows(selection, pool_rows), _beside(output, ".drawn.jsonl")
        )
        html_path = _beside(output, ".html")
        html_path.write_text(render_html(selection), encoding="utf-8")
    summary_path = _beside(output, ".summary.json")
    summary_path.write_text(json.dumps(summarize(selection), indent=2), encoding="utf-8")
    return Written(output, drawn_path, summary_path, html_path)


@dataclass(frozen=True)
class ClusterCount:
    """One cluster of the pool: its rows, those whose influence was computed, those kept."""

    size: int
    drawn: int
    selected: int


def count_clusters(selection: Selection) -> dict[int, ClusterCount]:
    """Rows per cluster, by cluster label (empty for a method that does not cluster)."""
    labels = selection.labels
    if not labels:
        return {}
    sizes = Counter(labels)
    drawn = Counter(labels[i] for i in selection.scores)
    chosen = Counter(labels[i] for i in selection.selected)
    return {c: ClusterCount(sizes[c], drawn[c], chosen[c]) for c in sorted(sizes)}


def summarize(selection: Selection) -> dict[str, Any]:
    """The summary JSON: costs, clusters, and selected rows per cluster."""
    clusters = count_clusters(selection)
    return {
        "method": selection.method,
        "pool_size": selection.pool_size,
        "selected": len(selection.selected),
        "gradients_used": selection.gradients_used,
        "checkpoints": selection.checkpoints,
        "gradients_computed": selection.gradients_computed,
        "clustering_gradients": selection.clustering_gradients,
        "warmup_rows": selection.warmup_rows,
        "clusters": len(clusters),
        "per_cluster": {str(c): asdict(count) for c, count in clusters.items()},
        "seconds": {name: round(value, 2) for name, value in selection.seconds.items()},
    }


def describe_selection(selection: Selection) -> str:
    """One line: what was kept, and the influence gradients it took.

    >>> from reasonloop.curate.select.methods import Selection
    >>> describe_selection(Selection("less", 40, (3, 1), {}, None, 40, 12, 0, 8, {}))
    'less: kept 2 of 40 rows using 40 influence gradients (12 computed now)'
    """
    return (
        f"{selection.method}: kept {len(selection.selected)} of {selection.pool_size} rows "
        f"using {selection.gradients_used} influence gradients "
        f"({selection.gradients_computed} computed now)"
    )


def render_html(selection: Selection) -> str:
    """A self-contained page: the summary table and an SVG strip plot per cluster."""
    rows = "".join(
        f"<tr><td>{c}</td><td>{n.size}</td><td>{n.drawn}</td><td>{n.selected}</td></tr>"
        for c, n in count_clusters(selection).items()
    )
    table = (
        "<table><tr><th>cluster</th><th>size</th><th>drawn</th><th>selected</th></tr>"
        f"{rows}</table>"
        if rows
        else ""
    )
    facts = html.escape(describe_selection(selection))
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>reasonloop select</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px}</style></head>"
        f"<body><h1>Data selection</h1><p>{facts}</p>{table}{plot_influence(selection)}"
        "</body></html>"
    )


def plot_influence(selection: Selection) -> str:
    """Influence of drawn rows per cluster (x jittered), selected rows in orange; SVG text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    labels = selection.labels
    groups: dict[int, list[int]] = {}
    for index in selection.scores:
        groups.setdefault(labels[index] if labels else 0, []).append(index)
    chosen = set(selection.selected)
    rng = np.random.default_rng(0)
    figure, axes = plt.subplots(figsize=(max(4.0, 0.6 * len(groups) + 2), 3.5))
    for position, cluster in enumerate(sorted(groups)):
        members = groups[cluster]
        x = position + rng.uniform(-0.25, 0.25, len(members))
        y = [selection.scores[i] for i in members]
        colours = ["tab:orange" if i in chosen else "tab:blue" for i in members]
        axes.scatter(x, y, s=8, c=colours, alpha=0.7)
    axes.set_xticks(range(len(groups)), [str(c) for c in sorted(groups)])
    axes.set_xlabel("cluster" if labels else "all drawn rows")
    axes.set_ylabel("influence (cosine)")
    axes.set_title("influence of drawn rows (orange: selected)")
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _annotated(
    selection: Selection, rows: Sequence[Mapping[str, Any]], index: int
) -> dict[str, Any]:
    cluster = selection.labels[index] if selection.labels else None
    return {**rows[index], "influence": selection.scores.get(index), "cluster": cluster}


def _drawn_rows(selection: Selection, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    chosen = set(selection.selected)
    return [
        {"pool_index": i, **_annotated(selection, rows, i), "selected": i in chosen}
        for i in sorted(selection.scores)
    ]


def _beside(output: Path, suffix: str) -> Path:
    return output.with_name(output.name.removesuffix(".jsonl") + suffix)
