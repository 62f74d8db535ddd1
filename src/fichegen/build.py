"""`build`: check, render every page and export in memory, then write the site in one swap."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import incremental
from .cache import CardCache, Fragments, PageManifest
from .check import CheckResult, check, default_workers
from .diagnostics import Diagnostic
from .exports.pieces import Pieces
from .i18n import theme_dir
from .render.pages import SHOWS_DATA_FILES, FolderOutput, Output, OutputCollision, Page, SiteRenderer
from .write import build_lock, stage_update, update_in_place, write_site


@dataclass
class BuildResult:
    check: CheckResult
    out: Path | None = None
    output: Output | None = None
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)   # files written, relative to `out`
    incremental: bool = False                          # only what changed since the last build was written
    pieces_made: int | None = None                     # fiches' pieces of the data files made anew (None: no cache)

    @property
    def ok(self) -> bool:
        return self.output is not None


def _update_generated(folder: Path, change: "incremental.Changes", root: Path, languages: list[str],
                      search: bool, handbook: bool) -> None:
    """An incremental update in a staging copy of the site, with the search index or handbook made again."""
    incremental.apply(folder, change)
    if search:
        from .search import index_site
        incremental.replace_folder(folder, "pagefind", lambda fresh: index_site(folder, languages, fresh))
    if handbook:
        from .handbook import build_handbook
        incremental.replace_folder(folder, "handbook", lambda fresh: build_handbook(root, fresh))


def build(root: Path, out: Path | None = None, base_path: str | None = None, *, search: bool | None = None,
          handbook: bool = False, progress: Callable[[str, int, int], None] | None = None,
          workers: int | None = None, cache_dir: Path | None = None) -> BuildResult:
    """Build the site of the project at `root`; nothing replaces the previous site unless every stage succeeded.

    Pages are rendered (over `workers` processes) straight into the staging folder that write.py swaps
    in at the end, so a site of any size never has to fit in memory; the data files are made meanwhile
    by the main process. With `cache_dir`, unchanged files are not read again and, when the last build
    of `out` is known, only the pages and data files whose inputs changed are made and written
    (incremental.py)."""
    started = time.perf_counter()
    root = Path(root)
    result = BuildResult(check(root, cache_dir=cache_dir, workers=workers))
    result.steps["check"] = time.perf_counter() - started
    if not result.check.ok():
        return result
    graph = result.check.graph
    config = result.check.config
    assert graph is not None and config is not None
    out = Path(out) if out else root / config.output_dir
    renderer = SiteRenderer(graph, theme_dir(root, config), base_path)
    pages = renderer.pages()
    manifest = PageManifest(cache_dir, out) if cache_dir else None
    site_wide = incremental.global_digest(renderer) if manifest else ""
    fiche_signatures = incremental.fiche_signatures(graph, site_wide) if manifest else {}
    pieces = Pieces(Fragments(cache_dir), fiche_signatures) if cache_dir else None
    page_signatures = incremental.signatures(renderer, pages, site_wide, fiche_signatures) if manifest else {}
    previous = manifest.load() if manifest else {}
    updating = bool(manifest) and incremental.can_update(out, previous, site_wide)
    cards = CardCache(cache_dir, incremental.card_signatures(graph, site_wide), fresh=not updating) if cache_dir else None
    if cards:
        renderer.use_card_cache(cards)
    with_search = search if search is not None else config.search

    def make_exports(output: Output) -> None:
        t0 = time.perf_counter()
        from .exports import add_exports
        renderer.render_extras(output)
        add_exports(output, renderer, pages, pieces)
        renderer.check_paths(pages, output)
        result.steps["exports"] = time.perf_counter() - t0
        result.pieces_made = pieces.fragments.made if pieces else None

    def remember(output: Output) -> None:
        """After the swap: what the next build may reuse."""
        if manifest and pieces and cards:
            manifest.save(site_wide, {**output.digests(), **page_signatures})
            pieces.fragments.save()
            cards.save()

    try:
        if updating:
            t0 = time.perf_counter()
            output = Output()
            with build_lock(out):
                make_exports(output)
                change = incremental.changes(renderer, out, pages, output, page_signatures, previous["files"],
                                             limit=incremental.MOST_PAGES)
                if change is not None:
                    manifest.forget()    # until every file is in place, the manifest would describe a site that is not there
                    html_changed = any(rel.endswith(".html") for rel in [*change.writes, *change.deletes])
                    if (with_search and html_changed) or handbook:
                        stage_update(out, lambda folder: _update_generated(folder, change, root, config.languages,
                                                                           with_search and html_changed, handbook))
                    else:
                        update_in_place(out, change.writes, change.deletes)
                    remember(output)
            if change is not None:
                _count_pages(output, pages)
                result.written = sorted(change.writes)
                result.steps["update"] = time.perf_counter() - t0
                result.incremental, result.out, result.output = True, out, output
                result.seconds = time.perf_counter() - started
                return result
            # too many changes: a full build, which makes the data files again
        done = 0
        output = Output()    # replaced by the staging folder's FolderOutput once there is one

        def tick(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("render", done, len(pages))

        def finish(folder: Path) -> None:
            """Fills the staging folder, before it replaces the old site."""
            nonlocal output
            t1 = time.perf_counter()
            output = FolderOutput(folder)
            later = [page for page in pages if page.key in SHOWS_DATA_FILES]
            first = [page for page in pages if page.key not in SHOWS_DATA_FILES]
            renderer.check_paths(pages, output)
            # The data files are made by this process, straight into the folder, while the workers render
            # the pages; the pages that list the data files (with their sizes) come last.
            renderer.render_into(folder, first, output, workers or default_workers(), tick, meanwhile=lambda: make_exports(output))
            renderer.render_into(folder, later, output, 1, tick)
            shutil.copyfile(folder / config.default_language / "404.html", folder / "404.html")
            # the data files were made during the render: "exports" is part of this time, not added to it
            result.steps["render"] = time.perf_counter() - t1
            if with_search:
                t1 = time.perf_counter()
                from .search import index_site
                index_site(folder, config.languages)
                result.steps["search"] = time.perf_counter() - t1
            if handbook:
                from .handbook import build_handbook
                build_handbook(root, folder / "handbook")

        t0 = time.perf_counter()
        with build_lock(out):
            if manifest:
                manifest.forget()    # a build killed before the swap must not be taken for this one
            write_site(out, finish)
            remember(output)
    except OutputCollision as exc:
        result.check.diagnostics.append(Diagnostic(str(exc), 1, 1, "output-collision", f"two pages would be written to {exc}",
                                                   "rename one of the fiches or terms"))
        return result
    _count_pages(output, pages)
    result.written = sorted(output.paths()) + sorted(page_signatures) + ["404.html"]
    result.steps["write"] = time.perf_counter() - t0 - result.steps.get("search", 0) - result.steps["render"]
    result.out = out
    result.output = output
    result.seconds = time.perf_counter() - started
    return result


def _count_pages(output: Output, pages: list[Page]) -> None:
    for page in pages:
        output.pages[page.lang] = output.pages.get(page.lang, 0) + 1
