#!/usr/bin/env python3
"""requirements/runtime.txt: the part of requirements/lock.txt that running fichegen needs (its dependencies,
theirs, and the build back-end), with the same versions and hashes, and none of the test or bench tools.

The GitHub workflows that check and publish this repository's showcase install it (they need no Playwright,
no Hugo), and tests/test_wheel.py installs it into a fresh virtual environment beside the built wheel.
scripts/lock.sh runs this after pip-compile; `--check` exits 1 when runtime.txt does not match lock.txt.

Usage:  python3 scripts/runtime_requirements.py [--check]

Which locked packages are needed is read from pip-compile's own "# via" notes: a package is needed when
fichegen's [project] dependencies or build-system name it (a package pip-compile notes as "via fichegen" that
no optional extra names is a core dependency's own extra, such as pagefind[bin]'s pagefind-bin), or when a
needed package requires it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "requirements" / "lock.txt"
RUNTIME = REPO / "requirements" / "runtime.txt"
FICHEGEN = "fichegen (pyproject.toml)"
BUILD = "fichegen (pyproject.toml::build-system.requires)"
HEADER = """\
# The packages running fichegen needs, with the versions and hashes of requirements/lock.txt: made from it by
# scripts/runtime_requirements.py (run by scripts/lock.sh); do not edit. Install with
#   pip install --require-hashes --no-deps -r requirements/runtime.txt
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(spec: str) -> str:
    return canonical(re.match(r"[A-Za-z0-9._-]+", spec)[0])


def pins(text: str) -> dict[str, tuple[str, set[str]]]:
    """Package → (its block of lines, without the notes; the packages it is "via")."""
    out: dict[str, tuple[str, set[str]]] = {}
    name = None
    for line in text.splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==", line):
            name = canonical(match[1])
            out[name] = (line + "\n", set())
        elif name and line.startswith("    --hash="):
            block, via = out[name]
            out[name] = (block + line + "\n", via)
        elif name and (match := re.match(r"^    #\s+(?:via\s+)?(\S.*)$", line)) and match[1] != "via":
            out[name][1].add(match[1].strip())
        elif not line.startswith("    "):
            name = None
    return out


def runtime_requirements(lock_text: str, pyproject: dict) -> str:
    locked = pins(lock_text)
    core = {requirement_name(spec) for spec in pyproject["project"]["dependencies"]}
    extras = {requirement_name(spec) for specs in pyproject["project"].get("optional-dependencies", {}).values() for spec in specs}
    needed = {name for name, (_, via) in locked.items()
              if BUILD in via or (FICHEGEN in via and (name in core or name not in extras))}
    grown = True
    while grown:
        more = {name for name, (_, via) in locked.items() if name not in needed and via & needed}
        needed |= more
        grown = bool(more)
    return HEADER + "".join(locked[name][0] for name in sorted(needed))


def main() -> int:
    text = runtime_requirements(LOCK.read_text(encoding="utf-8"), tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8")))
    if "--check" in sys.argv[1:]:
        current = RUNTIME.read_text(encoding="utf-8") if RUNTIME.is_file() else ""
        if current != text:
            print("requirements/runtime.txt does not match requirements/lock.txt: run python3 scripts/runtime_requirements.py",
                  file=sys.stderr)
            return 1
        return 0
    RUNTIME.write_text(text, encoding="utf-8")
    print(f"Wrote {RUNTIME.relative_to(REPO)} ({text.count('==')} packages).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
