#!/usr/bin/env bash
# The tests against the newest releases pyproject.toml allows (not the lock): learns about drift before a
# refreshed lock or a user's fresh install meets it. Uses its own virtual environment, .venv-latest/.
#   bash scripts/test-latest.sh [pytest arguments]
# When it passes, `bash scripts/lock.sh --upgrade` moves the lock to those versions; when it fails, fix the code
# (or bound the dependency in pyproject.toml) before the lock moves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-build     # system packages and npm tools, shared with the locked set-up
python=${PYTHON:-python3}
rm -rf .venv-latest
"$python" -m venv .venv-latest
.venv-latest/bin/python -m pip install --quiet --upgrade pip
.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
.venv-latest/bin/python -m pip freeze --exclude-editable > .venv-latest/versions.txt
echo "Testing with the newest allowed versions (listed in .venv-latest/versions.txt):"
grep -i -E '^(pyyaml|pydantic|jinja2|pyromark|babel|nh3|pagefind|mkdocs-material|click|orjson)==' .venv-latest/versions.txt || true
# Every test but the one that holds the environment to the lock, which this environment leaves on purpose.
exec .venv-latest/bin/python -m pytest --deselect tests/test_reproducible.py::test_this_environment_runs_the_locked_versions "$@"
