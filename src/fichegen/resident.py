"""The site held in memory for `serve`: the live graph, the renderer with what its views remember, and every page
rendered so far with the inputs it read.

Nothing is rendered ahead: a page is rendered when it is asked for, and kept with what it read (dependencies.py).
A save updates the live graph (live.py), which says which inputs changed; the pages that read one of them are
dropped and rendered again when next asked for — so a save costs the edited file's reading and linking plus, on
reload, the page being looked at. A template, a static file or a UI string is read by every page: the renderer is
made again and every page laid out anew when asked for, the graph kept; a change to the configuration reads
everything again.

Problems never take the site down: each file's problems are shown over the pages that read one of its nodes (and
over the address of a new fiche that does not validate yet); a page that fails to render shows its own problem; a
problems page lists them all. Only a configuration that cannot be read leaves nothing to show but the problems.
"""

from __future__ import annotations

import mimetypes
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .check import accept_intended
from .config import load_config
from .cache import CACHE_DIR, CardCache
from .dependencies import Input, InputDigests
from .exports import add_exports
from .diagnostics import Diagnostic, sort_key
from .i18n import check_catalogues
from .link import KINDS
from .live import LiveGraph
from .output import Output
from .overrides import OVERRIDE_FOLDERS, Theme, check_theme
from .render.pages import DOWNLOADS, Page, SiteRenderer
from .render.urls import SECTION, file_for

#: Input tags that read a node itself (not the edges around it): a page that read one shows that node's problems.
NODE_READS = frozenset("fnhtos")


@dataclass
class Served:
    """What one address gives: status, content type, bytes, and the files whose problems are shown over it."""

    status: int
    content_type: str
    body: bytes
    problems: tuple[str, ...] = ()       # files (relative paths) whose problems the page shows
    error: BaseException | None = None   # the page failed to render


class ResidentSite:
    """One project's site, in memory; `update(paths)` after files changed, `serve(path)` for an address."""

    def __init__(self, root: Path, cache_dir: Path | None = None, workers: int | None = None):
        self.root = Path(root)
        self.cache_dir, self.workers = cache_dir, workers
        self.lock = threading.RLock()     # requests and updates come from different threads
        self.load()

    # --- loading and updating ------------------------------------------------------------
    def load(self) -> None:
        """Everything from the files (the first time, and after a site-wide change)."""
        with self.lock:
            self.rendered: dict[str, Served] = {}
            self.readers: dict[Input, set[str]] = defaultdict(set)
            self.pages: dict[str, Page] = {}           # address (file in the site) → its page
            self._keys: set | None = None             # the page keys `pages` was made from; None: make them all
            self.exports: Output | None = None
            self.live = self.renderer = None
            self.fatal: list[Diagnostic] = []
            config, problems = load_config(self.root)
            if config is None:
                self.fatal = problems
                self.problems, self.accepted = problems, []
                return
            self.config = config
            self.content = (self.root / config.content_dir).resolve()
            self.theme = Theme.of(self.root)
            self.theme_problems = check_theme(self.root, config, self.theme) + check_catalogues(self.theme, config)
            self.live = LiveGraph(self.root, config, self.cache_dir, self.workers)
            try:
                self.renderer = SiteRenderer(self.live.graph, self.theme, "/")
                # Cards laid out for one page serve the others, and outlive edits that do not change what they read.
                self.cards = CardCache(self.root / CACHE_DIR / "serve-unused", fresh=True)
                self.cards.digests = InputDigests(self.live.graph)
                self.renderer.use_card_cache(self.cards)
            except Exception as exc:     # UI strings that cannot be read: check_catalogues said why
                self.fatal = [d for d in self.theme_problems if d.is_error] or [
                    Diagnostic("i18n", 1, 1, "ui-string-unknown", f"the UI strings cannot be read: {exc}")]
            self._index()
            self._problems()

    def update(self, paths: set[Path]) -> None:
        """Files changed (created, edited, removed): bring the site up to date, dropping the pages they change."""
        with self.lock:
            content = getattr(self, "content", None)
            resolved = {Path(p).resolve() if Path(p).exists() else Path(p).absolute() for p in paths}
            if self.live is None or self.renderer is None or content is None:
                self.load()
                return
            root = self.root.resolve()
            theme_folders = [root / folder for folder in OVERRIDE_FOLDERS]
            outside = {p for p in resolved if not p.is_relative_to(content)}
            if any(not any(p.is_relative_to(folder) for folder in theme_folders) for p in outside):
                self.load()         # the configuration, or something else site-wide: everything read again
                return
            if outside:             # a template, a static file or a UI string: the same graph, laid out anew
                self._new_look()
            inside = {p.relative_to(root).as_posix() for p in resolved - outside}
            if not inside:
                return
            changed = self.live.update(inside)
            changed.add(DOWNLOADS)        # the data files are made again on demand: whatever they say may have changed
            self.exports = None
            for key in changed:
                for path in self.readers.pop(key, ()):
                    self.rendered.pop(path, None)
            self.renderer.forget(changed)
            self.cards.keep()
            self.cards.digests = InputDigests(self.live.graph)
            if any(key[0] in ("k", "v", "V", "x") for key in changed):
                self._index()       # fiches or terms appeared or went: pages too
            self._problems()

    def _new_look(self) -> None:
        """The theme changed (a template, a static file, a UI string): every page is laid out again when next asked
        for; the graph stays as it is."""
        self.theme = Theme.of(self.root)
        self.theme_problems = check_theme(self.root, self.config, self.theme) + check_catalogues(self.theme, self.config)
        self.rendered.clear()
        self.readers.clear()
        self.exports = None
        self.fatal = []
        try:
            self.renderer = SiteRenderer(self.live.graph, self.theme, "/")
            self.cards = CardCache(self.root / CACHE_DIR / "serve-unused", fresh=True)
            self.cards.digests = InputDigests(self.live.graph)
            self.renderer.use_card_cache(self.cards)
        except Exception as exc:
            self.renderer = None
            self.fatal = [d for d in self.theme_problems if d.is_error] or [
                Diagnostic("i18n", 1, 1, "ui-string-unknown", f"the UI strings cannot be read: {exc}")]
        self._keys = None
        self._index()
        self._problems()

    def _index(self) -> None:
        """The address of every page: made once, then only the pages of keys that appeared or went are changed."""
        if self.renderer is None:
            self.pages, self._keys = {}, set()
            return
        keys = self.renderer.page_keys()
        known = self._keys
        if known is None:
            self.pages = {file_for(page.url, "/"): page for page in self.renderer.pages()}
        else:
            current = set(keys)
            for key in known - current:
                for lang in self.config.languages:
                    path = file_for(self.renderer.url_for(key, lang), "/")
                    self.pages.pop(path, None)
                    self.rendered.pop(path, None)
            for key in current - known:
                for lang in self.config.languages:
                    page = self.renderer.page(key, lang)
                    self.pages[file_for(page.url, "/")] = page
        self._keys = set(keys)

    def _problems(self) -> None:
        found = self.live.diagnostics() + self.theme_problems + self.fatal
        self.problems, self.accepted = accept_intended(self.root, sorted(set(found), key=sort_key), self.config.accept_warnings)
        failing = {d.path for d in self.problems if d.is_error}
        self.failing_nodes = {ref: rel for rel in failing if rel in self.live.files for ref in self.live.files[rel].nodes}
        self.site_failing = sorted({d.path for d in self.theme_problems if d.is_error})

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.is_error]

    # --- serving ---------------------------------------------------------------------------
    def serve(self, path: str) -> Served | None:
        """What the site has at `path` (the part of the address after the host), or None."""
        with self.lock:
            if self.renderer is None:
                return None
            rel = file_for(path if path.startswith("/") else "/" + path, "/")
            served = self.rendered.get(rel)
            if served is None:
                served = self._make(rel)
                if served is not None and served.error is None and rel in self.pages:
                    self.rendered[rel] = served
            return served

    def _make(self, rel: str) -> Served | None:
        page = self.pages.get(rel)
        if page is not None:
            if page.key == ("page", "data"):
                self._make_exports()
            try:
                html, inputs = self.renderer.render_recorded(page)
            except Exception as exc:
                return Served(500, "text/html; charset=utf-8", b"", error=exc)
            for key in inputs:
                self.readers[key].add(rel)
            shown = {self.failing_nodes[(key[1], key[2])] for key in inputs
                     if key[0] in NODE_READS and len(key) == 3 and (key[1], key[2]) in self.failing_nodes}
            return Served(200, "text/html; charset=utf-8", html.encode("utf-8"), tuple(sorted(shown | set(self.site_failing))))
        if rel == "404.html":
            return self._make(f"{self.config.default_language}/404.html")
        static = self.theme.static_files().get(rel.removeprefix("static/")) if rel.startswith("static/") else None
        if static is not None:
            return Served(200, mimetypes.guess_type(static.name)[0] or "application/octet-stream", static.read_bytes())
        if rel == "index.html" or rel.endswith((".xml", ".txt", ".json", ".csv")):
            data = self._make_exports().files.get(rel)
            if data is not None:
                return Served(200, mimetypes.guess_type(rel)[0] or "application/octet-stream", data)
        return None

    def _make_exports(self) -> Output:
        """The data files, feeds, sitemap and language chooser, made when one is asked for and kept until an edit."""
        if self.exports is None:
            output = Output()
            self.renderer.render_extras(output)
            add_exports(output, self.renderer, list(self.pages.values()))
            self.exports = output
            for path in list(self.readers.pop(DOWNLOADS, ())):
                self.rendered.pop(path, None)
        return self.exports

    def missing(self, path: str) -> str | None:
        """The file of a fiche that does not validate yet whose page would be at `path`, if any."""
        parts = [p for p in path.split("/") if p]
        if len(parts) < 3 or not self.live:
            return None
        kinds = {folder: kind for kind, folder in SECTION.items()}
        kind = kinds.get(parts[1])
        if kind not in KINDS:
            return None
        failing = {d.path for d in self.errors}
        return next((rel for rel, state in self.live.files.items() if state.kind == kind and Path(rel).stem == parts[2]
                     and rel in failing), None)

    def problems_of(self, files: tuple[str, ...] | list[str]) -> list[Diagnostic]:
        return [d for d in self.problems if d.path in files]
