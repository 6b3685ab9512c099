"""A fast CPU engine: CTranslate2 (int8 by default), fed prompts rendered by the HF tokenizer.

A model is converted once from a local HF directory into CTranslate2's format. The converted
copy lives in a cache keyed by a hash of the weight files and the quantization, so the same
weights are never converted twice; the tokenizer and generation config travel with the copy,
which makes a converted directory self-contained (`CTranslate2Sampler` loads it directly).

Chat templates are rendered exactly as the transformers backend renders them (what training
sees). k copies of one conversation in a call become one prompt with `num_hypotheses=k`.

Seeds. CTranslate2 has no per-request seed: each worker thread draws from its own generator,
seeded from the process-wide seed when the thread first samples. So each `generate` call
sets the seed and samples on a freshly opened engine (new worker threads; opening one takes
~0.05 s for an int8 model of 135M parameters, and the next one opens in the background while
a call runs); a call's samples are then a function of (seed, conversations,
params) alone, whatever ran before. Within a call the rows share one random stream, so the
sample a row gets depends on the other rows of its call: reproducibility is per call, not per
(problem, sample index). The sample stage's batches are a pure function of the run's config,
and a resumed run re-forms exactly the batches it had not written, so same config gives the
same samples, on resume too; a different `batch_size` gives different (equally valid) samples.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
from tqdm import tqdm

from reasonloop.backends.base import Completion, Conversation, SamplerError, SamplingParams
from reasonloop.backends.cpus import available_cpus
from reasonloop.backends.hf_models import (
    default_cache_dir,
    load_hf_tokenizer,
    prepare_default_model,
)
from reasonloop.backends.landing import Landed, RowSteps
from reasonloop.backends.source import DEFAULT_MODEL, ModelSource
from reasonloop.backends.transformers import encode_prompt, find_eos

COMPUTE_TYPES = ("int8", "float32")
# What a converted directory carries besides CTranslate2's own files, so it is self-contained.
TOKENIZER_FILES = (
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "chat_template.jinja",
    "generation_config.json",
    "vocab.json",
    "merges.txt",
    "tokenizer.model",
)
WEIGHT_SUFFIXES = (".safetensors", ".bin")
# CTranslate2 reads its process-wide seed when a worker thread first samples: one call at a
# time may set it and open its engine.
_SEED_LOCK = threading.Lock()


class EngineConversionError(SamplerError):
    """The CTranslate2 converter does not support this model (architecture, layout, ...)."""


@dataclass(frozen=True)
class Conversion:
    """Where a converted model is, and what getting it cost (`cached`: it was already there)."""

    path: str
    seconds: float
    cached: bool


def is_converted(directory: str | Path) -> bool:
    """True for a directory CTranslate2 loads (its `model.bin` and vocabulary)."""
    path = Path(directory)
    return (path / "model.bin").is_file() and (path / "vocabulary.json").is_file()


def hash_weights(model_dir: str | Path) -> str:
    """A sha256 over the model's config and weight files (names and contents)."""
    directory = Path(model_dir)
    files = [p for p in directory.iterdir() if p.suffix in WEIGHT_SUFFIXES and p.is_file()]
    files = sorted(files) + [directory / "config.json"]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
    return digest.hexdigest()


def convert_model(
    model_dir: str | Path,
    cache_dir: str | Path | None = None,
    *,
    quantization: str = "int8",
    progress: bool = True,
) -> Conversion:
    """Convert the HF model in `model_dir` for CTranslate2, once per (weights, quantization).

    The copy goes to `cache_dir/<hash>-<quantization>...` (default: `default_engine_cache()`);
    an existing copy is reused, and an
    interrupted conversion leaves nothing behind (it is written aside, then renamed).
    Raises EngineConversionError when the converter does not support the model. The
    converter says nothing while it works (a minute or more for the embedded model on a
    busy machine), so with `progress` a labelled bar shows the time it has taken so far.
    """
    started = time.perf_counter()
    _check_compute_type(quantization)
    source = Path(model_dir)
    if not (source / "config.json").is_file():
        raise SamplerError(
            f"{str(source)!r} is not a Hugging Face model directory (no config.json)"
        )
    key = f"{hash_weights(source)[:24]}-{quantization}-ct2-{ctranslate2.__version__}"
    target = Path(cache_dir or default_engine_cache()) / key
    if is_converted(target):
        return Conversion(str(target), time.perf_counter() - started, cached=True)
    staging = _make_staging_dir(target)
    label = f"convert {source.name} for the CPU engine ({quantization}, once)"
    try:
        with elapsed_bar(label, disable=not progress):
            _run_converter(source, staging, quantization)
        staging.rename(target)  # atomic: readers never see a half-written copy
    except OSError:
        if not is_converted(target):
            raise
        # Another process finished the same conversion first; its copy is as good as ours.
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Conversion(str(target), time.perf_counter() - started, cached=False)


@contextmanager
def elapsed_bar(label: str, *, disable: bool = False, every: float = 1.0) -> Iterator[None]:
    """A labelled bar for one long call that reports no progress of its own: it shows the
    seconds taken so far (refreshed every `every` s by a daemon thread) and closes with the
    total, e.g. `convert model for the CPU engine (int8, once): done in 00:41`."""
    bar = tqdm(total=1, desc=label, bar_format="{desc}: {elapsed} so far", disable=disable)
    done = threading.Event()

    def tick() -> None:
        while not done.wait(every):
            bar.refresh()

    ticker = threading.Thread(target=tick, name="reasonloop-elapsed", daemon=True)
    ticker.start()
    try:
        yield
        bar.bar_format = "{desc}: done in {elapsed}"
        bar.update(1)
    finally:
        done.set()
        ticker.join()
        bar.close()


def _make_staging_dir(target: Path) -> Path:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(dir=target.parent, prefix=".converting-"))
    except OSError as error:
        raise SamplerError(
            f"cannot write the converted model under {target.parent} ({error}); "
            "set REASONLOOP_CACHE_DIR (or the backend's cache_dir option) to a writable directory"
        ) from error


def _run_converter(source: Path, staging: Path, quantization: str) -> None:
    from ctranslate2.converters import TransformersConverter

    copy_files = [name for name in TOKENIZER_FILES if (source / name).is_file()]
    try:
        converter = TransformersConverter(str(source), copy_files=copy_files)
        converter.convert(str(staging), quantization=quantization, force=True)
    except (ValueError, NotImplementedError, KeyError, TypeError) as error:
        raise EngineConversionError(
            f"CTranslate2 cannot convert the model in {str(source)!r}: {error}. "
            "Use the transformers backend for this model."
        ) from error


class CTranslate2Sampler:
    """A causal LM run by CTranslate2 on the CPU.

    `model` is a local HF model directory (converted once into `cache_dir`, by default
    `$REASONLOOP_CACHE_DIR/ctranslate2`), an already converted directory, or "default".
    `compute_type`: "int8" (default, ~2.5x faster on CPU) or "float32".
    `num_threads`: CPU threads for the engine; by default the CPUs this process may use
    (affinity mask and cgroup quota). On a machine shared with other busy processes, fewer
    threads can be much faster. `batch_size`: at most this many sequences decode together
    (a `generate` call with more is split, in a fixed order).
    """

    # A trailing assistant turn is continued (base.py): K rollouts of one step prefix are one
    # prompt with K hypotheses, the prompt and prefix encoded once.
    continues_final_message = True
    lands_each_sample = True  # `generate_landing` (backends/landing.py): what Ctrl-C keeps

    def __init__(
        self,
        model: str,
        *,
        compute_type: str = "int8",
        num_threads: int | None = None,
        batch_size: int = 64,
        cache_dir: str | None = None,
    ) -> None:
        _check_compute_type(compute_type)
        if batch_size < 1:
            raise SamplerError(f"batch_size must be at least 1, got {batch_size}")
        if num_threads is not None and num_threads < 1:
            raise SamplerError(f"num_threads must be at least 1, got {num_threads}")
        path = local_model_dir(model)
        if not is_converted(path):
            path = Path(convert_model(path, cache_dir, quantization=compute_type).path)
        self.model_id = f"ctranslate2:{model}"
        self.model_dir = str(path)
        self.compute_type = compute_type
        self.batch_size = batch_size
        self.num_threads = num_threads or available_cpus()
        self.tokenizer = load_hf_tokenizer(ModelSource(str(path)), local_files_only=True)
        self.eos_token_ids = read_eos_token_ids(path, self.tokenizer)
        # Each call samples on a fresh engine; the next one opens while a call runs.
        self._opener = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ct2-open")
        self._fresh: Future[Any] = self._opener.submit(self._open_engine)
        self._fresh.result()  # a model that does not load fails here, not at the first call

    def generate(
        self, conversations: Sequence[Conversation], params: SamplingParams
    ) -> list[Completion]:
        return self.generate_landing(conversations, params, None)

    def generate_landing(
        self, conversations: Sequence[Conversation], params: SamplingParams, landed: Landed | None
    ) -> list[Completion]:
        """`generate`; with `landed`, each row of the batch (a prompt and its repeats) is also
        reported as soon as it has ended, from the engine's threads (`backends.landing`).
        The samples are the same either way."""
        if not conversations:
            return []
        prompts = [encode_prompt(self.tokenizer, conversation) for conversation in conversations]
        unique, counts = group_repeats(prompts)
        if not (params.greedy or len(set(counts)) == 1):  # repeats of unequal size
            unique, counts = prompts, [1] * len(prompts)  # one row per conversation
        hypotheses = 1 if params.greedy else counts[0]
        started = time.perf_counter()
        steps = None if landed is None else self._row_steps(prompts, counts, params, landed)
        engine, self._fresh = self._fresh.result(), self._opener.submit(self._open_engine)
        # The engine's worker threads read the process-wide seed at their first draw: held
        # for the whole call, so no other engine in this process sets it in between.
        with _SEED_LOCK:
            ctranslate2.set_random_seed(engine_seed(params.seed))
            rows = self._run(engine, unique, params, hypotheses, steps)
        drawn = expand_repeats(rows, counts, params.greedy)
        latency = (time.perf_counter() - started) / len(prompts)
        return [
            self._to_completion(prompt, tokens, latency)
            for prompt, tokens in zip(prompts, drawn, strict=True)
        ]

    def _row_steps(
        self, prompts: list[list[int]], counts: list[int], params: SamplingParams, landed: Landed
    ) -> RowSteps:
        """The `generate_batch` callback that hands each ended row to `landed` as completions
        of the conversations it stands for (a prompt with `counts[row]` repeats)."""
        firsts = list(itertools.accumulate([0, *counts[:-1]]))
        started = time.perf_counter()

        def land(row: int, drawn: list[list[int]]) -> None:
            indices = list(range(firsts[row], firsts[row] + counts[row]))
            tokens = expand_repeats([drawn], [counts[row]], params.greedy)
            latency = (time.perf_counter() - started) / len(prompts)
            landed(
                indices,
                [
                    self._to_completion(prompts[i], t, latency)
                    for i, t in zip(indices, tokens, strict=True)
                ],
            )

        return RowSteps(1 if params.greedy else counts[0], land)

    def _open_engine(self) -> Any:
        return ctranslate2.Generator(
            self.model_dir,
            device="cpu",
            compute_type=self.compute_type,
            intra_threads=self.num_threads,
        )

    def _run(
        self,
        engine: Any,
        prompts: list[list[int]],
        params: SamplingParams,
        hypotheses: int,
        steps: RowSteps | None,
    ) -> list[list[list[int]]]:
        tokens = [self.tokenizer.convert_ids_to_tokens(prompt) for prompt in prompts]
        options = generation_options(params, hypotheses, self.eos_token_ids)
        # Counted in prompts; each prompt decodes `hypotheses` sequences.
        options["max_batch_size"] = max(1, self.batch_size // hypotheses)
        if steps is not None:  # token by token, so rows are reported as they end
            options["callback"] = steps
        results = engine.generate_batch(tokens, **options)
        return [list(result.sequences_ids) for result in results]

    def _to_completion(self, prompt: list[int], tokens: list[int], latency: float) -> Completion:
        end = find_eos(tokens, self.eos_token_ids)
        return Completion(
            text=self.tokenizer.decode(
                tokens if end is None else tokens[:end], skip_special_tokens=True
            ),
            prompt_tokens=len(prompt),
            completion_tokens=len(tokens) if end is None else end + 1,
            finish_reason="length" if end is None else "stop",
            latency_s=latency,
        )


def local_model_dir(model: str) -> Path:
    """The directory to convert or load: `model` itself, or the default model's HF copy."""
    if model == DEFAULT_MODEL:
        return Path(prepare_default_model())
    path = Path(model).expanduser() if model else None
    if path is None or not path.is_dir():
        raise SamplerError(
            f"the ctranslate2 backend needs a local model directory (or 'default'), got {model!r}"
        )
    return path


def generation_options(
    params: SamplingParams, hypotheses: int, eos_token_ids: list[int]
) -> dict[str, Any]:
    """`generate_batch` options: plain temperature / top-p sampling, or greedy.

    >>> generation_options(SamplingParams(max_new_tokens=8), 4, [2])["sampling_topk"]
    0
    """
    options: dict[str, Any] = {
        "max_length": params.max_new_tokens,  # new tokens: the prompt is not in the result
        "include_prompt_in_result": False,
        "end_token": eos_token_ids,
        "return_end_token": True,  # tells a stop from running out of tokens
        "num_hypotheses": hypotheses,
    }
    if params.greedy:
        return {**options, "sampling_topk": 1}
    # sampling_topk defaults to 1 (greedy); 0 samples from the whole vocabulary.
    return {
        **options,
        "sampling_topk": 0,
        "sampling_topp": params.top_p,
        "sampling_temperature": params.temperature,
    }


def group_repeats(prompts: list[list[int]]) -> tuple[list[list[int]], list[int]]:
    """Consecutive runs of equal prompts, as (one prompt per run, run lengths).

    >>> group_repeats([[1], [1], [2], [1]])
    ([[1], [2], [1]], [2, 1, 1])
    """
    unique: list[list[int]] = []
    counts: list[int] = []
    for prompt in prompts:
        if unique and unique[-1] == prompt:
            counts[-1] += 1
        else:
            unique.append(prompt)
            counts.append(1)
    return unique, counts


def expand_repeats(rows: list[list[list[int]]], counts: list[int], greedy: bool) -> list[list[int]]:
    """One token list per original prompt: each run's hypotheses in order (greedy: copies).

    >>> expand_repeats([[[5], [6]], [[7], [8]]], [2, 2], greedy=False)
    [[5], [6], [7], [8]]
    >>> expand_repeats([[[5]]], [3], greedy=True)
    [[5], [5], [5]]
    """
    drawn: list[list[int]] = []
    for hypotheses, count in zip(rows, counts, strict=True):
        drawn += [hypotheses[0]] * count if greedy else hypotheses[:count]
    return drawn


def engine_seed(seed: int) -> int:
    """A 31-bit engine seed from any int (CTranslate2 treats 2**32 - 1 as "no seed").

    >>> engine_seed(0) == engine_seed(0) != engine_seed(1)
    True
    """
    digest = hashlib.sha256(f"ctranslate2:{seed}".encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


def read_eos_token_ids(directory: Path, tokenizer: Any) -> list[int]:
    """The tokens that end a turn: `generation_config.json`'s EOS ids and the tokenizer's."""
    ids: list[Any] = [tokenizer.eos_token_id]
    config_file = directory / "generation_config.json"
    if config_file.is_file():
        configured = json.loads(config_file.read_text()).get("eos_token_id")
        ids += configured if isinstance(configured, list) else [configured]
    unique = sorted({int(token) for token in ids if token is not None})
    if not unique:
        raise SamplerError("the model has no end-of-sequence token; cannot tell when to stop")
    return unique


def default_engine_cache() -> Path:
    """Where converted models go unless told otherwise: `<reasonloop cache>/ctranslate2`."""
    return default_cache_dir() / "ctranslate2"


def _check_compute_type(compute_type: str) -> None:
    if compute_type not in COMPUTE_TYPES:
        raise SamplerError(
            f"unknown compute_type {compute_type!r} for the ctranslate2 backend; "
            f"choose {' or '.join(COMPUTE_TYPES)}"
        )
