#!/usr/bin/env bash
# Set up, then lint, type-check and run the test suite (CPU only, no network needed).
#
#   bash scripts/test.sh              everything, as CI runs it (.ci/run)
#   bash scripts/test.sh --quick      without the tests marked slow (the embedded model, Ray
#                                     clusters, loops that train): for a quick check
#   bash scripts/test.sh ARGS...      ARGS go to pytest (e.g. tests/sample -x)
#
# The tests run on every core (pytest-xdist; REASONLOOP_TEST_WORKERS=0 runs them in this
# process, =N in N workers). The README says what each part takes.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
if [ "${1:-}" = "--quick" ]; then
    shift
    quick=(-m "not slow")
fi
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
# loadgroup: the Ray tests share one worker (tests/conftest.py). The 30 slowest tests are
# listed at the end: where CI's time goes.
python -m pytest -n "${REASONLOOP_TEST_WORKERS:-auto}" --dist loadgroup --durations=30 \
    ${quick[@]+"${quick[@]}"} "$@"
# The examples in src/'s docstrings run too (a few seconds).
python -m pytest --doctest-modules src/reasonloop -q -p no:cacheprovider
