"""Sampling speed: the CPU engine against HF `generate`, and the sample stage against its engine.

One run, one set of prompts (the demo's: 2-digit addition, k samples per problem, its token
budget and batch size), the peers interleaved so drift on a shared machine hits all of them:

- engine-int8 / engine-float32: the CTranslate2 backend (`load_sampler("ctranslate2", ...)`);
- hf-float32 / hf-bfloat16: the transformers backend (HF `generate`) in each dtype;
- raw-engine-int8: CTranslate2's own `generate_batch` on a loaded engine, prompts tokenized
  beforehand, on the same batches: the ceiling of the backend;
- stage-engine-int8: `sample_problems` with the int8 backend into a fresh run store (prompt
  rendering, grading in its thread, SQLite writes) on the same batches.

Prints generated tokens/s of each (best of --repeats), the ratio to hf-float32 (target for the
engine: >= 2.5) and stage / raw engine (target: >= 0.90).

    python benchmarks/sampling_bench.py                         # demo workload, default model
    python benchmarks/sampling_bench.py --max-new-tokens 64 --n 8 --threads 1
    python benchmarks/sampling_bench.py --fake-only             # the stage's overhead on the fake
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.backends.cpus import available_cpus
from reasonloop.backends.registry import load_sampler
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import batch_work, plan_work, sample_problems, seed_batch
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem, generate_task

PEERS = (
    "hf-float32",
    "hf-bfloat16",
    "engine-int8",
    "engine-float32",
    "raw-engine-int8",
    "stage-engine-int8",
)
BASELINE = "hf-float32"


@dataclass(frozen=True)
class Timing:
    tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds


@dataclass(frozen=True)
class Workload:
    problems: list[Problem]
    params: SamplingParams
    k: int
    batch_size: int

    def batches(self) -> list[tuple[list[Problem], SamplingParams]]:
        """The sample stage's batches: its problems in order and its seeded params."""
        work = plan_work(self.problems, self.k, round=0, sample_rounds={})
        budgets = {p.id: self.params.max_new_tokens for p in self.problems}
        return [
            (
                [item.problem for item in batch],
                replace(self.params, seed=seed_batch(self.params, batch)),
            )
            for batch in batch_work(work, self.batch_size, budgets)
        ]


def time_backend(sampler: Sampler, workload: Workload) -> Timing:
    """`sampler.generate` on exactly the batches the sample stage makes."""
    batches = [
        ([DEFAULT_TEMPLATE.render(p) for p in problems], params)
        for problems, params in workload.batches()
    ]
    tokens, started = 0, time.perf_counter()
    for conversations, params in batches:
        tokens += sum(c.completion_tokens for c in sampler.generate(conversations, params))
    return Timing(tokens, time.perf_counter() - started)


def time_stage(sampler: Sampler, workload: Workload) -> Timing:
    """`sample_problems` into a fresh run store: rendering, grading and writes included."""
    fingerprint = RunFingerprint.for_sampler(
        "sample", sampler, SamplerSpec.describing(sampler), DEFAULT_TEMPLATE, workload.params
    )
    with tempfile.TemporaryDirectory() as run_dir, RunStore.open(run_dir, fingerprint) as store:
        summary = sample_problems(
            workload.problems,
            sampler,
            workload.params,
            store,
            k=workload.k,
            settings=DrawSettings(DEFAULT_TEMPLATE, batch_size=workload.batch_size),
        )
    return Timing(summary.tokens, summary.seconds)


def raw_engine_timer(sampler: Any, workload: Workload) -> Callable[[], Timing]:
    """CTranslate2's `generate_batch` on one loaded engine, prompts tokenized beforehand."""
    from reasonloop.backends.ctranslate2 import generation_options
    from reasonloop.backends.transformers import encode_prompt

    engine = sampler._open_engine()
    tokenizer = sampler.tokenizer
    batches = []
    for problems, params in workload.batches():
        ids = [
            encode_prompt(tokenizer, DEFAULT_TEMPLATE.render(p)) for p in problems[:: workload.k]
        ]
        tokens = [tokenizer.convert_ids_to_tokens(prompt) for prompt in ids]
        batches.append((tokens, generation_options(params, workload.k, sampler.eos_token_ids)))

    def run() -> Timing:
        count, started = 0, time.perf_counter()
        for tokens, options in batches:
            for result in engine.generate_batch(tokens, **options):
                count += sum(len(sequence) for sequence in result.sequences_ids)
        return Timing(count, time.perf_counter() - started)

    return run


def build_timers(args: argparse.Namespace, workload: Workload) -> dict[str, Callable[[], Timing]]:
    model_dir = resolve_model_dir(args.model)
    timers: dict[str, Callable[[], Timing]] = {}
    engines: dict[str, Sampler] = {}
    for peer in args.peers:
        kind, _, dtype = peer.rpartition("-")
        if kind == "hf":
            sampler = load_sampler(
                "transformers",
                model_dir,
                dtype=dtype,
                batch_size=args.batch_size,
                num_threads=args.threads,
            )
            timers[peer] = lambda s=sampler: time_backend(s, workload)
            continue
        if dtype not in engines:
            engines[dtype] = load_sampler(
                "ctranslate2", model_dir, compute_type=dtype, num_threads=args.threads
            )
        engine = engines[dtype]
        if kind == "engine":
            timers[peer] = lambda s=engine: time_backend(s, workload)
        elif kind == "raw-engine":
            timers[peer] = raw_engine_timer(engine, workload)
        else:
            timers[peer] = lambda s=engine: time_stage(s, workload)
    return timers


def resolve_model_dir(model: str) -> str:
    if model != "default":
        return model
    from reasonloop.backends.hf_models import prepare_default_model

    return prepare_default_model()


def run_interleaved(timers: dict[str, Callable[[], Timing]], repeats: int) -> dict[str, Timing]:
    best: dict[str, Timing] = {}
    for _ in range(repeats):  # interleaved, so drift on a shared machine hits every peer
        for name, timer in timers.items():
            timing = timer()
            if name not in best or timing.tokens_per_s > best[name].tokens_per_s:
                best[name] = timing
    return best


def print_table(best: dict[str, Timing]) -> None:
    baseline = best.get(BASELINE)
    print(f"| peer | tokens | seconds | tokens/s | x {BASELINE} |")
    print("|---|---:|---:|---:|---:|")
    for name, timing in best.items():
        ratio = f"{timing.tokens_per_s / baseline.tokens_per_s:.2f}" if baseline else "-"
        print(
            f"| {name} | {timing.tokens} | {timing.seconds:.2f} | "
            f"{timing.tokens_per_s:.1f} | {ratio} |"
        )
    if "stage-engine-int8" in best and "raw-engine-int8" in best:
        ratio = best["stage-engine-int8"].tokens_per_s / best["raw-engine-int8"].tokens_per_s
        print(f"\nstage / raw engine (int8) = {ratio:.3f} (target >= 0.90)")
    if baseline and "engine-int8" in best:
        ratio = best["engine-int8"].tokens_per_s / baseline.tokens_per_s
        print(f"engine-int8 / {BASELINE} = {ratio:.2f} (target >= 2.5)")


def fake_overhead(workload: Workload, repeats: int) -> None:
    """The stage against raw `generate` on the fake backend: pure bookkeeping cost."""
    sampler = load_sampler("fake", "arithmetic")
    best = run_interleaved(
        {
            "raw-fake": lambda: time_backend(sampler, workload),
            "stage-fake": lambda: time_stage(sampler, workload),
        },
        repeats,
    )
    samples = len(workload.problems) * workload.k
    overhead = best["stage-fake"].seconds - best["raw-fake"].seconds
    print(f"fake backend: stage overhead {1000 * overhead / samples:+.3f} ms per sample")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default", help="'default' or a local HF directory")
    parser.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    parser.add_argument("--n", type=int, default=32, help="2-digit addition problems")
    parser.add_argument("--k", type=int, default=4, help="samples per problem")
    parser.add_argument("--max-new-tokens", type=int, default=16, help="the demo's budget")
    parser.add_argument("--batch-size", type=int, default=64, help="the demo's batch size")
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None, help="default: available CPUs")
    parser.add_argument("--repeats", type=int, default=2, help="best of N (the first warms up)")
    parser.add_argument("--fake-only", action="store_true", help="only the fake overhead check")
    args = parser.parse_args()
    args.threads = args.threads or available_cpus()

    params = SamplingParams(args.max_new_tokens, args.temperature, seed=args.seed)
    problems = generate_task("arithmetic", args.n, seed=0, digits=2)
    workload = Workload(problems, params, args.k, args.batch_size)
    fake_overhead(workload, max(args.repeats, 3))
    if args.fake_only:
        return
    print(
        f"{args.n} problems x k={args.k}, <= {args.max_new_tokens} new tokens, batch "
        f"{args.batch_size}, T={args.temperature}, {args.threads} threads "
        f"(available: {available_cpus()}); load average before: {load_average()}"
    )
    if "raw-engine-int8" in args.peers and args.batch_size % args.k:
        parser.error("the raw engine peer needs --batch-size to be a multiple of --k")
    timers = build_timers(args, workload)
    best = run_interleaved(timers, args.repeats)
    print_table(best)
    print(f"load average after: {load_average()}")


def load_average() -> str:
    return (
        " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if os.path.exists("/proc/loadavg")
        else "n/a"
    )


if __name__ == "__main__":
    main()
