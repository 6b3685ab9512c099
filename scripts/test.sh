#!/usr/bin/env bash
# Set up, then lint, type-check and run the test suite (CPU only, no network needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
# shellcheck disable=SC1091
. .venv/bin/activate
# Headless Chromium renders the HTML report in tests/report; without it those tests skip.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            chromium chromium-driver >/dev/null) || echo "warning: chromium not installed"
    fi
fi
ruff check src tests benchmarks
ruff format --check src
mypy
# Every test file and every src/ module with doctests must collect something (pytest skips
# folders such as build/ without a word).
python scripts/check_collection.py
python -m pytest "$@"
# The examples in src/'s docstrings run too (a few seconds).
python -m pytest --doctest-modules src/reasonloop -q -p no:cacheprovider
