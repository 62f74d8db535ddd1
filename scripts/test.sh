#!/usr/bin/env bash
# One command to run every test (unit, end-to-end, browser): sets up what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-build
exec .venv/bin/python -m pytest "$@"
