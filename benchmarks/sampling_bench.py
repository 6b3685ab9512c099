"""Runner overhead: the same prompts through `sampler.generate` and through `sample_problems`.

Both paths see identical batches (same order, same size, same per-batch seed), so the only
difference is what the runner adds: prompt rendering, grading, the SQLite writes, the progress
bookkeeping. Prints generated tokens/s of each and the ratio runner / raw (target >= 0.90).

    python benchmarks/sampling_bench.py                       # default model on CPU + fake sanity
    python benchmarks/sampling_bench.py --fake-only           # just the fast fake path
    python benchmarks/sampling_bench.py --model path/to/ckpt --n 64 --k 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, replace
from typing import Any

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.backends.registry import load_sampler
from reasonloop.cli._common import parse_backend_options, resolve_backend
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import batch_work, plan_work, sample_problems, seed_batch
from reasonloop.sample.store import RunStore
from reasonloop.tasks import Problem, generate_task


@dataclass(frozen=True)
class Timing:
    tokens: int
    seconds: float

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds


def time_raw(
    sampler: Sampler, problems: list[Problem], params: SamplingParams, k: int, batch_size: int
) -> Timing:
    """Call `sampler.generate` on exactly the batches the runner would make."""
    work = plan_work(problems, k, round=0, sample_rounds={})
    budgets = {p.id: params.max_new_tokens for p in problems}
    conversations = {p.id: DEFAULT_TEMPLATE.render(p) for p in problems}
    tokens = 0
    started = time.perf_counter()
    for batch in batch_work(work, batch_size, budgets):
        batch_params = replace(params, seed=seed_batch(params, batch))
        prompts = [conversations[item.problem.id] for item in batch]
        tokens += sum(c.completion_tokens for c in sampler.generate(prompts, batch_params))
    return Timing(tokens, time.perf_counter() - started)


def time_runner(
    sampler: Sampler, problems: list[Problem], params: SamplingParams, k: int, batch_size: int
) -> Timing:
    """`sample_problems` into a fresh run store: rendering, grading and writes included."""
    with tempfile.TemporaryDirectory() as run_dir, RunStore.open(run_dir, {"bench": 1}) as store:
        summary = sample_problems(
            problems,
            sampler,
            params,
            store,
            k=k,
            template=DEFAULT_TEMPLATE,
            batch_size=batch_size,
            progress=False,
        )
    return Timing(summary.tokens, summary.seconds)


def compare(label: str, sampler: Sampler, args: argparse.Namespace) -> float:
    problems = generate_task("arithmetic", args.n, seed=0, digits=2)
    params = SamplingParams(
        max_new_tokens=args.max_new_tokens, temperature=args.temperature, seed=args.seed
    )
    # Warm-up outside the clock: weights paged in, kernels picked.
    sampler.generate([DEFAULT_TEMPLATE.render(problems[0])], replace(params, max_new_tokens=4))
    raws, runners = [], []
    for _ in range(args.repeats):  # interleaved, so drift on a shared machine hits both
        raws.append(time_raw(sampler, problems, params, args.k, args.batch_size))
        runners.append(time_runner(sampler, problems, params, args.k, args.batch_size))
    raw = max(raws, key=lambda t: t.tokens_per_s)
    runner = max(runners, key=lambda t: t.tokens_per_s)
    ratio = runner.tokens_per_s / raw.tokens_per_s
    print(f"[{label}] {sampler.model_id}: {args.n} problems x k={args.k}, batch {args.batch_size}")
    print(
        f"  raw generate   : {raw.tokens:7d} tokens in {raw.seconds:8.3f}s = "
        f"{raw.tokens_per_s:10.1f} tok/s"
    )
    print(
        f"  sample_problems: {runner.tokens:7d} tokens in {runner.seconds:8.3f}s = "
        f"{runner.tokens_per_s:10.1f} tok/s"
    )
    n_samples = args.n * args.k
    overhead_ms = 1000 * (runner.seconds - raw.seconds) / n_samples
    print(
        f"  ratio runner/raw = {ratio:.3f} (target >= 0.90); "
        f"runner overhead {overhead_ms:+.3f} ms per sample"
    )
    return ratio


def build_sampler(model: str, backend: str | None, options: dict[str, Any]) -> Sampler:
    name, model_name = resolve_backend(model, backend, None)
    return load_sampler(name, model_name, **options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--backend")
    parser.add_argument("--backend-option", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--n", type=int, default=32, help="arithmetic problems")
    parser.add_argument("--k", type=int, default=1, help="samples per problem")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1, help="best of N for each path")
    parser.add_argument("--fake-only", action="store_true", help="only the fake sanity path")
    args = parser.parse_args()

    fake_args = argparse.Namespace(**{**vars(args), "repeats": max(args.repeats, 3)})
    compare("fake sanity", load_sampler("fake", "arithmetic"), fake_args)
    if not args.fake_only:
        options = parse_backend_options(args.backend_option)
        compare("model", build_sampler(args.model, args.backend, options), args)


if __name__ == "__main__":
    main()
