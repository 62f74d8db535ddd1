"""`build`: check, render every page and export in memory, then write the site in one swap."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .check import CheckResult, check
from .diagnostics import Diagnostic
from .i18n import theme_dir
from .render.pages import Output, OutputCollision, SiteRenderer
from .write import build_lock, write_site


@dataclass
class BuildResult:
    check: CheckResult
    out: Path | None = None
    output: Output | None = None
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.output is not None


def build(root: Path, out: Path | None = None, base_path: str | None = None, *, search: bool | None = None,
          handbook: bool = False, progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build the site of the project at `root`; nothing is written unless every stage succeeded."""
    started = time.perf_counter()
    root = Path(root)
    result = BuildResult(check(root))
    result.steps["check"] = time.perf_counter() - started
    if not result.check.ok():
        return result
    graph = result.check.graph
    config = result.check.config
    assert graph is not None and config is not None
    out = Path(out) if out else root / config.output_dir
    renderer = SiteRenderer(graph, theme_dir(root, config), base_path)
    output = Output()
    pages = renderer.pages()
    t0 = time.perf_counter()
    try:
        done = 0

        def tick():
            nonlocal done
            done += 1
            if progress:
                progress("render", done, len(pages))

        renderer.render(output, pages, tick)
        from .exports import add_exports
        add_exports(output, renderer, pages)
    except OutputCollision as exc:
        result.check.diagnostics.append(Diagnostic(str(exc), 1, 1, "output-collision", f"two pages would be written to {exc}",
                                                   "rename one of the fiches or terms"))
        return result
    result.steps["render"] = time.perf_counter() - t0

    def finish(folder: Path) -> None:
        """Runs on the complete new site, before it replaces the old one."""
        if search if search is not None else config.search:
            t1 = time.perf_counter()
            from .search import index_site
            index_site(folder, config.languages)
            result.steps["search"] = time.perf_counter() - t1
        if handbook:
            from .handbook import build_handbook
            build_handbook(root, folder / "handbook")

    t0 = time.perf_counter()
    with build_lock(out):
        write_site(output.files, out, finish)
    result.steps["write"] = time.perf_counter() - t0 - result.steps.get("search", 0)
    result.out = out
    result.output = output
    result.seconds = time.perf_counter() - started
    return result
