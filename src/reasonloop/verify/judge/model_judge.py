"""The model judge: ask any reasonloop backend whether an extracted answer matches the gold.

The judge sees the gold, the *extracted* answer (never the whole response) and, for templates
that show it, the question. Its reply is read strictly (`reply.py`); a cache on disk makes a
repeated pair free within a run and across runs. The backend is loaded on first use, so a
judge that is never asked costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplerError, SamplingParams
from reasonloop.errors import ReasonloopError
from reasonloop.verify.judge.cache import JudgeCache, cache_key
from reasonloop.verify.judge.reply import Decision, read_reply
from reasonloop.verify.judge.templates import JudgeTemplate, load_judge_template

DEFAULT_TEMPLATE = "answer-only"
DEFAULT_MAX_NEW_TOKENS = 8  # a yes/no reply; the final-decision style needs more
FINAL_DECISION_MAX_NEW_TOKENS = 64
DEFAULT_BATCH_SIZE = 16


class JudgeError(ReasonloopError):
    """The judge model could not answer (dead server, missing backend, ...)."""


@dataclass(frozen=True)
class JudgeRequest:
    """One question to the judge: is `answer` (extracted) the same as `gold`?"""

    gold: str
    answer: str
    question: str | None = None


@dataclass(frozen=True)
class JudgeDecision:
    decision: Decision
    reply: str
    cached: bool


class ModelJudge:
    """A judge model behind a Sampler, with its prompt template and decision cache.

    `sampler` is a Sampler or a zero-argument function building one (called on first use).
    `identity` names the judge in the cache: the same identity must mean the same decisions.
    """

    def __init__(
        self,
        sampler: Sampler | Callable[[], Sampler],
        *,
        identity: str,
        template: JudgeTemplate | str = DEFAULT_TEMPLATE,
        cache: JudgeCache | None = None,
        max_new_tokens: int | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self.template = (
            template if isinstance(template, JudgeTemplate) else load_judge_template(template)
        )
        if max_new_tokens is None:
            long_reply = self.template.reply == "final-decision"
            max_new_tokens = FINAL_DECISION_MAX_NEW_TOKENS if long_reply else DEFAULT_MAX_NEW_TOKENS
        self.params = SamplingParams(max_new_tokens=max_new_tokens, temperature=0.0)
        self.identity = (
            f"{identity}|{self.template.name}@{self.template.fingerprint()}|{max_new_tokens}"
        )
        self.name = identity
        self.cache = cache
        self.batch_size = max(1, batch_size)
        self._sampler = sampler if isinstance(sampler, Sampler) else None
        self._build = None if isinstance(sampler, Sampler) else sampler
        self.model_calls = 0  # conversations actually sent to the model (cache misses)

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process (a Ray grading actor) as its recipe: a judge with a builder
        # is built again there, never shipped loaded (an engine may not pickle, or be huge).
        state = dict(self.__dict__)
        if self._build is not None:
            state["_sampler"] = None
        state["model_calls"] = 0
        return state

    def decide(self, requests: Sequence[JudgeRequest]) -> list[JudgeDecision]:
        """One decision per request, in order; raises JudgeError when the model cannot answer.

        Decisions already made are in the cache before an error is raised.
        """
        keys = [self._key(request) for request in requests]
        known = self.cache.get_many(keys) if self.cache is not None else {}
        decided = {key: JudgeDecision(c.decision, c.reply, True) for key, c in known.items()}
        pending = {key: r for key, r in zip(keys, requests, strict=True) if key not in decided}
        items = list(pending.items())
        for start in range(0, len(items), self.batch_size):
            decided.update(self._ask(items[start : start + self.batch_size]))
        return [decided[key] for key in keys]

    def _key(self, request: JudgeRequest) -> str:
        question = request.question if self.template.uses_question else None
        return cache_key(self.identity, request.gold, request.answer, question)

    def _ask(self, batch: list[tuple[str, JudgeRequest]]) -> dict[str, JudgeDecision]:
        conversations = [self.template.render(r.gold, r.answer, r.question) for _, r in batch]
        try:
            completions = self._load().generate(conversations, self.params)
        except SamplerError as error:
            where = f" (decisions so far are cached in {self.cache.path})" if self.cache else ""
            raise JudgeError(f"the judge {self.name} could not answer: {error}{where}") from error
        self.model_calls += len(batch)
        decisions = {
            key: JudgeDecision(read_reply(c.text, self.template.reply), c.text, False)
            for (key, _), c in zip(batch, completions, strict=True)
        }
        if self.cache is not None:
            self.cache.put_many(
                (
                    key,
                    self.identity,
                    r.gold,
                    r.answer,
                    decisions[key].decision,
                    decisions[key].reply,
                )
                for key, r in batch
            )
        return decisions

    def _load(self) -> Sampler:
        if self._sampler is None:
            assert self._build is not None
            try:
                self._sampler = self._build()
            except SamplerError as error:
                raise JudgeError(f"the judge {self.name} could not be loaded: {error}") from error
        return self._sampler


def load_judge(
    model: str,
    *,
    backend: str = "default",
    template: JudgeTemplate | str = DEFAULT_TEMPLATE,
    cache: JudgeCache | str | Path | None = None,
    use_cache: bool = True,
    max_new_tokens: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    **options: Any,
) -> ModelJudge:
    """A judge on `backend` (default: the embedded model), loaded lazily on its first question.

    `cache` is a JudgeCache or a path (default: `judge-cache.sqlite` in reasonloop's cache
    directory); `use_cache=False` keeps nothing on disk. `options` go to the backend.
    """
    from reasonloop.backends.registry import load_sampler

    model_name = "" if backend == "default" and model == "default" else model

    def build() -> Sampler:
        return load_sampler(backend, model_name, **options)

    store: JudgeCache | None = None
    if use_cache:
        store = cache if isinstance(cache, JudgeCache) else JudgeCache(cache)
    return ModelJudge(
        build,
        identity=f"{backend}:{model_name or 'default'}",
        template=template,
        cache=store,
        max_new_tokens=max_new_tokens,
        batch_size=batch_size,
    )
