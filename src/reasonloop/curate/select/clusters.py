"""Spherical k-means of gradient features (scikit-learn's KMeans on unit vectors).

On unit vectors, squared Euclidean distance is 2 - 2 cos, so k-means on L2-normalised
features groups examples by cosine, as spherical k-means does; centroids are not
re-normalised between iterations, which changes their length but not the assignment rule
much for clusters as tight as gradient features form.
"""

from __future__ import annotations

from typing import Any

from reasonloop.errors import ConfigError


def cluster_features(features: Any, clusters: int, *, seed: int = 0) -> Any:
    """Cluster labels (n,) in 0..K-1 for feature rows; K is capped at the number of rows."""
    import numpy as np

    try:
        from sklearn.cluster import KMeans
    except ImportError as error:
        raise ConfigError(
            "clustering needs scikit-learn: pip install 'reasonloop[select]'"
        ) from error
    if clusters < 1:
        raise ConfigError(f"the number of clusters must be at least 1, got {clusters}")
    vectors = np.asarray(features, dtype=np.float64)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-12)
    k = min(clusters, len(vectors))
    model = KMeans(n_clusters=k, n_init=4, random_state=seed)
    labels: Any = model.fit_predict(vectors)
    return labels.astype(np.int64)
