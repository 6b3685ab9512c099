"""Loading a resolved model with transformers, and the plain HF directory each model becomes.

Sampling (the transformers backend) and training load models through these two functions, and
a GGUF file is converted to a plain float32 directory in one place: the embedded default once
into the user's cache (~540 MB), any other GGUF once next to the run that uses it. transformers
de-quantizes a GGUF on every load, which takes a minute or more on a small CPU; the converted
directory loads in seconds. A GGUF file sampled directly (`--model X.gguf`) is converted once
into the user's cache, keyed by its content (`cached_gguf_dir`).

transformers is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from reasonloop.backends.source import ModelSource, ModelSourceError, resolve_model_source
from reasonloop.files import hash_file

CONVERTED_DIR_NAME = "SmolLM2-135M-Instruct.Q4_1-float32"


def load_hf_model(source: ModelSource, *, dtype: Any = "float32", **options: Any) -> Any:
    """The causal LM of `source` (GGUF weights de-quantized to dense tensors)."""
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = {"dtype": dtype, **options}
    if source.gguf_file:
        kwargs.update(gguf_file=source.gguf_file, **_dequantized_gguf())
    try:
        model = AutoModelForCausalLM.from_pretrained(source.path, **kwargs)
    except (OSError, ValueError) as error:
        raise cannot_load(source, error) from error
    if source.gguf_file:
        forget_gguf_origin(model)
    return model


def load_hf_tokenizer(source: ModelSource, **options: Any) -> Any:
    """The tokenizer of `source`, with a pad token (EOS when it has none)."""
    from transformers import AutoTokenizer

    kwargs: dict[str, Any] = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.path, **kwargs, **options)
    except (OSError, ValueError) as error:
        raise cannot_load(source, error) from error
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def forget_gguf_origin(model: Any) -> None:
    """Let a model loaded from a GGUF be saved (and fine-tuned, then saved) like any other.

    transformers keeps a GGUF "quantizer" on the model that refuses `save_pretrained` (and
    makes Trainer refuse the model as "purely quantized"), though the weights are already
    de-quantized to plain float tensors.
    """
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config


def cannot_load(source: ModelSource, error: Exception) -> ModelSourceError:
    return ModelSourceError(
        f"cannot load model {source.describe()!r}: it must be a local model directory, a .gguf "
        "file, or a hub id already in the Hugging Face cache (there is no download here). "
        f"Cause: {error}"
    )


def default_cache_dir() -> Path:
    """`$REASONLOOP_CACHE_DIR`, else `$XDG_CACHE_HOME/reasonloop`, else `~/.cache/reasonloop`."""
    if os.environ.get("REASONLOOP_CACHE_DIR"):
        return Path(os.environ["REASONLOOP_CACHE_DIR"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "reasonloop"


def prepare_model_dir(model: str, out_dir: str | Path) -> str:
    """A plain HF directory holding `model`, which every backend and trainer loads fast.

    A directory or hub id is returned as it is. The default model is converted once into the
    user's cache (`prepare_default_model`); any other GGUF file once into `out_dir`.
    """
    source = resolve_model_source(model)
    if source.gguf_file is None:
        return source.path
    if source.is_default:
        return prepare_default_model()
    return convert_gguf(source, Path(out_dir))


def prepare_default_model(cache_dir: str | Path | None = None) -> str:
    """A plain HF model directory holding the default model, converted from the GGUF once.

    Load it with `AutoModelForCausalLM.from_pretrained(path)` (and `AutoTokenizer`), e.g. to
    fine-tune the default model. Safe when several processes convert at the same time.
    """
    source = resolve_model_source("default")
    if source.gguf_file is None:
        return source.path  # a stand-in default that is a directory already
    target = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return convert_gguf(source, target / CONVERTED_DIR_NAME)


def cached_gguf_dir(source: ModelSource, cache_dir: str | Path | None = None) -> str:
    """A GGUF file converted once into the user's cache (`<cache>/gguf/<name>-<sha256>`), so
    the next `--model X.gguf` loads the plain directory instead of de-quantizing again."""
    if source.gguf_file is None:
        raise ValueError(f"{source.describe()} is not a GGUF file")
    path = Path(source.describe())
    key = hash_file(path)[:16]
    root = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return convert_gguf(source, root / "gguf" / f"{path.stem}-{key}")


def convert_gguf(source: ModelSource, target: Path) -> str:
    """Save the GGUF `source` as a float32 HF directory at `target` (kept when it exists).

    The copy is written to a staging directory and renamed: readers never see half of it, and
    when two processes convert at once, the first rename wins and the other copy is dropped.
    """
    if (target / "config.json").is_file():
        return str(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".converting-"))
    except OSError as error:
        raise ModelSourceError(
            f"cannot write the converted model under {target.parent} ({error}); "
            "set REASONLOOP_CACHE_DIR to a writable directory"
        ) from error
    try:
        load_hf_model(source).save_pretrained(staging)
        load_hf_tokenizer(source).save_pretrained(staging)
        staging.rename(target)
    except OSError:
        if not (target / "config.json").is_file():
            raise
        # Another process finished the same conversion first; its copy is as good as ours.
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return str(target)


def _dequantized_gguf() -> dict[str, Any]:
    """transformers >= 5.x can keep GGUF weights packed (not trainable); ask for dense ones."""
    try:
        from transformers.utils.quantization_config import GgufConfig
    except ImportError:  # older transformers always de-quantize GGUF files
        return {}
    return {"quantization_config": GgufConfig(dequantize=True)}
