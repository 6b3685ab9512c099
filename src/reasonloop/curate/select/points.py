"""The files of one warm-up checkpoint, shared by the warm-up that writes them
(`warmup_saver`) and the loader that reads them back (`checkpoint`).

A checkpoint is a directory holding the LoRA adapter (PEFT's files) and `MOMENTS`, the
optimizer's Adam moments by parameter name; several checkpoints sit in `checkpoint-1` ...
`checkpoint-C` beside `POINTS`, which lists each one's directory, step and mean rate.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reasonloop.errors import DataError

MOMENTS = "adam_moments.pt"
POINTS = "checkpoints.json"  # several checkpoints: each one's directory, step and mean rate


def save_point(trainer: Any, path: Path) -> None:
    """The trainer's adapter and its optimizer's Adam moments, saved in `path`."""
    import torch

    peft_model = trainer.accelerator.unwrap_model(trainer.model)
    peft_model.save_pretrained(path)
    torch.save(adam_state_dict(peft_model, trainer.optimizer), path / MOMENTS)


def adam_state_dict(model: Any, optimizer: Any) -> dict[str, Any]:
    """The Adam(W) moments of `model`'s trainable parameters, by parameter name."""
    group = optimizer.param_groups[0]
    state = optimizer.state
    exp_avg, exp_avg_sq = {}, {}
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            if parameter not in state or "exp_avg" not in state[parameter]:
                raise DataError(f"the warm-up optimizer has no Adam state for {name}")
            exp_avg[name] = state[parameter]["exp_avg"].detach().clone()
            exp_avg_sq[name] = state[parameter]["exp_avg_sq"].detach().clone()
    beta1, beta2 = group["betas"]
    return {
        "exp_avg": exp_avg,
        "exp_avg_sq": exp_avg_sq,
        "beta1": beta1,
        "beta2": beta2,
        "eps": group["eps"],
    }
