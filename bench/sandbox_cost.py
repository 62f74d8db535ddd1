#!/usr/bin/env python3
"""What Jinja's sandbox costs: the same synthetic project built with the built-in theme alone (trusted
templates) and with one template of its own (every page then renders in the sandbox).

Usage:  .venv/bin/python bench/sandbox_cost.py [--projects 1000] [--runs 3] [--work bench/work/sandbox]

Prints, per variant, the processor time (this process's CPU seconds, which a busy machine disturbs far less
than wall-clock time) of rendering every page of the site in memory, and of a whole cold build with one worker
(pages, data files, writing; no search index), each run and the median, then the sandbox's cost. The project
template is a copy of the built-in 404.html, so both variants render the very same pages.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fichegen.build import build  # noqa: E402
from fichegen.check import check  # noqa: E402
from fichegen.overrides import BUILTIN_THEME, Theme  # noqa: E402
from fichegen.render.pages import SiteRenderer  # noqa: E402


def build_cpu_seconds(root: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    started = time.process_time()
    result = build(root, out, search=False, workers=1)
    assert result.ok, [str(d) for d in result.check.errors][:5]
    return time.process_time() - started


def render_cpu_seconds(root: Path) -> tuple[float, int]:
    """Every page rendered in memory by the theme the project has: (CPU seconds, pages)."""
    result = check(root)
    renderer = SiteRenderer(result.graph, Theme.of(root))
    pages = renderer.pages()
    renderer.render_page(pages[0])   # templates compiled before the clock starts
    started = time.process_time()
    for page in pages:
        renderer.render_page(page)
    return time.process_time() - started, len(pages)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--projects", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=REPO / "bench" / "work" / "sandbox")
    args = ap.parse_args()
    root = args.work / f"corpus-{args.projects}"
    if not (root / "fichegen.toml").is_file():
        subprocess.run([sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(args.projects), str(root)], check=True)
    templates = root / "templates"
    variants = ("built-in theme (no sandbox)", "one project template (sandbox)")
    render: dict[str, list[float]] = {name: [] for name in variants}
    whole: dict[str, list[float]] = {name: [] for name in variants}
    pages = 0
    for _ in range(args.runs):   # interleaved, so that a busy moment of the machine hits both alike
        for name in variants:
            shutil.rmtree(templates, ignore_errors=True)
            if name == variants[1]:
                templates.mkdir()
                shutil.copy(BUILTIN_THEME / "templates" / "404.html", templates / "404.html")
            seconds, pages = render_cpu_seconds(root)
            render[name].append(seconds)
            whole[name].append(build_cpu_seconds(root, args.work / "site"))
    shutil.rmtree(templates, ignore_errors=True)
    print(f"{args.projects} projects, {pages} pages, {args.runs} runs of each variant, processor seconds:")
    for title, table in (("rendering every page in memory", render), ("a whole cold build (1 worker, no search)", whole)):
        print(f"  {title}:")
        for name, values in table.items():
            print(f"    {name:32} " + "  ".join(f"{v:6.2f}" for v in values) + f"   median {statistics.median(values):6.2f}")
        base, sandboxed = (statistics.median(v) for v in table.values())
        print(f"    sandbox cost: {sandboxed - base:+.2f} s ({(sandboxed / base - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
