"""The CTranslate2 engine backend on the tiny local model (conversion, k samples, seeds, EOS)."""

from __future__ import annotations

import logging
import re
import shutil
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")
pytest.importorskip("transformers")

from reasonloop.backends import Sampler, SamplerError, SamplingParams, load_sampler  # noqa: E402
from reasonloop.backends.base import Completion  # noqa: E402
from reasonloop.backends.ctranslate2 import (  # noqa: E402
    CTranslate2Sampler,
    EngineConversionError,
    convert_model,
    is_converted,
)
from tiny_model import EOS_TOKEN_ID, build_tiny_tokenizer  # noqa: E402

QUESTIONS = [
    "What is 47 + 38?",
    "How many clips?",
    "Hello",
    "Natalia sold clips",
    "You are",
    "What is 1 + 1?",
]


def chat(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def engine_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("engine-cache"))


@pytest.fixture(scope="module")
def sampler(tiny_model_dir: str, engine_cache: str) -> CTranslate2Sampler:
    return CTranslate2Sampler(tiny_model_dir, cache_dir=engine_cache, num_threads=1)


def texts(sampler: Sampler, conversations: list, params: SamplingParams) -> list[str]:
    return [completion.text for completion in sampler.generate(conversations, params)]


def test_conversion_is_cached_by_weights(tiny_model_dir: str, tmp_path: Path) -> None:
    first = convert_model(tiny_model_dir, tmp_path, quantization="int8")
    again = convert_model(tiny_model_dir, tmp_path, quantization="int8")
    assert (first.cached, again.cached) == (False, True)
    assert again.path == first.path and is_converted(first.path)
    # Self-contained: the tokenizer and generation config travel with the converted copy.
    assert (Path(first.path) / "tokenizer.json").is_file()
    assert (Path(first.path) / "generation_config.json").is_file()
    other_precision = convert_model(tiny_model_dir, tmp_path, quantization="float32")
    assert other_precision.path != first.path
    # New weights (a trained checkpoint) get their own copy; nothing half-written is left.
    changed = Path(shutil.copytree(tiny_model_dir, tmp_path / "changed"))
    weights = changed / "model.safetensors"
    weights.write_bytes(
        weights.read_bytes()[:-4] + b"\x00\x00\x00\x40"
    )  # last norm weight 1.0 -> 2.0
    assert convert_model(changed, tmp_path).path != first.path
    assert not list(tmp_path.glob(".converting-*"))


def test_a_conversion_shows_a_labelled_bar_with_its_time(
    tiny_model_dir: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The converter reports nothing while it works: the bar says what runs and for how long.
    convert_model(tiny_model_dir, tmp_path, quantization="int8")
    name = Path(tiny_model_dir).name
    assert re.search(
        rf"convert {re.escape(name)} for the CPU engine \(int8, once\): done in \d\d:\d\d",
        capsys.readouterr().err,
    )
    convert_model(tiny_model_dir, tmp_path, quantization="int8")  # cached: nothing to wait for
    convert_model(tiny_model_dir, tmp_path / "quiet", quantization="int8", progress=False)
    assert "for the CPU engine" not in capsys.readouterr().err


def test_the_elapsed_bar_ticks_while_the_call_runs_and_closes_on_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import time

    from reasonloop.backends.ctranslate2 import elapsed_bar

    with pytest.raises(KeyError), elapsed_bar("convert m", every=0.01):
        time.sleep(0.1)
        raise KeyError("converter failed")
    err = capsys.readouterr().err
    assert err.count("convert m: 00:00 so far") >= 2 and "done" not in err
    assert not [t for t in threading.enumerate() if t.name == "reasonloop-elapsed"]


def test_a_converted_directory_loads_directly(
    sampler: CTranslate2Sampler, engine_cache: str
) -> None:
    direct = CTranslate2Sampler(sampler.model_dir, cache_dir=engine_cache + "-unused")
    params = SamplingParams(max_new_tokens=8, temperature=0.0)
    conversations = [chat(q) for q in QUESTIONS]
    assert texts(direct, conversations, params) == texts(sampler, conversations, params)
    assert not Path(engine_cache + "-unused").exists()


def test_greedy_matches_transformers_in_float32(tiny_model_dir: str, engine_cache: str) -> None:
    # An independent reference: HF generate on the same weights, both in float32.
    from reasonloop.backends.transformers import TransformersSampler

    engine = CTranslate2Sampler(tiny_model_dir, compute_type="float32", cache_dir=engine_cache)
    reference = TransformersSampler(tiny_model_dir, dtype="float32")
    conversations = [chat(q) for q in QUESTIONS]
    params = SamplingParams(max_new_tokens=12, temperature=0.0)
    got = engine.generate(conversations, params)
    want = reference.generate(conversations, params)
    assert [(c.text, c.completion_tokens, c.finish_reason) for c in got] == [
        (c.text, c.completion_tokens, c.finish_reason) for c in want
    ]


@pytest.mark.parametrize(
    ("repeats", "temperature"),
    [([1] * 6, 0.0), ([3] * 6, 0.9), ([2, 1, 3, 1, 2, 1], 0.9), ([2] * 6, 0.0)],
    ids=["greedy", "k-equal", "k-unequal", "greedy-repeats"],
)
def test_samples_land_as_they_finish_and_are_the_batch_s_own(
    tiny_model_dir: str, engine_cache: str, repeats: list[int], temperature: float
) -> None:
    # What a Ctrl-C keeps before the batch returns: each row once, as the engine returns it.
    small = CTranslate2Sampler(tiny_model_dir, cache_dir=engine_cache, num_threads=1, batch_size=4)
    conversations = [chat(q) for q, n in zip(QUESTIONS, repeats, strict=True) for _ in range(n)]
    params = SamplingParams(max_new_tokens=40, temperature=temperature, seed=5)
    landed: dict[int, str] = {}
    lock = threading.Lock()

    def land(indices: Sequence[int], completions: Sequence[Completion]) -> None:
        with lock:
            assert not set(indices) & set(landed), "a sample landed twice"
            landed.update({i: c.text for i, c in zip(indices, completions, strict=True)})

    final = small.generate_landing(conversations, params, land)
    assert landed == dict(enumerate(c.text for c in final))
    # Reporting them early changes no sample: the same seed gives the same batch without it.
    assert [c.text for c in small.generate(conversations, params)] == [c.text for c in final]


def test_k_copies_are_k_different_samples(sampler: CTranslate2Sampler) -> None:
    conversations = [chat(QUESTIONS[0])] * 4 + [chat(QUESTIONS[1])] * 4
    completions = sampler.generate(conversations, SamplingParams(max_new_tokens=12, seed=1))
    assert len(completions) == 8
    assert len({c.text for c in completions[:4]}) == 4
    assert len({c.text for c in completions[4:]}) == 4
    assert all(c.prompt_tokens == completions[0].prompt_tokens for c in completions[:4])


@pytest.mark.parametrize(
    "conversations",
    [
        [chat(QUESTIONS[0])] * 3 + [chat(QUESTIONS[1])] * 3,  # equal repeats: num_hypotheses
        [chat(QUESTIONS[0])] * 3 + [chat(QUESTIONS[1])] * 2,  # unequal: one row each
        [chat(q) for q in QUESTIONS],
    ],
)
def test_same_seed_same_samples_whatever_ran_before(
    sampler: CTranslate2Sampler, tiny_model_dir: str, engine_cache: str, conversations: list
) -> None:
    params = SamplingParams(max_new_tokens=12, temperature=1.0, seed=7)
    first = texts(sampler, conversations, params)
    sampler.generate([chat("Hello")] * 5, SamplingParams(max_new_tokens=9, seed=7))
    assert texts(sampler, conversations, params) == first
    fresh = CTranslate2Sampler(tiny_model_dir, cache_dir=engine_cache, num_threads=1)
    assert texts(fresh, conversations, params) == first
    other_seed = texts(sampler, conversations, SamplingParams(max_new_tokens=12, seed=8))
    assert other_seed != first


def test_calls_larger_than_a_batch_are_split(tiny_model_dir: str, engine_cache: str) -> None:
    small = CTranslate2Sampler(tiny_model_dir, cache_dir=engine_cache, batch_size=3)
    conversations = [chat(q) for q in QUESTIONS for _ in range(2)]
    params = SamplingParams(max_new_tokens=12, seed=5)
    first = texts(small, conversations, params)
    assert len(first) == 12 and len(set(first)) == 12
    assert texts(small, conversations, params) == first
    greedy = SamplingParams(max_new_tokens=12, temperature=0.0)
    assert texts(small, conversations, greedy)[::2] == [
        texts(small, [chat(q)], greedy)[0] for q in QUESTIONS
    ]


def test_greedy_copies_are_identical(sampler: CTranslate2Sampler) -> None:
    conversations = [chat(QUESTIONS[0])] * 3 + [chat(QUESTIONS[2])]
    got = texts(sampler, conversations, SamplingParams(max_new_tokens=10, temperature=0.0))
    assert got[0] == got[1] == got[2]
    assert got[3] == texts(sampler, [chat(QUESTIONS[2])], SamplingParams(10, temperature=0.0))[0]


def test_stops_at_eos_and_reports_finish_reasons(sampler: CTranslate2Sampler) -> None:
    params = SamplingParams(max_new_tokens=16, temperature=0.0)
    completions = sampler.generate([chat(q) for q in QUESTIONS], params)
    # The tiny model ends some replies early (EOS counted, as servers do; not in the text).
    stopped = [c for c in completions if c.finish_reason == "stop"]
    assert any(c.completion_tokens < params.max_new_tokens for c in stopped)
    assert all(c.completion_tokens <= params.max_new_tokens for c in stopped)
    assert all("<|im_end|>" not in c.text for c in stopped)
    ran_out = [c for c in completions if c.finish_reason == "length"]
    assert ran_out and all(c.completion_tokens == params.max_new_tokens for c in ran_out)
    short = sampler.generate([chat(q) for q in QUESTIONS], SamplingParams(1, temperature=0.0))
    assert {(c.completion_tokens, c.finish_reason) for c in short} == {(1, "length")}


def test_registry_builds_the_engine(tiny_model_dir: str, engine_cache: str) -> None:
    sampler = load_sampler("ctranslate2", tiny_model_dir, cache_dir=engine_cache, num_threads=1)
    assert sampler.model_id == f"ctranslate2:{tiny_model_dir}"
    assert sampler.generate([], SamplingParams()) == []


def build_unconvertible_model(directory: Path) -> str:
    """A tiny GPT-Neo: transformers runs it, CTranslate2 has no converter for it."""
    from transformers import GPTNeoConfig, GPTNeoForCausalLM

    tokenizer = build_tiny_tokenizer()
    config = GPTNeoConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_layers=2,
        num_heads=4,
        attention_types=[[["global"], 2]],
        max_position_embeddings=256,
        bos_token_id=1,
        eos_token_id=EOS_TOKEN_ID,
    )
    GPTNeoForCausalLM(config).save_pretrained(directory)
    tokenizer.save_pretrained(directory)  # type: ignore[attr-defined]
    return str(directory)


def test_a_model_the_engine_cannot_convert(tmp_path: Path) -> None:
    model = build_unconvertible_model(tmp_path / "neo")
    with pytest.raises(EngineConversionError, match="GPTNeoConfig.*transformers backend"):
        CTranslate2Sampler(model, cache_dir=str(tmp_path / "cache"))
    assert not list((tmp_path / "cache").glob("*"))  # nothing half-written left behind


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        ("", {}, "needs a local model directory"),
        ("/no/such/model", {}, "needs a local model directory"),
        ("TINY", {"compute_type": "bfloat16"}, "unknown compute_type 'bfloat16'"),
        ("TINY", {"num_threads": 0}, "num_threads must be at least 1"),
        ("TINY", {"batch_size": 0}, "batch_size must be at least 1"),
    ],
)
def test_bad_options_fail_clearly(
    tiny_model_dir: str, engine_cache: str, model: str, options: dict, message: str
) -> None:
    model = tiny_model_dir if model == "TINY" else model
    with pytest.raises(SamplerError, match=message):
        CTranslate2Sampler(model, cache_dir=engine_cache, **options)


def test_a_directory_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(SamplerError, match="not a Hugging Face model directory"):
        CTranslate2Sampler(str(tmp_path), cache_dir=str(tmp_path / "cache"))


# The embedded default runs on the engine; a stand-in default model (a local directory named by
# $REASONLOOP_DEFAULT_MODEL) goes through the same resolver path.


@pytest.fixture
def stand_in_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[str], None]:
    monkeypatch.setenv("REASONLOOP_CACHE_DIR", str(tmp_path / "cache"))

    def use(model_dir: str) -> None:
        monkeypatch.setenv("REASONLOOP_DEFAULT_MODEL", model_dir)

    return use


def test_the_default_model_samples_on_the_engine(
    stand_in_default: Callable[[str], None], tiny_model_dir: str, tmp_path: Path
) -> None:
    stand_in_default(tiny_model_dir)
    default = load_sampler("default", "", num_threads=1)
    assert list((tmp_path / "cache" / "ctranslate2").glob("*-int8-*"))
    engine = CTranslate2Sampler(tiny_model_dir, cache_dir=str(tmp_path / "cache" / "ctranslate2"))
    conversations = [chat(q) for q in QUESTIONS]
    params = SamplingParams(max_new_tokens=8, seed=3)
    assert texts(default, conversations, params) == texts(engine, conversations, params)
    load_sampler("default", "", compute_type="float32")
    assert list((tmp_path / "cache" / "ctranslate2").glob("*-float32-*"))
    by_name = load_sampler("ctranslate2", "default", num_threads=1)
    assert texts(by_name, conversations, params) == texts(engine, conversations, params)


def test_the_default_falls_back_to_transformers_with_a_notice(
    stand_in_default: Callable[[str], None], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stand_in_default(build_unconvertible_model(tmp_path / "neo"))
    with caplog.at_level(logging.WARNING):
        sampler = load_sampler("default", "", batch_size=2)
    notices = [record.getMessage() for record in caplog.records]
    assert len(notices) == 1 and "\n" not in notices[0]
    assert notices[0].startswith("CPU engine unavailable (CTranslate2 cannot convert")
    assert notices[0].endswith("sampling with transformers instead")
    completions = sampler.generate([chat("Hello")] * 2, SamplingParams(max_new_tokens=4))
    assert [c.completion_tokens for c in completions] == [4, 4]
    with pytest.raises(SamplerError, match="CPU engine cannot run the default model.*GPTNeo"):
        load_sampler("default", "", engine="ctranslate2")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "llama.cpp"}, "unknown engine 'llama.cpp'"),
        ({"dtype": "float32"}, "dtype apply to engine='transformers'"),
        ({"engine": "ctranslate2", "device": "cpu"}, "device apply to engine='transformers'"),
    ],
)
def test_default_engine_options_fail_clearly(
    stand_in_default: Callable[[str], None], tiny_model_dir: str, options: dict, message: str
) -> None:
    stand_in_default(tiny_model_dir)
    with pytest.raises(SamplerError, match=message):
        load_sampler("default", "", **options)


def test_the_default_on_transformers_when_asked(
    stand_in_default: Callable[[str], None], tiny_model_dir: str, tmp_path: Path
) -> None:
    stand_in_default(tiny_model_dir)
    sampler = load_sampler("default", "", engine="transformers", dtype="float32")
    completions = sampler.generate([chat("Hello")], SamplingParams(max_new_tokens=3))
    assert completions[0].completion_tokens <= 3
    assert not (tmp_path / "cache" / "ctranslate2").exists()


def test_continues_a_partial_assistant_turn(sampler: CTranslate2Sampler) -> None:
    # K rollouts of one step prefix: one prompt (the chat opened by the prefix) with K
    # hypotheses; reproducible from the call's seed.
    from reasonloop.backends.transformers import encode_prompt

    prefix = "47 + 38 = 85.\n\n"
    conversation = [*chat("What is 47 + 38?"), {"role": "assistant", "content": prefix}]
    ids = encode_prompt(sampler.tokenizer, conversation)
    assert sampler.tokenizer.decode(ids).endswith("<|im_start|>assistant\n" + prefix)
    params = SamplingParams(max_new_tokens=4, seed=3)
    completions = sampler.generate([conversation] * 3, params)
    assert [c.prompt_tokens for c in completions] == [len(ids)] * 3
    assert texts(sampler, [conversation] * 3, params) == [c.text for c in completions]
