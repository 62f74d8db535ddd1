"""`build`: check, then render every page and data file into a staging folder swapped in whole, or update
only what changed since the last build."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import incremental
from .budgets import SiteBudget, SiteTooLarge, size_after_update
from .cache import CardCache, Fragments, OutputManifest
from .check import CheckResult, check, default_workers
from .config import CONFIG_FILE
from .dependencies import GraphReader, InputDigests
from .diagnostics import Diagnostic
from .editor.admin import add_editor
from .exports import add_exports
from .exports.pieces import Pieces
from .output import FolderOutput, Output, OutputCollision
from .overrides import Theme
from .render.pages import DOWNLOADS, SHOWS_DATA_FILES, SiteRenderer
from .render.urls import file_for
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
    site_bytes: int | None = None                      # the size of the site written
    site_budget: int | None = None                     # max_site_bytes it was held to

    @property
    def ok(self) -> bool:
        return self.output is not None


#: How an incremental build knows what a page depends on: "recorded" (what it read while it was rendered), or, for
#: tests only, "own-file" (a fiche page taken to depend on its own file alone: the kind of guess that goes stale).
DEPENDENCIES = ("recorded", "own-file")


class BudgetedOutput(FolderOutput):
    """The staging folder's data and static files, each counted against the site's budget as it is written."""

    def __init__(self, folder: Path, budget: SiteBudget):
        super().__init__(folder)
        self.budget = budget

    def add(self, path: str, content) -> None:
        super().add(path, content)
        self.budget.add(self.size(path) or 0)


class _Build:
    """One build's state between its stages: the graph rendered, the caches it reuses, the timings."""

    def __init__(self, root: Path, result: BuildResult, out: Path, base_path: str | None, search: bool, handbook: bool,
                 cache_dir: Path | None, editor: bool | None = None, dependencies: str = "recorded"):
        graph, self.config = result.check.graph, result.check.config
        assert graph is not None and self.config is not None
        self.root, self.result, self.out, self.search, self.handbook = root, result, out, search, handbook
        self.editor = self.config.editor.enabled if editor is None else editor
        self.renderer = SiteRenderer(graph, result.check.theme or Theme.of(root), base_path)
        self.budget = SiteBudget.of(self.config)
        self.pages = self.renderer.pages()
        self.paths = {file_for(page.url, self.renderer.urls.base_path): page.key for page in self.pages}
        self.digests = InputDigests(graph)
        own_file = dependencies == "own-file"
        self.narrow = incremental.own_file_only if own_file else None
        # What the last build of `out` left in the cache: what each page read, the data pieces, the cards.
        self.manifest = OutputManifest(cache_dir, out) if cache_dir else None
        self.site = incremental.site_digest(self.renderer) if cache_dir else ""
        self.previous = self.manifest.load() if self.manifest else {}
        self.updating = bool(self.manifest) and incremental.can_update(out, self.previous, self.site)
        self.records = incremental.PageRecords(self.previous if self.updating else None)
        self.pieces = Pieces(Fragments(cache_dir), GraphReader(graph)) if cache_dir else None
        self.cards = CardCache(cache_dir, fresh=not self.updating) if cache_dir else None
        for shelf in (self.pieces.fragments if self.pieces else None, self.cards):
            if shelf is not None:
                shelf.digests = self.digests
                shelf.narrow = incremental.own_piece_only if own_file else None
        if self.cards:
            self.renderer.use_card_cache(self.cards)

    def record(self, path: str, inputs: set) -> None:
        self.records.record(path, self.narrow(self.paths[path], inputs) if self.narrow else inputs)

    def make_exports(self, output: Output) -> None:
        t0 = time.perf_counter()
        self.renderer.render_extras(output)
        if self.editor:
            self.result.check.diagnostics.extend(add_editor(output, self.config, self.renderer.urls.base_path))
        data = add_exports(output, self.renderer, self.pages, self.pieces)
        # The download pages describe the data files: what they say of them is an input of those pages.
        self.digests.extra[DOWNLOADS] = incremental.text_digest(repr(sorted(data.sizes.items())), repr(data.iati))
        self.renderer.check_paths(self.pages, output)
        self.result.steps["exports"] = time.perf_counter() - t0
        self.result.pieces_made = self.pieces.fragments.made if self.pieces else None

    def remember(self, output: Output) -> None:
        """After the swap: what the next build may reuse."""
        if self.manifest and self.pieces and self.cards:
            self.records.keep_only(set(self.paths))
            self.manifest.save(self.site, self.records.inputs, self.records.digests(self.digests), self.records.pages,
                               output.digests(), self.budget.used)
            self.pieces.fragments.save()
            self.cards.save()

    def update(self) -> Output | None:
        """Write only what changed since the last build; None when too much changed for that."""
        assert self.manifest is not None
        output = Output()
        with build_lock(self.out):
            self.make_exports(output)
            change = incremental.changes(self.renderer, self.out, self.pages, output, self.records, self.digests,
                                         self.previous["files"], limit=incremental.MOST_PAGES, narrow=self.narrow)
            if change is None:
                return None
            self.manifest.forget()    # until every file is in place, the manifest would describe a site that is not there
            html_changed = any(rel.endswith(".html") for rel in [*change.writes, *change.deletes])
            search = self.search and html_changed
            if search or self.handbook:
                stage_update(self.out, lambda folder: self._update_generated(folder, change, search), self.budget)
            else:
                self.budget.settle_projected(size_after_update(self.out, change.writes, change.deletes,
                                                               self.previous.get("site_bytes")))
                update_in_place(self.out, change.writes, change.deletes)
            self.remember(output)
        self.result.written = sorted(change.writes)
        return output

    def _update_generated(self, folder: Path, change: incremental.Changes, search: bool) -> None:
        """An incremental update in a staging copy of the site, with the search index or handbook made again."""
        incremental.apply(folder, change)
        if search:
            from .search import index_site
            incremental.replace_folder(folder, "pagefind", lambda fresh: index_site(folder, self.config.languages, fresh))
        if self.handbook:
            from .handbook import build_handbook
            incremental.replace_folder(folder, "handbook", lambda fresh: build_handbook(self.root, fresh))

    def full(self, workers: int, progress: Callable[[str, int, int], None] | None) -> Output:
        """Every page and data file into a staging folder, swapped in whole."""
        steps, done = self.result.steps, 0
        output: Output = Output()    # the staging folder's FolderOutput once there is one

        def tick(n: int, written: int) -> None:
            nonlocal done
            done += n
            self.budget.add(written)     # a flood of pages stops here, long before the disk is full
            if progress:
                progress("render", done, len(self.pages))


        def fill(folder: Path) -> None:
            nonlocal output
            t1 = time.perf_counter()
            output = BudgetedOutput(folder, self.budget)
            later = [page for page in self.pages if page.key in SHOWS_DATA_FILES]
            first = [page for page in self.pages if page.key not in SHOWS_DATA_FILES]
            self.renderer.check_paths(self.pages, output)
            # The data files are made by this process, straight into the folder, while the workers render
            # the pages; the pages that list the data files (with their sizes) come last.
            record = self.record if self.manifest else None
            self.renderer.render_into(folder, first, output, workers, tick, meanwhile=lambda: self.make_exports(output),
                                      record=record)
            self.renderer.render_into(folder, later, output, 1, tick, record=record)
            shutil.copyfile(folder / self.config.default_language / "404.html", folder / "404.html")
            steps["render"] = time.perf_counter() - t1    # includes "exports", made meanwhile
            if self.search:
                t1 = time.perf_counter()
                from .search import index_site
                index_site(folder, self.config.languages)
                steps["search"] = time.perf_counter() - t1
            if self.handbook:
                from .handbook import build_handbook
                build_handbook(self.root, folder / "handbook")

        t0 = time.perf_counter()
        with build_lock(self.out):
            if self.manifest:
                self.manifest.forget()    # a build killed before the swap must not be taken for this one
            write_site(self.out, fill, self.budget)
            self.remember(output)
        self.result.written = sorted(output.paths()) + sorted(self.paths) + ["404.html"]
        steps["write"] = time.perf_counter() - t0 - steps.get("search", 0) - steps["render"]
        return output


def build(root: Path, out: Path | None = None, base_path: str | None = None, *, search: bool | None = None,
          handbook: bool = False, progress: Callable[[str, int, int], None] | None = None,
          workers: int | None = None, cache_dir: Path | None = None, editor: bool | None = None,
          base: str | None = None, dependencies: str = "recorded") -> BuildResult:
    """Build the site of the project at `root`; nothing replaces the previous site unless every stage succeeded.

    Pages are rendered (over `workers` processes) straight into the staging folder that write.py swaps
    in at the end, so a site of any size never has to fit in memory; the data files are made meanwhile
    by the main process. With `cache_dir`, unchanged files are not read again and, when the last build
    of `out` is known, only the pages and data files whose recorded inputs changed are made and written
    (incremental.py); a cache folder that cannot be written (a read-only checkout) is not used. `editor`
    writes the web editor into admin/ (fichegen.toml's [editor] enabled when None). The site is held to
    `max_site_bytes` (budgets.py), and with `base` the limits are the base revision's (baseline.py).
    `dependencies="own-file"` is for tests only (DEPENDENCIES)."""
    if dependencies not in DEPENDENCIES:
        raise ValueError(f"dependencies must be one of {DEPENDENCIES}")
    started = time.perf_counter()
    root = Path(root)
    result = BuildResult(check(root, cache_dir=cache_dir, workers=workers, base=base))
    cache_dir = result.check.cache_dir       # None when it cannot be written (a read-only checkout)
    result.steps["check"] = time.perf_counter() - started
    if not result.check.ok():
        return result
    config = result.check.config
    assert config is not None
    out = Path(out) if out else root / config.output_dir
    run = _Build(root, result, out, base_path, config.search if search is None else search, handbook, cache_dir, editor,
                 dependencies)
    try:
        output = None
        if run.updating:
            t0 = time.perf_counter()
            output = run.update()
            if output is not None:
                result.steps["update"] = time.perf_counter() - t0
                result.incremental = True
        if output is None:       # no earlier build to update, or too many changes for an update
            output = run.full(workers or default_workers(), progress)
    except OutputCollision as exc:
        result.check.diagnostics.append(Diagnostic(str(exc), 1, 1, "output-collision", f"two pages would be written to {exc}",
                                                   "rename one of the fiches or terms"))
        return result
    except SiteTooLarge as exc:
        config_text = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace")
        result.check.diagnostics.append(exc.diagnostic(config_text))
        return result
    for page in run.pages:
        output.pages[page.lang] = output.pages.get(page.lang, 0) + 1
    result.out, result.output = out, output
    result.site_bytes, result.site_budget = run.budget.used, run.budget.limit
    result.seconds = time.perf_counter() - started
    return result
