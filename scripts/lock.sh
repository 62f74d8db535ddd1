#!/usr/bin/env bash
# Refresh the lock: every dependency of fichegen (runtime, test and bench extras, and the build back-end) pinned
# to one version with the hashes of its files, into requirements/lock.txt, and its runtime part into
# requirements/runtime.txt. Run it after changing the
# dependencies in pyproject.toml, or to move to newer releases on purpose; then run the tests and commit both.
#   bash scripts/lock.sh            # resolve again from pyproject.toml, keeping the pinned versions that still fit
#   bash scripts/lock.sh --upgrade  # take the newest release of everything pyproject.toml allows
# Made with pip-tools (pip-compile), pinned below: its output installs with plain pip (--require-hashes).
set -euo pipefail
cd "$(dirname "$0")/.."

PIP_TOOLS_VERSION=7.6.2
python=${PYTHON:-python3}
tools=.venv-lock
# Only the package index pip uses by default: no local wheel folders or extra indexes of this machine.
export PIP_CONFIG_FILE=/dev/null
unset PIP_FIND_LINKS PIP_EXTRA_INDEX_URL PIP_INDEX_URL PIP_CONSTRAINT || true
if [ ! -x "$tools/bin/pip-compile" ]; then
  "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --upgrade pip
  "$tools/bin/python" -m pip install --quiet "pip-tools==$PIP_TOOLS_VERSION"
fi
"$tools/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras --resolver=backtracking \
  --extra test --extra bench --all-build-deps \
  --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --no-emit-options \
  --output-file requirements/lock.txt "$@" pyproject.toml
# The runtime part of the lock (what the check and publish workflows install): same versions, same hashes.
"$python" scripts/runtime_requirements.py
echo "Wrote requirements/lock.txt and requirements/runtime.txt. Run bash scripts/test.sh, then commit them with pyproject.toml."
