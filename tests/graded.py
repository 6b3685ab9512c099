"""Graded samples and difficulty profiles built from verdict strings ("1" correct, "0" not)."""

from __future__ import annotations

from reasonloop.profile.difficulty import DifficultyCuts, DifficultyProfile, profile_difficulty
from reasonloop.sample.record import GradedSample


def make_samples(problem_id: str, verdicts: str) -> list[GradedSample]:
    return [
        GradedSample(
            problem_id=problem_id,
            sample_index=i,
            prompt=[{"role": "user", "content": "q"}],
            response="r",
            correct=v == "1",
            status="correct" if v == "1" else "incorrect",
            answer="1" if v == "1" else "0",
            prompt_tokens=1,
            completion_tokens=1,
            finish_reason="stop",
            latency_s=0.0,
        )
        for i, v in enumerate(verdicts)
    ]


def make_profile(verdicts: dict[str, str], cuts: DifficultyCuts | None = None) -> DifficultyProfile:
    return profile_difficulty({pid: make_samples(pid, v) for pid, v in verdicts.items()}, cuts)
