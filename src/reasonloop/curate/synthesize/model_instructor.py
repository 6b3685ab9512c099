"""Any reasonloop backend as the instructor: prompt templates from data files, JSON replies.

An OpenAI-compatible server running a strong model is the intended use. Prompts live in
`reasonloop/data/synthesize_*.txt` (`$name` placeholders). Every reply goes through the reply
cache (so a killed run resumes without asking again) and is read strictly by `replies`; a
malformed reply is counted in `malformed[step]` and skipped.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from string import Template

from tqdm import tqdm

from reasonloop.backends.base import Sampler, SamplingParams
from reasonloop.curate.synthesize import replies
from reasonloop.curate.synthesize.cache import ReplyCache
from reasonloop.curate.synthesize.instructor import SynthesisRequest
from reasonloop.curate.synthesize.records import BadCase, CaseKeyphrases, SynthesizedProblem

MAX_RESPONSE_CHARS = 2_000  # of a wrong response shown to the instructor


@cache
def load_prompt(name: str) -> Template:
    """The prompt template `reasonloop/data/synthesize_<name>.txt`."""
    text = resources.files("reasonloop").joinpath(f"data/synthesize_{name}.txt").read_text("utf-8")
    return Template(text)


class ModelInstructor:
    """A model behind a `Sampler` that analyses errors and writes problems."""

    def __init__(
        self,
        sampler: Sampler,
        cache: ReplyCache,
        *,
        temperature: float = 0.7,
        max_new_tokens: int = 1024,
        progress: bool = False,
    ) -> None:
        self.sampler, self.cache = sampler, cache
        self.name = sampler.model_id
        self.temperature, self.max_new_tokens = temperature, max_new_tokens
        self.malformed: Counter[str] = Counter()
        self.progress = progress

    def _ask(self, prompt: str, seed: int = 0) -> str:
        params = SamplingParams(
            max_new_tokens=self.max_new_tokens, temperature=self.temperature, seed=seed
        )
        conversation = [{"role": "user", "content": prompt}]
        return self.cache.generate(self.sampler, [conversation], params)[0]

    def describe_errors(self, cases: Sequence[BadCase]) -> list[CaseKeyphrases]:
        described: list[CaseKeyphrases] = []
        for case in tqdm(cases, desc="describe errors", unit="bad case", disable=not self.progress):
            prompt = load_prompt("keyphrases").substitute(
                question=case.problem.question,
                gold=case.problem.gold,
                response=case.wrong_responses[0][:MAX_RESPONSE_CHARS],
            )
            phrases = replies.read_keyphrases(self._ask(prompt))
            if phrases is None:
                self.malformed["keyphrases"] += 1
                continue
            described.append(CaseKeyphrases(case.problem.id, phrases))
        return described

    def propose_types(self, keyphrases: Sequence[str]) -> Mapping[str, Sequence[str]]:
        prompt = load_prompt("seed_types").substitute(keyphrases=_bullets(keyphrases))
        types = replies.read_types(self._ask(prompt))
        if types is None:
            self.malformed["types"] += 1
            return {}
        return types

    def assign_types(self, types: Sequence[str], keyphrases: Sequence[str]) -> Mapping[str, str]:
        prompt = load_prompt("assign_types").substitute(
            types=_bullets(types), keyphrases=_bullets(keyphrases)
        )
        assignments = replies.read_assignments(self._ask(prompt))
        if assignments is None:
            self.malformed["assign"] += 1
            return {}
        return assignments

    def synthesize(self, request: SynthesisRequest) -> list[SynthesizedProblem]:
        accepted = "".join(
            f"\nProblems already written for this error (write different ones):\n"
            f"{_bullets([p.question for p in request.accepted])}\n"
            for _ in range(1 if request.accepted else 0)
        )
        prompt = load_prompt("problems").substitute(
            error_type=request.error_type.name,
            keyphrases=json.dumps(list(request.error_type.keyphrases[:3]), ensure_ascii=False),
            examples=_bullets(
                [f"{c.problem.question} (answer: {c.problem.gold})" for c in request.examples]
            ),
            accepted=accepted,
            n=request.n,
            attempt=request.attempt + 1,
        )
        items = replies.read_problems(self._ask(prompt, seed=request.attempt))
        if items is None:
            self.malformed["problems"] += 1
            return []
        return [
            SynthesizedProblem(
                id=f"model-{request.attempt}-{index}",
                error_type=request.error_type.name,
                question=item["question"],
                solution=item["solution"],
                answer=item["answer"],
                meta={"instructor": self.name},
            )
            for index, item in enumerate(items[: request.n])
        ]


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
