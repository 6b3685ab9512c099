"""Graded samples and difficulty profiles built from verdict strings ("1" correct, "0" not)."""

from __future__ import annotations

from reasonloop.profile.difficulty import DifficultyCuts, DifficultyProfile, profile_difficulty
from reasonloop.sample.record import GradedSample


def make_samples(problem_id: str, verdicts: str, answers: str | None = None) -> list[GradedSample]:
    """Samples from verdicts; each answer is "1"/"0" unless `answers` gives it ("_" = none)."""
    return [
        GradedSample(
            problem_id=problem_id,
            sample_index=i,
            prompt=[{"role": "user", "content": "q"}],
            response="r",
            correct=v == "1",
            status="correct" if v == "1" else "incorrect",
            answer=v if answers is None else (None if answers[i] == "_" else answers[i]),
            prompt_tokens=1,
            completion_tokens=1,
            finish_reason="stop",
            latency_s=0.0,
        )
        for i, v in enumerate(verdicts)
    ]


def make_profile(verdicts: dict[str, str], cuts: DifficultyCuts | None = None) -> DifficultyProfile:
    return profile_difficulty({pid: make_samples(pid, v) for pid, v in verdicts.items()}, cuts)
