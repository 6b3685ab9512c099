"""Per-example LoRA gradients on a tiny model: masking, Adam preconditioning by hand."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("peft")

from reasonloop.curate.select.checkpoint import (  # noqa: E402
    AdamState,
    Checkpoint,
    LoraShape,
    adam_state_dict,
    load_base,
)
from reasonloop.curate.select.features import (  # noqa: E402
    adam_precondition,
    encode,
    example_gradient,
)
from reasonloop.curate.select.rows import Example  # noqa: E402

# peft asks transformers a deprecated question when it wraps a model (as in tests/train).
A = Example(
    "a",
    [{"role": "user", "content": "What is 47 + 38?"}],
    [{"role": "assistant", "content": "47 + 38 = 85. The answer is 85."}],
)
B = Example(
    "b",
    [{"role": "user", "content": "How many clips did Natalia sell?"}],
    [{"role": "assistant", "content": "The answer is 72."}],
)


@pytest.fixture(scope="module")
def base(tiny_model_dir: str) -> Checkpoint:
    return load_base(tiny_model_dir, LoraShape(rank=4, alpha=8))


def test_encode_masks_the_prompt_and_keeps_the_completion(base: Checkpoint) -> None:
    ids, labels = encode(base.tokenizer, B, max_length=512)
    masked = labels.count(-100)
    assert 0 < masked < len(ids)
    completion = base.tokenizer.decode(ids[masked:])
    assert completion.startswith("The answer is 72.")
    short_ids, short_labels = encode(base.tokenizer, B, max_length=masked + 2)
    assert len(short_ids) == masked + 2 and short_labels[-2:] == ids[masked : masked + 2]


def test_a_prompt_longer_than_the_limit_keeps_the_end(base: Checkpoint) -> None:
    ids, labels = encode(base.tokenizer, B, max_length=5)
    full, _ = encode(base.tokenizer, B, max_length=512)
    assert ids == full[-5:] and labels[-1] != -100


def test_adam_preconditioning_matches_a_hand_computation(base: Checkpoint) -> None:
    model = base.model
    parameters = [p for _, p in model.named_parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=1e-3, betas=(0.8, 0.95), eps=1e-6)
    g_a = example_gradient(base, A, 128)
    optimizer.step()  # one step from zero moments: exp_avg = (1-b1) g_a, exp_avg_sq = (1-b2) g_a^2
    saved = adam_state_dict(model, optimizer)
    assert (saved["beta1"], saved["beta2"], saved["eps"]) == (0.8, 0.95, 1e-6)
    adam = AdamState(
        tuple(saved["exp_avg"][n] for n in base.names),
        tuple(saved["exp_avg_sq"][n] for n in base.names),
        saved["beta1"],
        saved["beta2"],
        saved["eps"],
    )
    g_b = example_gradient(base, B, 128)
    feature = adam_precondition(g_b, adam)
    nonzero = torch.nonzero(g_a * g_b).reshape(-1)[:20].tolist()
    assert len(nonzero) == 20
    for i in nonzero:
        a, b = float(g_a[i]), float(g_b[i])
        m = 0.8 * (0.2 * a) + 0.2 * b
        v = 0.95 * (0.05 * a * a) + 0.05 * b * b
        assert float(feature[i]) == pytest.approx(m / math.sqrt(v + 1e-6), rel=1e-4)


def test_gradients_are_per_example_and_repeatable(base: Checkpoint) -> None:
    first = example_gradient(base, A, 128)
    assert torch.equal(first, example_gradient(base, A, 128))  # no leftover accumulation
    assert not torch.equal(first, example_gradient(base, B, 128))
    # LoRA starts with B = 0, so only the B matrices get a gradient at the base model.
    sizes = [p.numel() for n, p in base.model.named_parameters() if p.requires_grad]
    assert first.numel() == sum(sizes) and float(first.abs().sum()) > 0


@pytest.mark.parametrize(("example", "max_length"), [(A, 128), (B, 128), (B, 6)])
def test_the_gradient_equals_the_one_of_hf_s_masked_loss(
    tiny_model_dir: str, example: Example, max_length: int
) -> None:
    # A warm checkpoint stand-in: LoRA B moved off zero, so both A and B have gradients.
    checkpoint = load_base(tiny_model_dir, LoraShape(rank=4, alpha=8))
    with torch.no_grad():
        for parameter in checkpoint.model.parameters():
            if parameter.requires_grad:
                parameter.add_(0.05 * torch.randn_like(parameter))
    ours = example_gradient(checkpoint, example, max_length)
    ids, labels = encode(checkpoint.tokenizer, example, max_length)
    model = checkpoint.model
    model.zero_grad(set_to_none=True)
    model(input_ids=torch.tensor([ids]), labels=torch.tensor([labels])).loss.backward()
    parameters = dict(model.named_parameters())
    reference = torch.cat([parameters[n].grad.reshape(-1) for n in checkpoint.names])
    assert ours.abs().max() > 0
    assert torch.allclose(ours, reference, rtol=1e-4, atol=1e-6)
