"""The ray executor against the local one, on this machine, in one run: verify and sample.

- verify: `reasonloop verify FILE` over --pairs (default 100k) (response, gold) pairs built
  from GSM8K's gold answers (../shared/data/gsm8k) in five response shapes (plain correct,
  plain wrong, boxed, a fraction that needs the parser, no answer); local (`--workers 2`)
  against `--executor ray` with 1 grading task of 2 CPUs and with 2 tasks of 1 CPU.
- sample: `sample_problems` on --problems GSM8K test questions x k, on --backend (the
  embedded default model on the CPU engine, or `fake` for Ray's bare per-batch overhead);
  local against `--executor ray` with 1 actor and with 2 actors. Every peer includes loading
  the model (Ray: in each actor). Samples are compared with the local executor's.

One Ray session (2 CPUs, no dashboard) serves every Ray peer; its start-up is timed apart.
Throughput is printed with the ratio to the local executor; the load average before and
after says how busy the (shared) machine was.

With `--vllm [MODEL]` (a GPU and the vllm extra; MODEL defaults to the embedded model's HF
checkpoint, `prepare_default_model`) it measures instead the generated tokens/s of vLLM's own
offline engine (`LLM.chat`, every prompt at once) against reasonloop on the same prompts and
the same engine: the vllm backend's `generate`, the sample stage on the local executor, and
the sample stage on Ray (one actor holding a vLLM engine on a GPU share). The issue's bar:
reasonloop keeps >= 90% of vLLM's own tokens/s.

    python benchmarks/scale_bench.py                              # 100k pairs, default model
    python benchmarks/scale_bench.py --pairs 20000 --backend fake --problems 64 --k 4
    python benchmarks/scale_bench.py --vllm --problems 1319 --k 4 --max-new-tokens 256  # GPU
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from reasonloop.backends.base import SamplingParams
from reasonloop.cli.main import main as cli
from reasonloop.prompts import DEFAULT_TEMPLATE
from reasonloop.sample.draw import sample_problems
from reasonloop.sample.fingerprint import RunFingerprint, SamplerSpec
from reasonloop.sample.plan import DrawSettings
from reasonloop.sample.store import RunStore
from reasonloop.scale.executor import ExecutorConfig
from reasonloop.scale.ray_sample import batch_runner
from reasonloop.tasks import Problem

GSM8K = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "gsm8k"


def gold_answers() -> list[tuple[str, str]]:
    """(question, gold) of every GSM8K train and test problem."""
    found = []
    for split in ("train", "test"):
        with (GSM8K / f"{split}.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                gold = row["answer"].split("####")[-1].strip().replace(",", "")
                found.append((row["question"], gold))
    return found


def response_for(gold: str, i: int) -> str:
    """One of five response shapes, chosen by `i`."""
    value = int(float(gold))
    shapes = (
        f"Adding it up step by step, the answer is {gold}.",
        f"So the total is {value + 1}. The answer is {value + 1}.",
        f"Therefore the final answer is $\\boxed{{{gold}}}$.",
        f"We get $x = \\frac{{{2 * value}}}{{2}}$, so the answer is $\\frac{{{2 * value}}}{{2}}$.",
        "I am not sure how to solve this.",
    )
    return shapes[i % len(shapes)]


def write_pairs(path: Path, n: int) -> None:
    golds = [gold for _, gold in gold_answers()]
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            gold = golds[i % len(golds)]
            out.write(json.dumps({"id": i, "gold": gold, "response": response_for(gold, i)}) + "\n")


def quiet_cli(argv: list[str]) -> str:
    """Run a reasonloop command, returning what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli(argv)
    if code != 0:
        raise SystemExit(f"reasonloop {' '.join(argv)} failed with exit code {code}")
    return printed.getvalue()


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def bench_verify(work: Path, n_pairs: int, repeats: int) -> list[tuple[str, float, int, str]]:
    """Each peer once on 2,000 pairs (untimed: Ray's workers start, modules load), then the
    peers in turn `repeats` times on the full file; the best time of each counts."""
    source, warm = work / "pairs.jsonl", work / "warm.jsonl"
    write_pairs(source, n_pairs)
    write_pairs(warm, min(2000, n_pairs))
    peers = {
        "local (2 verifier processes)": ["-o", str(work / "v.jsonl"), "--workers", "2"],
        "ray, 1 task x 2 CPUs": [
            "-o", str(work / "v1.parquet"), "--executor", "ray",
            "--ray-cpus-per-grader", "2", "--workers", "2",
        ],
        "ray, 2 tasks x 1 CPU": [
            "-o", str(work / "v2.parquet"), "--executor", "ray",
            "--ray-cpus-per-grader", "1", "--workers", "1",
        ],
    }  # fmt: skip
    for options in peers.values():
        quiet_cli(["verify", str(warm), "--no-progress", *options])
    best: dict[str, tuple[float, str]] = {}
    for _ in range(repeats):
        for name, options in peers.items():
            argv = ["verify", str(source), "--no-progress", *options]
            seconds, printed = timed(lambda argv=argv: quiet_cli(argv))
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, printed.split("wrote")[0])
    return [(name, seconds, n_pairs, table) for name, (seconds, table) in best.items()]


def gsm8k_problems(n: int) -> list[Problem]:
    rows = [json.loads(line) for line in (GSM8K / "test.jsonl").open(encoding="utf-8")][:n]
    return [
        Problem(f"test-{i}", row["question"], row["answer"].split("####")[-1].strip())
        for i, row in enumerate(rows)
    ]


def bench_sample(
    work: Path, spec: SamplerSpec, problems: list[Problem], k: int, params: SamplingParams
) -> list[tuple[str, float, int, list[Any]]]:
    threads = {"num_threads": 2} if spec.backend != "fake" else {}
    one_thread = {"num_threads": 1} if spec.backend != "fake" else {}
    peers: dict[str, tuple[SamplerSpec, ExecutorConfig | None]] = {
        "local": (SamplerSpec(spec.backend, spec.model, threads), None),
        "ray, 1 actor": (
            SamplerSpec(spec.backend, spec.model, threads),
            ExecutorConfig("ray", actors=1, cpus_per_actor=1.0, cpus_per_grader=0.5),
        ),
        "ray, 2 actors": (
            SamplerSpec(spec.backend, spec.model, one_thread),
            ExecutorConfig("ray", actors=2, cpus_per_actor=0.75, cpus_per_grader=0.5),
        ),
    }
    rows = []
    for i, (name, (peer_spec, executor)) in enumerate(peers.items()):
        seconds, (summary, samples) = timed(
            lambda: draw_once(work / f"sample-{i}", peer_spec, executor, problems, k, params)  # noqa: B023
        )
        rows.append((name, seconds, summary.tokens, samples))
    return rows


def draw_once(
    run_dir: Path,
    spec: SamplerSpec,
    executor: ExecutorConfig | None,
    problems: list[Problem],
    k: int,
    params: SamplingParams,
) -> tuple[Any, list[Any]]:
    sampler = spec.load()  # the driver names the run; Ray peers load it again in each actor
    fingerprint = RunFingerprint.for_sampler("sample", sampler, spec, DEFAULT_TEMPLATE, params)
    with RunStore.open(run_dir, fingerprint) as store:
        settings = DrawSettings(DEFAULT_TEMPLATE, batch_size=8, runner=batch_runner(executor, spec))
        summary = sample_problems(problems, sampler, params, store, k=k, settings=settings)
        samples = [(s.problem_id, s.sample_index, s.response) for s in store.samples()]
    return summary, sorted(samples)


@contextlib.contextmanager
def ray_started() -> Iterator[float]:
    import ray

    seconds, _ = timed(lambda: ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False))
    try:
        yield seconds
    finally:
        ray.shutdown()


def print_table(title: str, unit: str, rows: list[tuple[str, float, int]]) -> None:
    local = rows[0][2] / rows[0][1]
    print(f"\n{title}")
    print(f"{'peer':32} {'seconds':>8} {unit + '/s':>12} {'vs local':>9}")
    for name, seconds, count, *_ in rows:
        rate = count / seconds
        print(f"{name:32} {seconds:8.2f} {rate:12.1f} {rate / local:9.2f}")


def bench_vllm(model: str, problems: list[Problem], k: int, params: SamplingParams) -> None:
    """vLLM's `LLM.chat` against reasonloop on the same prompts, seeds and engine (GPU)."""
    import ray
    import vllm

    from reasonloop.backends.vllm import build_sampling_options

    options = {"gpu_memory_utilization": 0.3, "max_model_len": 2048}
    spec = SamplerSpec("vllm", model, options)
    sampler: Any = spec.load()
    conversations = [DEFAULT_TEMPLATE.render(p) for p in problems for _ in range(k)]
    everything = len(conversations)
    requests = [
        vllm.SamplingParams(**build_sampling_options(params, seed))
        for seed in range(params.seed, params.seed + everything)
    ]
    sampler.llm.chat(conversations[:8], sampling_params=requests[:8], use_tqdm=False)  # warm-up
    seconds, outputs = timed(
        lambda: sampler.llm.chat(conversations, sampling_params=requests, use_tqdm=False)
    )
    rows = [("vllm LLM.chat (own)", seconds, sum(len(o.outputs[0].token_ids) for o in outputs))]
    seconds, completions = timed(lambda: sampler.generate(conversations, params))
    rows.append(("reasonloop vllm backend", seconds, sum(c.completion_tokens for c in completions)))
    with tempfile.TemporaryDirectory() as tmp:
        for name, executor in (
            ("sample stage, local", None),
            ("sample stage, ray (1 actor)", ExecutorConfig("ray", gpus_per_actor=0.3)),
        ):
            run_dir = Path(tmp) / name.replace(" ", "_").replace(",", "")
            fingerprint = RunFingerprint.for_sampler(
                "sample", sampler, spec, DEFAULT_TEMPLATE, params
            )
            if executor is not None and not ray.is_initialized():
                ray.init(include_dashboard=False, log_to_driver=False)
            with RunStore.open(run_dir, fingerprint) as store:
                settings = DrawSettings(
                    DEFAULT_TEMPLATE, batch_size=everything, runner=batch_runner(executor, spec)
                )
                summary = sample_problems(problems, sampler, params, store, k=k, settings=settings)
            # generate seconds: the engine's time (Ray: in the actor, not its model load)
            rows.append((name, summary.generate_seconds, summary.tokens))
    if ray.is_initialized():
        ray.shutdown()
    title = f"vLLM on {model}: {len(problems)} problems x k={k}, {params.max_new_tokens} tokens"
    print(f"\n{title} (generated tokens/s; the first row is vLLM's own offline engine)")
    print(f"{'peer':32} {'seconds':>8} {'tokens/s':>12} {'vs vLLM':>9}")
    own = rows[0][2] / rows[0][1]
    for name, seconds, tokens in rows:
        print(f"{name:32} {seconds:8.2f} {tokens / seconds:12.1f} {tokens / seconds / own:9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=100_000, help="verify pairs")
    parser.add_argument("--backend", default="default", help="sampling backend: default or fake")
    parser.add_argument("--problems", type=int, default=16, help="GSM8K test problems to sample")
    parser.add_argument("-k", "--k", type=int, default=2, help="samples per problem")
    parser.add_argument("--max-new-tokens", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=2, help="verify rounds (best counts)")
    parser.add_argument(
        "--vllm",
        nargs="?",
        const="default",
        metavar="MODEL",
        help="GPU: vLLM's own engine against reasonloop's vllm backend, stage and Ray actor",
    )
    args = parser.parse_args()
    if not GSM8K.is_dir():
        raise SystemExit(f"{GSM8K} is absent; this benchmark reads GSM8K from there")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    params = SamplingParams(max_new_tokens=args.max_new_tokens, temperature=0.8, seed=0)
    if args.vllm is not None:
        if importlib.util.find_spec("vllm") is None:
            raise SystemExit("--vllm needs the vllm extra (pip install 'reasonloop[vllm]')")
        from reasonloop.backends.hf_models import prepare_default_model

        model = prepare_default_model() if args.vllm == "default" else args.vllm
        bench_vllm(model, gsm8k_problems(args.problems), args.k, params)
        return
    print(f"CPUs: {os.cpu_count()}; load average before: {os.getloadavg()}")
    model = "arithmetic" if args.backend == "fake" else "default"
    spec = SamplerSpec(args.backend, model, {"accuracy": 0.5} if args.backend == "fake" else {})
    with tempfile.TemporaryDirectory() as tmp, ray_started() as ray_seconds:
        work = Path(tmp)
        print(f"Ray start-up (num_cpus=2, once for every Ray peer): {ray_seconds:.1f} s")
        verify_rows = bench_verify(work, args.pairs, args.repeats)
        title = f"verify, {args.pairs} GSM8K-gold pairs (best of {args.repeats}, warmed up)"
        print_table(title, "pairs", verify_rows)
        same = all(row[3] == verify_rows[0][3] for row in verify_rows)
        print(f"status tables identical across peers: {same}")
        print(verify_rows[0][3].rstrip(), flush=True)
        sample_rows = bench_sample(work, spec, gsm8k_problems(args.problems), args.k, params)
    title = f"sample, {args.problems} GSM8K test problems x k={args.k} on {args.backend}"
    print_table(title + " (tokens/s)", "tokens", sample_rows)
    same = all(row[3] == sample_rows[0][3] for row in sample_rows)
    print(f"samples identical to the local executor's: {same}")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
