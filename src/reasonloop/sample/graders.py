"""Grade responses by each problem's grader: reasonloop's verifier, or reasoning-gym's scorer.

A problem's `meta["grader"]` says which (`reasonloop.tasks.gym` sets it per task); problems
without one are graded by the verifier, as before. For `reasoning_gym`, the response's final
answer is read by reasonloop's `extract_answer` (the last `<answer>` tag, box or answer phrase),
and the generator's `score_answer` scores it against the rebuilt item: a score of 1.0 is
correct, anything less incorrect (its reason says the score).

The response is untrusted and some scorers run library code on it (sympy's `parse_expr` for
the expression tasks, long loops for grids and moves), so scoring runs in a worker process that
is killed when a case runs past its time bound, like the verifier's workers; the case gets
status timeout and a fresh worker serves the rest. Building a task's generator is not the
response's doing and some take seconds (arc_agi reads its puzzle files, knight_swap searches
for each puzzle's solution), so the worker builds each generator and item once, under its own
longer bound, before the first case that needs it, and keeps them for the rest.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from reasonloop.tasks.gym import SCORING_ENTRIES_KEPT
from reasonloop.tasks.problem import Problem
from reasonloop.verify.verdict import Status, Verdict
from reasonloop.verify.workers import start_serving

GYM_GRADER = "reasoning_gym"
TIMEOUT_S = 5.0  # per case, the scoring alone
START_TIMEOUT_S = 60.0  # a fresh worker imports reasoning-gym (a few seconds on a busy machine)
# a worker builds a task's generator and item (arc_agi's ~9 s, knight_swap's ~40 s when busy)
BUILD_TIMEOUT_S = 180.0
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
    """reasoning-gym's verdict on one response; runs in the worker (see the module doc).

    The response's one final answer can be read in more than one way where its text is not
    math (`gym_readings`: as the math extraction reads it, and as written, to the end of its
    line or, for a multi-line gold such as a grid, its block); it is correct when a reading
    scores 1. These are readings of one answer, never several answers: a hedge ("3 or 4") is
    one text the scorer compares whole.
    """
    from reasonloop.tasks.gym import score_with_gym

    readings = gym_readings(response, problem.gold)
    if not readings:
        return Verdict(False, Status.NO_ANSWER, None, "no final answer found")
    gold, best = problem.gold, 0.0
    for answer in readings:
        try:
            score = score_with_gym(answer, problem)
        except Exception as error:  # the one boundary: a scorer that fails on odd input
            reason = f"reasoning-gym scorer raised {error!r}"
            return Verdict(False, Status.INCORRECT, answer, reason)
        if score == 1.0:
            return Verdict(True, Status.CORRECT, answer, f"reasoning-gym score 1 (gold {gold!r})")
        best = max(best, score)
    reason = f"reasoning-gym score {best:g} (gold {gold!r})"
    return Verdict(False, Status.INCORRECT, readings[0], reason)


def gym_readings(response: str, gold: str) -> list[str]:
    """The readings of the response's final answer that a reasoning-gym scorer gets, first
    the main one (`read_gym_answer`); with an `<answer>` tag, only the tag's text. Then the
    last answer phrase as written (`The answer is X; Y.` is `X; Y`, which math reading cuts at
    the semicolon), keeping a final period where the gold ends with one, and where the gold
    spans lines, the lines after the phrase up to a blank line (a grid, a board).

    >>> gym_readings("The answer is:\\n1 0\\n0 1\\n\\nDone.", "1 0\\n0 1")
    ['1 0', '1 0\\n0 1']
    >>> gym_readings("The answer is All of it; the rest.", "All of it; the rest.")
    ['All of it', 'All of it; the rest.']
    """
    main = read_gym_answer(response)
    if _TAG.search(response) and main is not None:
        return [main]
    readings = [main] if main is not None else []
    tail = response[-20_000:]
    phrase = list(_PHRASE_START.finditer(tail))
    if phrase:
        rest = tail[phrase[-1].end() :]
        line, _, after = rest.partition("\n")
        line = _trim(line, gold)
        if line:
            readings.append(line)
        if "\n" in gold.strip():
            block = _block(after, line)
            if block:
                readings.append(block)
    unique: list[str] = []
    for reading in readings:
        if reading and reading not in unique:
            unique.append(reading)
    return unique


# Where the last answer phrase starts its answer: "answer is", "answer:", "**Answer:**".
_PHRASE_START = re.compile(r"(?i)\banswer(?:\*\*)?[ \t]*(?:is\b[ \t]*:?|:)(?:\*\*)?[ \t]*")


def _trim(text: str, gold: str) -> str:
    """An answer as written, without markdown emphasis, quotes of code and, unless the gold
    has one, a final period."""
    text = text.strip()
    if text.startswith("**") and text.endswith("**") and len(text) > 4:
        text = text[2:-2].strip()
    text = text.strip("`").strip()
    if text.endswith("."):  # the sentence's period, and the gold's own where it has one
        text = text.rstrip(".").rstrip() + ("." if gold.strip().endswith(".") else "")
    return text


def _block(text: str, first: str) -> str:
    """`first` and the lines of `text` up to an empty line (code fences left out): an answer
    that spans lines. A line of spaces is part of it (futoshiki's rows between rows)."""
    lines = [first] if first else []
    for raw in text.split("\n"):
        if raw.strip().startswith("```"):
            if lines:
                break
            continue
        if not raw.strip() and (not lines or not raw):
            if lines:
                break
            continue
        lines.append(raw.rstrip("\r"))
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and lines[-1].endswith("."):
        lines[-1] = lines[-1].rstrip(".").rstrip()
    return "\n".join(lines)


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


@dataclass(frozen=True)
class _Build:
    """Build (and keep) the generator and the item that score `problem`."""

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
    built: set[tuple[str, int]] = field(default_factory=set)  # (dataset key, item) it holds


_idle: list[_Worker] = []
_worker_lock = threading.Lock()  # one caller at a time uses the (single) scoring worker


def _grade_one(worker: _Worker, case: _Case, timeout: float) -> tuple[Verdict, _Worker]:
    if not _wait_ready(worker):
        _kill(worker)
        return _timeout(f"the reasoning-gym worker did not start in {START_TIMEOUT_S:g}s"), _start()
    if not _build(worker, case.problem):
        _kill(worker)
        task = case.problem.meta.get("rg_task")
        reason = f"building reasoning-gym's {task} item ran past {BUILD_TIMEOUT_S:g}s"
        return _timeout(reason), _start()
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


def _build(worker: _Worker, problem: Problem) -> bool:
    """The worker holds `problem`'s generator (built now, under BUILD_TIMEOUT_S, if not)."""
    from reasonloop.tasks.gym import dataset_key

    try:
        item = (dataset_key(problem), int(problem.meta["rg_index"]))
    except (KeyError, TypeError, ValueError):  # no generator named: the scoring reports it
        return True
    if item in worker.built:
        return True
    try:
        worker.connection.send(_Build(problem))
        if not worker.connection.poll(BUILD_TIMEOUT_S):
            return False
        reply = worker.connection.recv()
    except (EOFError, OSError):
        return False
    if reply is None:  # the build raised: the case's own scoring reports it
        return True
    if len(worker.built) >= SCORING_ENTRIES_KEPT:  # as the worker forgets items
        worker.built.clear()
    worker.built.add(item)
    return True


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
        if isinstance(case, _Build):
            connection.send(_build_here(case.problem))
            continue
        connection.send(gym_verdict(case.response, case.problem))


def _build_here(problem: Problem) -> bool | None:
    """In the worker: build `problem`'s generator and item; True, or None where building
    raised (the scoring then raises the same error and the verdict says it)."""
    from reasonloop.tasks.gym import scoring_entry

    try:
        scoring_entry(problem)
    except Exception:  # reported by the case itself (gym_verdict's boundary)
        return None
    return True


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
