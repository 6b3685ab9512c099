"""Grade responses by each problem's grader: reasonloop's verifier, or reasoning-gym's scorer.

A problem's `meta["grader"]` says which (`reasonloop.tasks.gym` sets it per task); problems
without one are graded by the verifier, as before. For `reasoning_gym`, the response's final
answer is read by reasonloop's `extract_answer` (the last `<answer>` tag, box or answer phrase),
and the generator's `score_answer` scores it against the rebuilt item: a score of 1.0 is
correct, anything less incorrect (its reason says the score).

The response is untrusted and some scorers run library code on it (sympy's `parse_expr` for
the expression tasks, long loops for grids and moves), so scoring runs in a worker process that
is killed when a case runs past its time bound, like the verifier's workers; the case gets
status timeout and a fresh worker serves the rest.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status, Verdict
from reasonloop.verify.workers import start_serving

GYM_GRADER = "reasoning_gym"
TIMEOUT_S = 5.0  # per case; the first case of a task also builds its generator
START_TIMEOUT_S = 60.0  # a fresh worker imports reasoning-gym (a few seconds on a busy machine)
_READY = "ready"


def grade_responses(
    responses: Sequence[str],
    problems: Sequence[Problem],
    *,
    workers: int | None = None,
    mode: str = "default",
) -> list[Verdict]:
    """One verdict per (response, problem), each by the problem's grader, in input order."""
    from reasonloop.verify import verify_batch

    if len(responses) != len(problems):
        raise ValueError(f"{len(responses)} responses for {len(problems)} problems")
    by_gym = [i for i, p in enumerate(problems) if grader_of(p) == GYM_GRADER]
    by_rule = [i for i, p in enumerate(problems) if grader_of(p) != GYM_GRADER]
    verdicts: list[Verdict | None] = [None] * len(problems)
    rule = verify_batch(
        [(responses[i], problems[i].gold) for i in by_rule], workers=workers, mode=mode
    )
    gym = grade_with_gym([(responses[i], problems[i]) for i in by_gym])
    for i, verdict in zip(by_rule + by_gym, rule + gym, strict=True):
        verdicts[i] = verdict
    return [v for v in verdicts if v is not None]


def grader_of(problem: Problem) -> str:
    """`reasoning_gym` or `verify` (the default, for every problem without a grader)."""
    return str(problem.meta.get("grader") or "verify")


def graders_by_task(problems: Sequence[Problem]) -> dict[str, str]:
    """{task: grader} for the problems that name their grader (reasoning-gym tasks), so a run
    can state how it was graded; empty when none does."""
    graders = {task_of(p): str(p.meta["grader"]) for p in problems if p.meta.get("grader")}
    return dict(sorted(graders.items()))


def task_of(problem: Problem) -> str:
    """The task a problem belongs to, as a run names it: its reasoning-gym task, else its
    source (the generator or the file's label)."""
    return str(problem.meta.get("rg_task") or problem.source or "problems")


def describe_graders(graders: Mapping[str, str]) -> str:
    """The line the CLI prints: `graded by: chain_sum verify, word_sorting reasoning_gym`."""
    return "graded by: " + ", ".join(f"{task} {grader}" for task, grader in graders.items())


def gym_verdict(response: str, problem: Problem) -> Verdict:
    """reasoning-gym's verdict on one response; runs in the worker (see the module doc)."""
    from reasonloop.tasks.gym import score_with_gym

    answer = read_gym_answer(response)
    if answer is None:
        return Verdict(False, Status.NO_ANSWER, None, "no final answer found")
    try:
        score = score_with_gym(answer, problem)
    except Exception as error:  # the one boundary: a scorer that fails on odd input
        return Verdict(False, Status.INCORRECT, answer, f"reasoning-gym scorer raised {error!r}")
    gold = problem.gold
    if score == 1.0:
        return Verdict(True, Status.CORRECT, answer, f"reasoning-gym score 1 (gold {gold!r})")
    reason = f"reasoning-gym score {score:g} (gold {gold!r})"
    return Verdict(False, Status.INCORRECT, answer, reason)


_TAG = re.compile(r"(?is)<answer>(.*?)</answer>")
# What reasonloop's extraction writes for the Unicode math reasoning-gym's answers use
# (`2 × 3 × 7` in prime_factorization); scorers compare the text, so it is written back.
_UNFOLD = (("\\times", "\u00d7"), ("\\cdot", "\u00b7"), ("\\div", "\u00f7"))
# The rest of the last "answer is" line, as written (a word list is text, not math).
_PHRASE = re.compile(r"(?im)\banswer is:?[ \t]*([^\n]{1,500}?)[ \t]*\.?[ \t]*$")


def read_gym_answer(response: str) -> str | None:
    """The answer text a reasoning-gym scorer gets: the last non-empty `<answer>` tag as
    written (reasoning-gym's own convention), else reasonloop's `extract_answer` (a box, an
    answer phrase), with the Unicode operators the response used put back.

    >>> read_gym_answer("so <answer> 2 × 3 </answer>"), read_gym_answer("The answer is 2 × 3.")
    ('2 × 3', '2 × 3')
    """
    from reasonloop.verify.extract import extract_answer

    tagged: list[str] = [text.strip() for text in _TAG.findall(response) if text.strip()]
    if tagged:
        return tagged[-1]
    answer = extract_answer(response)
    if answer is None:
        return None
    answer = _whole_list(response, answer)
    for command, char in _UNFOLD:
        if char in response and command in answer:
            answer = re.sub(re.escape(command) + r"(?![A-Za-z]) *", char + " ", answer)
    return answer.strip()


def _whole_list(response: str, answer: str) -> str:
    """The whole comma list of the last answer phrase where the extraction kept its last item
    only (math reading takes `The answer is story, much, All, 2021.` for 2021).

    >>> _whole_list("The answer is story, much, All, 2021.", "2021")
    'story, much, All, 2021'
    >>> _whole_list("The answer is 2, since x = 2.", "2")
    '2'
    """
    phrases = _PHRASE.findall(response[-20_000:])
    raw = phrases[-1].strip() if phrases else ""
    items = [item.strip() for item in raw.split(",")]
    if len(items) > 1 and items[-1] == answer and all(items):
        return raw
    return answer


@dataclass(frozen=True)
class _Case:
    index: int
    response: str
    problem: Problem


def grade_with_gym(
    pairs: Sequence[tuple[str, Problem]], timeout: float = TIMEOUT_S
) -> list[Verdict]:
    """reasoning-gym verdicts for (response, problem) pairs, in a killable worker."""
    if not pairs:
        return []
    verdicts: list[Verdict] = []
    with _worker_lock:
        worker = _take_worker()
        try:
            for index, (response, problem) in enumerate(pairs):
                verdict, worker = _grade_one(worker, _Case(index, response, problem), timeout)
                verdicts.append(verdict)
        finally:
            _park_worker(worker)
    return verdicts


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False


_idle: list[_Worker] = []
_worker_lock = threading.Lock()  # one caller at a time uses the (single) scoring worker


def _grade_one(worker: _Worker, case: _Case, timeout: float) -> tuple[Verdict, _Worker]:
    if not _wait_ready(worker):
        _kill(worker)
        return _timeout(f"the reasoning-gym worker did not start in {START_TIMEOUT_S:g}s"), _start()
    try:
        started = time.monotonic()
        worker.connection.send(case)
        if worker.connection.poll(timeout):
            verdict: Verdict = worker.connection.recv()
            if time.monotonic() - started <= timeout:
                return verdict, worker
            # the reply came, but after the bound (the scheduler can run the worker before
            # poll looks): the bound decides, and the worker is healthy
            return _timeout(f"reasoning-gym scoring ran past {timeout:g}s"), worker
    except (EOFError, OSError):
        _kill(worker)
        return _timeout("the reasoning-gym worker died while scoring (resource limit)"), _start()
    _kill(worker)
    return _timeout(f"reasoning-gym scoring ran past {timeout:g}s; the worker was killed"), _start()


def _timeout(reason: str) -> Verdict:
    return Verdict(False, Status.TIMEOUT, None, reason)


def _wait_ready(worker: _Worker) -> bool:
    if not worker.ready:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not worker.ready and time.monotonic() < deadline:
            if not worker.process.is_alive():
                return False
            try:
                if worker.connection.poll(0.1):
                    worker.ready = worker.connection.recv() == _READY
            except (EOFError, OSError):  # it died starting
                return False
    return worker.ready


def _serve(connection: Connection) -> None:
    """Worker loop: score cases until told to stop (None) or the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    import reasoning_gym  # noqa: F401  (loaded before READY, so no case pays for it)

    connection.send(_READY)
    while True:
        try:
            case: _Case | None = connection.recv()
        except EOFError:
            return
        if case is None:
            return
        connection.send(gym_verdict(case.response, case.problem))


def _take_worker() -> _Worker:
    while _idle:
        worker = _idle.pop()
        if worker.process.is_alive():
            return worker
    return _start()


def _park_worker(worker: _Worker) -> None:
    if worker.process.is_alive():
        _idle.append(worker)


def _start() -> _Worker:
    process, parent = start_serving(_serve)
    return _Worker(process, parent)


def _kill(worker: _Worker) -> None:
    worker.process.kill()
    worker.process.join(timeout=5)
    worker.connection.close()
