#!/usr/bin/env bash
# Set up, then run the main job: the self-improvement loop on the embedded default model.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh train
# shellcheck disable=SC1091
. .venv/bin/activate
reasonloop demo --out "${1:-demo-out}"
