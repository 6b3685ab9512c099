"""A tiny chat model built offline in about a second, for backend and trainer tests.

Use the `tiny_model_dir` fixture from `tests/conftest.py` (built once per test session), or
call `build_tiny_model(directory)` yourself (e.g. to get a fresh copy to train)::

    from tiny_model import build_tiny_model   # tests/ is on sys.path under pytest
    model_dir = build_tiny_model(tmp_path / "tiny")
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)

What you get in `directory` (a plain HF model dir, loadable with `Auto*.from_pretrained`):

- a 2-layer Llama (hidden 32, 4 heads, untied lm_head, about 44k parameters), random weights
  from a fixed seed, so the same directory is built every time;
- a byte-level BPE tokenizer (about 400 tokens, trained on a few arithmetic sentences) with
  SmolLM2's ChatML chat template and special tokens: `<|endoftext|>` = 0, `<|im_start|>` = 1,
  `<|im_end|>` = 2 (eos and pad), so prompts look like the real default model's prompts;
- `generation_config.json` with eos 2, pad 2, and no sampling defaults.

Weights are random (initializer_range 0.2, so replies depend on the prompt); greedy replies to
some prompts end on EOS within a few tokens, most run to `max_new_tokens`.
Loading the real SmolLM2 tokenizer from its GGUF takes ~30 s, which is why this one is built.
"""

from __future__ import annotations

from pathlib import Path

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
EOS_TOKEN = "<|im_end|>"
EOS_TOKEN_ID = 2

# SmolLM2-135M-Instruct's chat template (as read from its GGUF), with a shorter default system.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
    "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

_CORPUS = [
    "What is 47 + 38? 47 + 38 = 85. The answer is 85.",
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many in May.",
    "How many clips did Natalia sell altogether in April and May? The answer is 72.",
    "You are a helpful assistant. Solve the problem step by step.",
    "Put your final answer within \\boxed{}. #### 18",
    "system user assistant 0 1 2 3 4 5 6 7 8 9 + - * / = ( ) . , ? !",
]


def build_tiny_tokenizer(vocab_size: int = 400) -> object:
    """A byte-level BPE `PreTrainedTokenizerFast` with ChatML specials and chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    backend.train_from_iterator(_CORPUS * 4, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token=EOS_TOKEN,
        pad_token=EOS_TOKEN,
        bos_token="<|im_start|>",
        unk_token="<|endoftext|>",
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    assert tokenizer.convert_tokens_to_ids(EOS_TOKEN) == EOS_TOKEN_ID
    return tokenizer


def build_tiny_model(
    directory: str | Path, *, seed: int = 0, hidden_size: int = 32, num_attention_heads: int = 4
) -> str:
    """Write a tiny Llama chat model (weights, tokenizer, generation config) to `directory`.

    GPU engines want common head sizes: vLLM tests use hidden_size=256, num_attention_heads=4
    (head size 64).
    """
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    tokenizer = build_tiny_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),  # type: ignore[arg-type]
        hidden_size=hidden_size,
        intermediate_size=2 * hidden_size,
        num_hidden_layers=2,
        num_attention_heads=num_attention_heads,
        num_key_value_heads=max(1, num_attention_heads // 2),
        max_position_embeddings=1024,
        # Larger than the usual 0.02 so greedy replies depend on the prompt (and some end on
        # EOS early) instead of every prompt getting the same reply.
        initializer_range=0.2,
        tie_word_embeddings=False,
        bos_token_id=1,
        eos_token_id=EOS_TOKEN_ID,
        pad_token_id=EOS_TOKEN_ID,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config = GenerationConfig(
        bos_token_id=1, eos_token_id=EOS_TOKEN_ID, pad_token_id=EOS_TOKEN_ID
    )
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)  # type: ignore[attr-defined]
    return str(directory)
