#!/usr/bin/env python3
"""What Jinja's sandbox costs: the same synthetic project built with the built-in theme alone (trusted
templates) and with one template of its own (every page then renders in the sandbox).

Usage:  .venv/bin/python bench/sandbox_cost.py [--projects 1000] [--runs 3] [--workers 1] [--work bench/work/sandbox]

Prints, per variant, the render time of each cold build (pages and data files, no search index) and the
median, then the sandbox's cost as a share of the render time. The project template is a copy of the
built-in 404.html, so both variants render the very same pages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fichegen.build import build  # noqa: E402
from fichegen.overrides import BUILTIN_THEME  # noqa: E402


def render_seconds(root: Path, out: Path, workers: int) -> float:
    shutil.rmtree(out, ignore_errors=True)
    result = build(root, out, search=False, workers=workers)
    assert result.ok, [str(d) for d in result.check.errors][:5]
    return result.steps["render"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "sandbox")
    args = ap.parse_args()
    root = args.work / f"corpus-{args.projects}"
    if not (root / "fichegen.toml").is_file():
        subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(args.projects), str(root)], check=True)
    templates = root / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    times: dict[str, list[float]] = {"built-in theme (no sandbox)": [], "one project template (sandbox)": []}
    for _ in range(args.runs):   # interleaved, so that a busy moment of the machine hits both alike
        shutil.rmtree(templates, ignore_errors=True)
        times["built-in theme (no sandbox)"].append(render_seconds(root, args.work / "site", args.workers))
        templates.mkdir()
        shutil.copy(BUILTIN_THEME / "templates" / "404.html", templates / "404.html")
        times["one project template (sandbox)"].append(render_seconds(root, args.work / "site", args.workers))
    shutil.rmtree(templates, ignore_errors=True)
    print(f"{args.projects} projects, {args.runs} cold builds each, {args.workers} worker(s), render step (pages and data files):")
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        print(f"  {name:34} " + "  ".join(f"{v:6.2f} s" for v in values) + f"   median {medians[name]:6.2f} s")
    base, sandboxed = medians.values()
    print(f"  sandbox cost: {sandboxed - base:+.2f} s ({(sandboxed / base - 1) * 100:+.1f} % of the render step)")


if __name__ == "__main__":
    main()
