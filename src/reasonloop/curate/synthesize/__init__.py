"""Error-driven data synthesis (Self-Error-Instruct): turn a model's failures into new problems.

Bad cases of a run -> error keyphrases -> error types -> new problems per type (quota by bad
cases, ROUGE-L near-duplicate and gradability filter) -> one-shot filter -> a kept set in
TRL's SFT format. The instructor is any backend (`ModelInstructor`) or, for the built-in
tasks, the offline `BuiltinInstructor`.
"""

from reasonloop.curate.synthesize.builtin import BuiltinInstructor
from reasonloop.curate.synthesize.cache import ReplyCache
from reasonloop.curate.synthesize.instructor import Instructor, SynthesisRequest
from reasonloop.curate.synthesize.model_instructor import ModelInstructor
from reasonloop.curate.synthesize.one_shot import AccuracyScorer, DemoScorer, select_kept
from reasonloop.curate.synthesize.pipeline import SynthesisConfig, SynthesisResult, synthesize_run
from reasonloop.curate.synthesize.records import (
    BadCase,
    CaseKeyphrases,
    ErrorType,
    OneShotScore,
    SynthesizedProblem,
)
from reasonloop.curate.synthesize.rouge import rouge_l_f
from reasonloop.curate.synthesize.synth_dir import write_outputs
from reasonloop.curate.synthesize.synthesis import allocate_quotas

__all__ = [
    "AccuracyScorer",
    "BadCase",
    "BuiltinInstructor",
    "CaseKeyphrases",
    "DemoScorer",
    "ErrorType",
    "Instructor",
    "ModelInstructor",
    "OneShotScore",
    "ReplyCache",
    "SynthesisConfig",
    "SynthesisRequest",
    "SynthesisResult",
    "SynthesizedProblem",
    "allocate_quotas",
    "rouge_l_f",
    "select_kept",
    "synthesize_run",
    "write_outputs",
]
