"""Step scores from a trained process reward model (`reasonloop train --method prm`).

`PRMScorer(model_dir).score_steps([(prompt, steps), ...])` gives P(right) for every step: the
model reads the prompt and the steps joined by the separator it was trained with (from its
`reasonloop_prm.json`) and the two-class head is read at each separator, exactly as in
training (both encode through `reasonloop.rewards.step_encoding.encode_steps`). A causal
model's score of step k sees steps 1..k only, so one pass scores every step.

Scores are cached by content (a `KeyedStore`, SQLite): the key is the weights' digest, the
separator, the prompt and the steps, so a file scored twice (or two files sharing responses)
costs one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tqdm import tqdm

from reasonloop.backends.hf_models import default_cache_dir
from reasonloop.errors import ConfigError, DataError
from reasonloop.files import hash_file, read_json
from reasonloop.keyed_store import KeyedStore, content_key
from reasonloop.rewards.step_scores import ScoreRequest

CARD_FILE = "reasonloop_prm.json"  # written by reasonloop.train.prm (PRM_CARD_FILE)


class PRMScorer:
    """A loaded PRM: `score_steps` returns one P(right) per step of each request.

    `cache`: a SQLite file of scores by content (default: under the reasonloop cache,
    one file per model); None scores without one.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        batch_size: int = 8,
        cache: str | Path | None | bool = True,
        show_progress: bool = False,
    ) -> None:
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        self.model_dir = Path(model_dir)
        self.card = read_prm_card(self.model_dir)
        self.separator = str(self.card["step_separator"])
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_dir)
        self.model = AutoModelForTokenClassification.from_pretrained(self.model_dir).eval()
        self.limit = int(getattr(self.model.config, "max_position_embeddings", 2048))
        self.batch_size = batch_size
        self.show_progress = show_progress
        self.digest = _weights_digest(self.model_dir)
        self.cache_path = _cache_path(cache, self.digest)
        self.cache = None if self.cache_path is None else KeyedStore(self.cache_path, "PRM cache")

    def score_steps(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        """P(right) per step, in request order; cached requests are not scored again."""
        keys = [self.key(request) for request in requests]
        found = self.cached(keys)
        todo = sorted({k: r for k, r in zip(keys, requests, strict=True) if k not in found}.items())
        with tqdm(
            total=len(todo), desc="score prm", unit="response", disable=not self.show_progress
        ) as bar:
            for start in range(0, len(todo), self.batch_size):
                batch = todo[start : start + self.batch_size]
                scores = self.score_batch([request for _, request in batch])
                fresh = {key: s for (key, _), s in zip(batch, scores, strict=True)}
                self.store(fresh)
                found.update(fresh)
                bar.update(len(batch))
        return [found[key] for key in keys]

    def key(self, request: ScoreRequest) -> str:
        prompt, steps = request
        return content_key(self.digest, self.separator, prompt, list(steps))

    def score_batch(self, requests: Sequence[ScoreRequest]) -> list[list[float]]:
        """One forward pass over a padded batch; P(right) read at each step's separator."""
        import torch

        from reasonloop.rewards.step_encoding import encode_steps

        encoded = [encode_steps(self.tokenizer, p, s, self.separator) for p, s in requests]
        for (prompt, _), item in zip(requests, encoded, strict=True):
            if len(item.input_ids) > self.limit:
                raise DataError(
                    f"a response of {len(item.input_ids)} tokens is longer than the PRM's "
                    f"context ({self.limit}); prompt starts {str(prompt)[:60]!r}"
                )
        width = max(len(item.input_ids) for item in encoded)
        pad = self.tokenizer.pad_token_id or 0
        ids = [item.input_ids + [pad] * (width - len(item.input_ids)) for item in encoded]
        mask = [[1] * len(item.input_ids) + [0] * (width - len(item.input_ids)) for item in encoded]
        with torch.inference_mode():
            logits = self.model(
                input_ids=torch.tensor(ids), attention_mask=torch.tensor(mask)
            ).logits
        right = torch.softmax(logits.float(), dim=-1)[..., 1]
        return [
            [float(right[row, end]) for end in item.step_ends] for row, item in enumerate(encoded)
        ]

    def cached(self, keys: Sequence[str]) -> dict[str, list[float]]:
        return {} if self.cache is None else self.cache.get_many(keys)

    def store(self, scores: dict[str, list[float]]) -> None:
        if self.cache is not None:
            self.cache.put_many(scores.items())


def read_prm_card(model_dir: Path) -> dict[str, Any]:
    """The PRM's `reasonloop_prm.json`; a directory without one is not a PRM."""
    card = model_dir / CARD_FILE
    if not card.is_file():
        raise ConfigError(
            f"{model_dir} is not a process reward model (no {CARD_FILE}); train one with "
            "`reasonloop train --method prm`"
        )
    data = read_json(card)
    if not isinstance(data, dict) or not data.get("step_separator"):
        raise ConfigError(f"{card} names no step_separator; retrain the PRM")
    return data


def _weights_digest(model_dir: Path) -> str:
    files = sorted(model_dir.glob("*.safetensors")) + [model_dir / CARD_FILE]
    return hashlib.sha256("".join(hash_file(f) for f in files).encode()).hexdigest()


def _cache_path(cache: str | Path | None | bool, digest: str) -> Path | None:
    if cache is None or cache is False:
        return None
    if cache is True:
        return default_cache_dir() / "prm-scores" / f"{digest[:16]}.sqlite"
    return Path(cache)
