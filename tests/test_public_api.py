"""The package's public surface is explicit and light to import."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import reasonloop

EXPECTED = {
    "ConfigError", "DataError", "DrawSettings", "GradedSample", "LoopConfig", "Problem",
    "PromptTemplate",
    "ReasonloopError", "RunDirError", "RunFingerprint", "RunStore", "SamplingParams", "Status",
    "Verdict", "__version__", "accuracy_with_ci", "build_dpo_pairs", "build_grpo_prompts",
    "build_rows", "build_sft_dataset", "estimate_pass_at_k", "extract_answer", "generate_task",
    "load_config", "load_problems", "load_sampler", "load_template", "math_reward",
    "plan_resampling", "profile_difficulty", "profile_run", "rationalize", "resample_run",
    "resolve_model_source", "run_loop", "sample_problems", "verify_batch",
}  # fmt: skip


def test_all_is_pinned() -> None:
    assert set(reasonloop.__all__) == EXPECTED
    assert all(hasattr(reasonloop, name) for name in reasonloop.__all__)


def test_every_public_name_is_in_all() -> None:
    # A name the package hands out must be listed, so `from reasonloop import *` and the docs
    # agree with what `reasonloop.X` gives.
    public = {name for name in dir(reasonloop) if not name.startswith("_")}
    # Submodules become attributes once imported (by this or any earlier test); they are not
    # names the package hands out, so they are read off the package directory, not listed.
    subpackages = {module.name for module in pkgutil.iter_modules(reasonloop.__path__)}
    assert public - subpackages <= set(reasonloop.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = reasonloop.nothing_here  # type: ignore[attr-defined]


def test_the_top_level_import_is_lazy() -> None:
    # `import reasonloop.verify` runs the package's __init__ first: it must load no stage.
    code = (
        "import sys, reasonloop; "
        "print(sorted(m for m in sys.modules if m.startswith('reasonloop')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['reasonloop']"


def test_subpackages_are_not_shadowed_by_functions() -> None:
    import reasonloop.evaluate
    import reasonloop.verify

    assert hasattr(reasonloop.verify, "__all__") and callable(reasonloop.verify.verify)
    assert callable(reasonloop.evaluate.evaluate)


def test_import_loads_no_heavy_dependency() -> None:
    code = (
        "import sys, reasonloop; "
        "print(sorted(m for m in ('torch', 'transformers', 'trl', 'sympy', 'datasets') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_cli_subcommand_builds() -> None:
    from reasonloop.cli.main import COMMANDS, build_parser

    parser = build_parser()
    for name in COMMANDS:
        with_help = subprocess.run(
            [sys.executable, "-m", "reasonloop.cli.main", name, "--help"],
            capture_output=True,
            text=True,
        )
        assert with_help.returncode == 0, with_help.stderr
    assert parser.prog == "reasonloop"
