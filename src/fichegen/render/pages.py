"""Stage 4, render: every page of every language, into the staging folder that write.py swaps in whole
(or into memory, for the few pages an incremental build changes and for tests)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Union

import jinja2

from ..i18n import Localizer, load_catalogues
from ..link import KINDS, Ref, SiteGraph, TAXONOMIES
from .urls import Urls, file_for
from .views import LinkView, Views

PageKey = tuple


@dataclass
class Page:
    """One page in one language: where it goes, which template lays it out, and its data."""

    key: PageKey
    lang: str
    url: str
    template: str
    build: Callable[[Views], dict]
    title: Callable[[Views], Any]
    index: bool = True          # listed in the sitemap and indexed for search


Content = Union[bytes, str, Iterable[Union[bytes, str]]]   # a file, whole or in parts


def _parts(content: Content) -> Iterable[bytes]:
    if isinstance(content, (bytes, str)):
        content = (content,)
    for part in content:
        yield part.encode("utf-8") if isinstance(part, str) else part


@dataclass
class Output:
    """Files made by a build beside its pages (data files, feeds, static files), kept in memory: path
    relative to the output folder → bytes."""

    files: dict[str, bytes] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)   # pages per language
    _digests: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def add(self, path: str, content: Content) -> None:
        """Add a file; `content` may come in parts (an iterable), which may themselves add files."""
        if path in self.files:
            raise OutputCollision(path)
        self._digests = None
        self.files[path] = b""   # taken, while its parts are made
        self.files[path] = b"".join(_parts(content))

    def paths(self) -> Iterable[str]:
        return self.files.keys()

    def size(self, path: str) -> int | None:
        data = self.files.get(path)
        return None if data is None else len(data)

    def digests(self) -> dict[str, str]:
        """Path → content hash, computed once (an incremental build compares them, then records them)."""
        if self._digests is None:
            self._digests = {path: _digest(data) for path, data in self.files.items()}
        return self._digests


class FolderOutput(Output):
    """Files written straight into a folder being built (the staging folder) as they are added; only their
    sizes and digests stay in memory, so the data files of a large site never have to fit in it."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder
        self._written: dict[str, tuple[int, str]] = {}    # path → (size, digest)
        self._made: set[Path] = set()

    def add(self, path: str, content: Content) -> None:
        from ..write import safe_target
        if path in self._written:
            raise OutputCollision(path)
        self._written[path] = (0, "")
        target = safe_target(self.folder, path)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        h, size = hashlib.blake2b(digest_size=16), 0
        with open(target, "wb") as f:
            for part in _parts(content):
                f.write(part)
                h.update(part)
                size += len(part)
        self._written[path] = (size, h.hexdigest())

    def paths(self) -> Iterable[str]:
        return self._written.keys()

    def size(self, path: str) -> int | None:
        written = self._written.get(path)
        return None if written is None else written[0]

    def digests(self) -> dict[str, str]:
        return {path: digest for path, (_, digest) in self._written.items()}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class OutputCollision(Exception):
    pass


#: Pages that list the data files with their sizes: rendered once the data files exist.
SHOWS_DATA_FILES = {("page", "data")}


def make_environment(theme: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """Jinja, autoescaping and strict; compiled templates are kept in `cache_dir` between builds."""
    from .fragments import FRAGMENTS

    bytecode_cache = None
    if cache_dir is not None:
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            bytecode_cache = None   # a read-only checkout builds without the cache
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        auto_reload=False, cache_size=-1, bytecode_cache=bytecode_cache,
    )
    env.globals.update(FRAGMENTS)
    return env


class SiteRenderer:
    """Enumerates the pages of the site and renders them with the theme's templates."""

    def __init__(self, graph: SiteGraph, theme: Path, base_path: str | None = None, cache_dir: Path | None = None):
        self.g = graph
        self.config = graph.config
        self.theme = theme
        self.urls = Urls(base_path or self.config.base_path)
        self.env = make_environment(theme, cache_dir)
        self.catalogues = load_catalogues(theme, self.config.languages)
        card_layout = self.env.get_template("_macros.html").make_module({}).card
        self.views = {lang: Views(graph, Localizer(lang, self.config, self.catalogues), self.urls, card_layout)
                      for lang in self.config.languages}
        self.open_data = None    # exports.OpenData, once the build has made the data files (for the download pages)
        self.card_cache = None   # cache.CardCache: cards laid out by an earlier build, reused while their fiche is unchanged

    def use_card_cache(self, cache) -> None:
        self.card_cache = cache
        for views in self.views.values():
            views.card_cache = cache

    # --- addresses -----------------------------------------------------------------
    def url_for(self, key: PageKey, lang: str) -> str:
        kind = key[0]
        if kind == "home":
            return self.urls.home(lang)
        if kind == "section":
            return self.urls.section(lang, key[1])
        if kind == "fiche":
            return self.urls.fiche(lang, key[1], key[2])
        if kind == "taxonomy":
            return self.urls.taxonomy(lang, key[1])
        if kind == "term":
            return self.urls.term(lang, key[1], key[2])
        if kind == "page":
            return self.urls.page(lang, key[1])
        if kind == "404":
            return self.urls.home(lang) + "404.html"
        raise ValueError(key)

    # --- the pages -----------------------------------------------------------------
    def pages(self) -> list[Page]:
        from . import listings
        out: list[Page] = []
        for lang in self.config.languages:
            def page(key, template, build, title, index=True):
                out.append(Page(key, lang, self.url_for(key, lang), template, build, title, index))

            page(("home",), "home.html", listings.home, lambda v: v.loc.t("nav.home"))
            for kind in KINDS:
                page(("section", kind), "section.html", lambda v, k=kind: listings.section(v, k),
                     lambda v, k=kind: v.loc.t(f"section.{k}"))
                for fiche_id in self.g.fiches[kind]:
                    ref = Ref(kind, fiche_id)
                    page(("fiche", kind, fiche_id), f"{kind}.html", lambda v, r=ref: v.fiche(r), lambda v, r=ref: v.name(r))
            for taxonomy in TAXONOMIES:
                terms = self.g.taxonomies.get(taxonomy, {})
                page(("taxonomy", taxonomy), "taxonomy.html", lambda v, x=taxonomy: listings.taxonomy(v, x),
                     lambda v, x=taxonomy: v.loc.t(f"taxonomy.{x}"))
                for term in terms:
                    page(("term", taxonomy, term), "term.html", lambda v, x=taxonomy, y=term: listings.term(v, x, y),
                         lambda v, x=taxonomy, y=term: v.term_label(x, y))
            page(("page", "search"), "search.html", listings.search, lambda v: v.loc.t("nav.search"), index=False)
            page(("page", "statistics"), "statistics.html", listings.statistics, lambda v: v.loc.t("nav.statistics"))
            page(("page", "data"), "data.html", lambda v: listings.data(v, self.open_data), lambda v: v.loc.t("nav.data"))
            page(("page", "translations"), "translations.html", listings.translations, lambda v: v.loc.t("nav.translations"), index=False)
            page(("404",), "404.html", lambda v: {}, lambda v: v.loc.t("error.not_found"), index=False)
        return out

    # --- rendering -----------------------------------------------------------------
    def common(self, page: Page, views: Views) -> dict:
        loc = views.loc
        lang = page.lang
        alternates = [{"lang": l, "url": self.url_for(page.key, l), "name": self.views[l].loc.language(l),
                       "current": l == lang} for l in self.config.languages]
        nav = [LinkView(self.urls.home(lang), loc.t("nav.home"))]
        nav += [LinkView(self.urls.section(lang, k), loc.t(f"section.{k}")) for k in KINDS]
        nav += [LinkView(self.urls.page(lang, "statistics"), loc.t("nav.statistics")),
                LinkView(self.urls.page(lang, "data"), loc.t("nav.data")),
                LinkView(self.urls.page(lang, "search"), loc.t("nav.search"))]
        browse = [LinkView(self.urls.taxonomy(lang, x), loc.t(f"taxonomy.{x}")) for x in TAXONOMIES]
        return {
            "lang": lang, "t": loc.t, "page_url": page.url, "key": page.key,
            "site": {"title": views.text(self.config.title), "tagline": views.text(self.config.tagline),
                     "home": self.urls.home(lang), "base_url": self.config.base_url.rstrip("/"),
                     "licence": self.config.data_licence},
            "alternates": alternates, "x_default": self.url_for(page.key, self.config.default_language),
            "nav": nav, "browse": browse, "asset": self.urls.asset,
            "search_url": self.urls.page(lang, "search"),
            "translations_url": self.urls.page(lang, "translations"),
            "feed_url": self.urls.home(lang) + "feed.xml",
            "index": page.index,
        }

    def render_page(self, page: Page) -> str:
        views = self.views[page.lang]
        context = self.common(page, views)
        context["title"] = page.title(views)
        context.update(page.build(views))
        return self.env.get_template(page.template).render(context)

    def render(self, output: Output, pages: list[Page] | None = None, progress: Callable[[], None] | None = None) -> list[Page]:
        """Every page into `output` (in memory): for small sites and tests."""
        pages = pages if pages is not None else self.pages()
        for page in pages:
            output.add(file_for(page.url, self.urls.base_path), self.render_page(page))
            output.pages[page.lang] = output.pages.get(page.lang, 0) + 1
            if progress:
                progress()
        self.render_extras(output)
        output.add("404.html", output.files[f"{self.config.default_language}/404.html"])
        return pages

    def render_into(self, folder: Path, pages: list[Page], output: Output, workers: int = 1,
                    progress: Callable[[int, int], None] | None = None, meanwhile: Callable[[], None] | None = None) -> None:
        """Render `pages` straight into the staging `folder` of a build, over `workers` processes.

        Pages are independent, so each process renders and writes its share; the folder only becomes
        the site once everything succeeded (write.py). `meanwhile` runs in this process while the
        workers render (the build makes the data files there). `progress` is told, chunk by chunk, how many
        pages were written and how many bytes they took (the build holds them to its budget)."""
        from ..write import safe_target

        paths = self.check_paths(pages, output)
        for name in self.env.list_templates():   # compile once, before forking, for every worker
            self.env.get_template(name)
        chunks = [range(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)]
        global _JOB
        _JOB = (self, pages, paths, folder, safe_target)
        try:
            if workers > 1 and len(chunks) > 1:
                import multiprocessing
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    rendered = pool.imap_unordered(_render_chunk, chunks)
                    if meanwhile:
                        meanwhile()
                    for done, cards, written in rendered:
                        if self.card_cache is not None:
                            self.card_cache.add(cards)    # laid out by a worker: kept for the next build
                        progress and progress(done, written)
            else:
                if meanwhile:
                    meanwhile()
                for chunk in chunks:
                    done, _, written = _render_chunk(chunk)
                    progress and progress(done, written)
        finally:
            _JOB = None

    def check_paths(self, pages: list[Page], output: Output) -> list[str]:
        """The file of every page; two pages (or a page and an export) at one address are an error."""
        paths = [file_for(p.url, self.urls.base_path) for p in pages]
        seen: set[str] = set(output.paths()) | {"404.html"}
        for path in paths:
            if path in seen:
                raise OutputCollision(path)
            seen.add(path)
        return paths

    def render_extras(self, output: Output) -> None:
        """The root language chooser and the theme's static files."""
        root = self.env.get_template("root.html").render({
            "languages": [{"lang": l, "name": self.views[l].loc.language(l), "url": self.urls.home(l),
                           "title": self.views[l].text(self.config.title)} for l in self.config.languages],
            "default_url": self.urls.home(self.config.default_language), "asset": self.urls.asset,
            "default_lang": self.config.default_language,
        })
        output.add("index.html", root)
        self._static(output)

    def _static(self, output: Output) -> None:
        static = self.theme / "static"
        if not static.is_dir():
            return
        for path in sorted(static.rglob("*")):
            if path.is_file():
                output.add("static/" + path.relative_to(static).as_posix(), path.read_bytes())


CHUNK = 64
_JOB = None   # (renderer, pages, paths, folder, safe_target) while render_into runs; read by forked workers


def _render_chunk(chunk: range) -> tuple[int, list, int]:
    """Render and write some pages; (how many, the cards laid out meanwhile, for the main process's card cache,
    the bytes written)."""
    renderer, pages, paths, folder, safe_target = _JOB
    made: set[Path] = set()
    written = 0
    for i in chunk:
        html = renderer.render_page(pages[i]).encode("utf-8")
        target = safe_target(folder, paths[i])
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(html)
        written += len(html)
    return len(chunk), renderer.card_cache.take_new() if renderer.card_cache is not None else [], written
