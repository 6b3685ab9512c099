"""`examples/loop.yaml`: every key of `LoopConfig` with its default, rendered from the dataclass.

The example file is this module's output, so it cannot drift from the defaults (a test
compares them). After changing a default or adding a key, regenerate it with

    python -m reasonloop.loop.example > examples/loop.yaml

Each key needs a note in `NOTES`: rendering a key without one is an error, so a new config
key cannot reach the example undocumented.
"""

from __future__ import annotations

import sys
from dataclasses import fields, is_dataclass
from typing import Any

import yaml

from reasonloop.loop.config import LoopConfig

HEADER = """\
# A self-improvement run: every key of the loop's config with its default value.
# Generated from reasonloop.loop.config.LoopConfig by `python -m reasonloop.loop.example`
# (a test fails when this file and the defaults differ). Every key is optional: a config
# that names only `model` and `data` runs with the rest as shown. Unknown keys are errors.
"""
COMMENT_COLUMN = 31
# One line per key, in the dataclass's order: what the value means and the other choices.
NOTES: dict[str, str] = {
    "model": '"default" (embedded SmolLM2-135M), a HF model dir, a .gguf file, a cached hub id',
    "task": "a built-in task spec (arithmetic, linear, fractions) or rg:NAME?k=v; `data` wins",
    "data": "problem file (.jsonl/.parquet) or HF dataset, e.g. ../shared/data/gsm8k/train.jsonl",
    "format": "auto | gsm8k | math | plain: how `data` rows hold their answer",
    "question_field": "field holding the question (null: the format's own)",
    "answer_field": "field holding the gold answer (null: the format's own)",
    "test_data": "held-out problems; null splits n_test off the training source",
    "n_train": "training problems sampled each iteration",
    "n_test": "held-out problems evaluated greedily after each iteration",
    "seed": "seeds the split, the samples and the training",
    "iterations": "sample -> build -> train -> evaluate rounds",
    "template": 'prompt: "default", "boxed", "gsm8k", or a YAML file with system/user keys',
    "hard_cut": "pass rate below this is hard (0: unsolved)",
    "medium_cut": "pass rate below this is medium, from it easy",
    "backend.name": "ctranslate2: the CPU engine (int8); transformers: any model; vllm: a GPU",
    "backend.model": "null: the loop's current model; or a fixed one (a teacher, a server)",
    "backend.options": "backend options, e.g. {num_threads: 1} (engine threads)",
    "sampling.k": "responses per training problem",
    "sampling.rationalize": "STaR: hinted samples for problems no sample solved (SFT; 0: off)",
    "sampling.temperature": "sampling temperature; auto: B-STaR chooses it each iteration",
    "sampling.top_p": "nucleus sampling share (1.0: off)",
    "sampling.max_new_tokens": "token budget per response (raise to 256+ for GSM8K-style work)",
    "sampling.batch_size": "sequences decoded together",
    "bstar.temperatures": "with temperature auto: the grid the balance score is measured on",
    "bstar.dev_size": "training problems it is measured on (the dev subset)",
    "bstar.k": "samples per dev problem at each temperature",
    "bstar.n_star": "distinct correct responses per problem that earn full exploration credit",
    "bstar.prm": "a PRM directory: reward = lowest step score / 5 + outcome (null: verifier 0/1)",
    "resample.budget": "extra samples for hard/unsolved problems (difficulty-aware; 0: off)",
    "resample.long_factor": "... with this many times the token budget",
    "build.max_per_problem": "SFT responses kept per problem",
    "build.balance": "difficulty: hard problems keep more responses; none: same cap for all",
    "build.max_pairs_per_problem": "DPO pairs kept per problem",
    "synthesize.budget": "new problems per iteration from its errors (SEI, SFT only; 0: off)",
    "synthesize.instructor": "builtin (built-in tasks, offline) or a model name",
    "synthesize.score": "one-shot filter score: likelihood | accuracy",
    "synthesize.keep": "gain: keep what beats zero-shot; top:0.2: the best fifth",
    "synthesize.dev_size": "problems the one-shot filter scores on",
    "select.method": "clusterucb | less | random: train on the top rows only (null: all rows)",
    "select.budget": "clusterucb: influence gradients / rows",
    "select.top": "share of the rows kept for training",
    "select.clusters": "k-means K (null: budget x N / 3, at most 4 sqrt(N) / 3)",
    "select.val_problems": "training problems whose rows are the target (they leave the pool)",
    "select.dim": "gradient projection dimension",
    "select.max_length": "tokens per row in the gradients",
    "select.checkpoints": "warm-up checkpoints influence is summed over (C gradients a row)",
    "values.k": "step-dpo: rollouts from each step prefix of a wrong sample",
    "values.max_steps": "step-dpo: steps valued per sample (null: all)",
    "values.value": "step-dpo: first pits by hard (any rollout right) or soft values",
    "values.split_rule": "step-dpo: default (blank lines, else lines) | lines | sentences",
    "safety.rows": "sft: refusals added to each iteration's rows (0: no safety rows)",
    "safety.format": "no-cot | short-cot | template-cot: the refusal target's reasoning",
    "safety.harmful": "a file of harmful requests (JSONL `prompt` rows) besides the archives",
    "safety.archives": "use `reasonloop safety-fetch`'s archives (HarmBench, JBB held out)",
    "train.method": "sft | dpo | grpo | step-dpo (values, first-pit pairs, SFT then DPO)",
    "train.options": "trainer fields (see `reasonloop train sft --help`), e.g. {epochs: 2}",
    "train.start": "previous: train on from the last iteration's model; base: from the base",
    "eval.max_new_tokens": "token budget per held-out answer",
    "eval.k": "sampled answers per test problem for pass@k (0: greedy only)",
    "eval.temperature": "temperature of those samples",
    "eval.batch_size": "sequences decoded together",
    "eval.examples": "test problems whose answers the report shows",
    "judge.model": "a model judge where the rule cannot decide: default, or a served name",
    "judge.backend": "default | transformers | openai (options: {base_url: ...}) | vllm",
    "judge.template": "answer-only | with-question | final-decision | a .yaml file",
    "judge.options": "judge backend options",
    "executor.name": "local, or ray (sampling on a Ray cluster; not part of the run's identity)",
    "executor.address": "Ray cluster address (null: start a local Ray)",
    "executor.actors": "sampling actors, each holding one backend",
    "executor.cpus_per_actor": "CPUs per sampling actor",
    "executor.gpus_per_actor": "GPUs per sampling actor",
    "executor.cpus_per_grader": "CPUs per grading task (or judge actor)",
    "executor.retries": "times a lost worker's batch is redone",
    "executor.judges": "judge actors (with a judge)",
    "executor.gpus_per_judge": "GPUs per judge actor",
    "executor.logs": "show Ray's own log lines and progress (--ray-logs)",
    "keep_models": "final: only the last iteration keeps its weights (re-made if needed); all",
}


def render_example(config: LoopConfig | None = None) -> str:
    """`config` (default: all defaults) as commented YAML, one line per key.

    >>> "backend:" in render_example()
    True
    """
    return HEADER + "".join(_render_fields(config or LoopConfig(), prefix="", indent=""))


def _render_fields(section: Any, *, prefix: str, indent: str) -> list[str]:
    lines: list[str] = []
    for item in fields(section):
        value, dotted = getattr(section, item.name), prefix + item.name
        if is_dataclass(value):
            lines.append(f"{indent}{item.name}:\n")
            lines += _render_fields(value, prefix=dotted + ".", indent=indent + "  ")
            continue
        if dotted not in NOTES:
            raise KeyError(f"config key {dotted!r} has no note in reasonloop.loop.example.NOTES")
        line = f"{indent}{item.name}: {_scalar(value)}"
        lines.append(f"{line.ljust(COMMENT_COLUMN - 1)} # {NOTES[dotted]}\n")
    return lines


def _scalar(value: Any) -> str:
    """One YAML value on one line (flow style for mappings)."""
    text: str = yaml.safe_dump(value, default_flow_style=True, width=1000)
    return text.removesuffix("\n...\n").strip()


if __name__ == "__main__":
    sys.stdout.write(render_example())
