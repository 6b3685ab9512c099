"""`reasonloop train`: fine-tune a model through TRL on a dataset made by `reasonloop build`.

Options come from the trainer's config dataclass; `--config FILE.yaml` sets any of them, and
the flags given on the command line override the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reasonloop.errors import ConfigError
from reasonloop.train.config import TRAIN_METHODS, VLLM_MODES

# flag dest -> config field, for the flags that override the config file.
OVERRIDES = {
    "epochs": "epochs",
    "lr": "learning_rate",
    "batch_size": "batch_size",
    "grad_accum": "gradient_accumulation_steps",
    "max_steps": "max_steps",
    "max_length": "max_length",
    "seed": "seed",
    "lora": "lora",
    "lora_rank": "lora_rank",
    "beta": "beta",
    "num_generations": "num_generations",
    "max_completion_length": "max_completion_length",
    "vllm": "vllm",
    "vllm_server_url": "vllm_server_url",
    "soft_labels": "soft_labels",
    "top_layers": "top_layers",
    "prm": "prm",
    "prm_credit": "prm_credit",
    "prm_verifiable": "prm_verifiable",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", nargs="?", choices=TRAIN_METHODS, help="which trainer")
    parser.add_argument(
        "--method", choices=TRAIN_METHODS, help="which trainer (the same as the positional one)"
    )
    parser.add_argument(
        "--model",
        required=True,
        help="'default' (embedded SmolLM2-135M GGUF), a model directory, a .gguf file or hub id",
    )
    parser.add_argument("--data", required=True, metavar="FILE", help="dataset .jsonl/.parquet")
    parser.add_argument("-o", "--out", required=True, metavar="DIR", help="where to save the model")
    parser.add_argument("--config", metavar="YAML", help="training options file")
    group = parser.add_argument_group("training (override --config)")
    group.add_argument("--epochs", type=float, help="passes over the data (default 1)")
    group.add_argument("--lr", type=float, help="learning rate")
    group.add_argument("--batch-size", type=int, help="rows per step (grpo: completions)")
    group.add_argument("--grad-accum", type=int, help="gradient accumulation steps")
    group.add_argument("--max-steps", type=int, help="stop after N optimizer steps")
    group.add_argument("--max-length", type=int, help="token limit per row (sft, dpo, prm)")
    group.add_argument("--seed", type=int, help="training seed")
    group.add_argument("--lora", action="store_true", default=None, help="train LoRA adapters")
    group.add_argument("--lora-rank", type=int, help="LoRA rank")
    group.add_argument("--beta", type=float, help="dpo/grpo: KL strength")
    group.add_argument("--num-generations", type=int, help="grpo: responses per prompt")
    group.add_argument("--max-completion-length", type=int, help="grpo: tokens per response")
    group.add_argument(
        "--vllm", choices=VLLM_MODES, help="grpo: generate through TRL's vLLM (GPU; default off)"
    )
    group.add_argument("--vllm-server-url", metavar="URL", help="grpo: the trl vllm-serve server")
    group.add_argument("--soft-labels", metavar="COLUMN", help="prm: train on this float column")
    group.add_argument("--top-layers", type=int, help="prm: train only the last N layers")
    group.add_argument("--prm", metavar="DIR", help="grpo: reward by this PRM's step scores")
    group.add_argument(
        "--prm-credit", choices=("min", "sum"), help="grpo --prm: PURE's min-form or the sum"
    )
    group.add_argument(
        "--no-verifier-reward",
        dest="prm_verifiable",
        action="store_const",
        const=False,
        help="grpo --prm: the PRM's credit alone, without the verifier's reward",
    )
    group.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    from reasonloop.backends.source import check_model_source
    from reasonloop.dataset import read_dataset
    from reasonloop.train import train

    args.kind = method_from_args(args)
    config = config_from_args(args)
    check_model_source(args.model)  # a missing model is reported before the dataset is read
    rows = read_dataset(args.data)
    result = train(args.kind, args.model, rows, args.out, config)
    first, last = (result.losses[0][1], result.losses[-1][1]) if result.losses else (None, None)
    print(
        f"trained {args.kind} on {len(rows)} rows: {result.steps} steps in "
        f"{result.seconds:.1f}s, loss {_format(first)} -> {_format(last)}; "
        f"saved to {result.output_dir}"
    )
    if result.warning:
        print(result.warning, file=sys.stderr)
    return 0


def method_from_args(args: argparse.Namespace) -> str:
    """The trainer, named once: positionally (`train sft`) or by `--method sft`."""
    if args.kind and args.method and args.kind != args.method:
        raise ConfigError(f"two trainers named ({args.kind} and --method {args.method}); name one")
    method = args.kind or args.method
    if not method:
        raise ConfigError(f"name the trainer: --method {{{','.join(TRAIN_METHODS)}}}")
    return str(method)


def config_from_args(args: argparse.Namespace) -> Any:
    """The trainer's config: the --config file's options, then the flags given."""
    from reasonloop.train import CONFIGS, train_config_from_dict

    values: dict[str, Any] = _read_config_file(args.config) if args.config else {}
    known = {name for name in CONFIGS[args.kind].__dataclass_fields__}
    for flag, name in OVERRIDES.items():
        value = getattr(args, flag)
        if value is None:
            continue
        if name not in known:
            raise ConfigError(f"--{flag.replace('_', '-')} does not apply to {args.kind} training")
        values[name] = value
    values.setdefault("show_progress", not args.no_progress)
    return train_config_from_dict(args.kind, values)


def _read_config_file(path: str) -> dict[str, Any]:
    import yaml

    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"--config {path} does not exist")
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"--config {path} must hold a mapping of training options")
    return data


def _format(loss: float | None) -> str:
    return "n/a" if loss is None else f"{loss:.4f}"
