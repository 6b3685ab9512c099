"""An append-only on-disk store of feature vectors, so a killed selection run resumes.

Two files per store: `features.f32` (rows of float32, appended) and `keys.txt` (one row key
per line, appended after its row is on disk). A run killed between the two writes leaves a
row without a key, or a key line without its newline; opening the store drops that
unfinished tail, so every key in the store names a complete vector and nothing computed
before the last complete write is ever computed again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reasonloop.errors import DataError

VECTORS = "features.f32"
KEYS = "keys.txt"


class FeatureStore:
    """Vectors of `dim` float32 values by row key; state: the open directory and its index."""

    def __init__(self, directory: str | Path, dim: int) -> None:
        import numpy as np

        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        keys = self._complete_keys()
        vectors_path = self.directory / VECTORS
        width = 4 * dim
        size = vectors_path.stat().st_size if vectors_path.exists() else 0
        count = min(len(keys), size // width)
        keys = keys[:count]
        with vectors_path.open("ab") as handle:
            handle.truncate(count * width)
        (self.directory / KEYS).write_text("".join(k + "\n" for k in keys), encoding="utf-8")
        data = np.fromfile(vectors_path, dtype=np.float32) if count else np.zeros(0, np.float32)
        self._rows: list[Any] = list(data.reshape(count, dim)) if count else []
        self._index = {key: row for row, key in enumerate(keys)}

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def get(self, key: str) -> Any:
        """The stored vector (a float32 numpy array) of `key`."""
        return self._rows[self._index[key]]

    def add(self, key: str, vector: Any) -> None:
        """Append `vector` for `key`, durable before the key is recorded."""
        import numpy as np

        array = np.ascontiguousarray(vector, dtype=np.float32).reshape(-1)
        if array.shape[0] != self.dim:
            raise DataError(f"feature of {array.shape[0]} values in a store of dim {self.dim}")
        if key in self._index:
            return
        _append(self.directory / VECTORS, array.tobytes())
        _append(self.directory / KEYS, (key + "\n").encode("utf-8"))
        self._index[key] = len(self._rows)
        self._rows.append(array)

    def _complete_keys(self) -> list[str]:
        path = self.directory / KEYS
        if not path.exists():
            return []
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        return [line for line in lines[:-1] if line]  # the last piece has no newline yet


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
