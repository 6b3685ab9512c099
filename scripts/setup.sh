#!/usr/bin/env bash
# Create .venv and install reasonloop with the given extras (default: train).
# PyTorch is pinned to the CPU build on purpose: any other torch requirement pulls gigabytes
# of CUDA wheels. On a GPU machine, install your CUDA torch first and this keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-train}"
python3 -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install -q --upgrade pip
if ! python -c "import torch" 2>/dev/null; then
    python -m pip install -q torch==2.13.0
fi
python -m pip install -q -e ".[${extras}]"
