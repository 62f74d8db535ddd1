"""Stage 4, render: every page of every language, into the staging folder that write.py swaps in whole
(or into memory, for the few pages an incremental build changes and for tests)."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import wait
from multiprocessing.pool import ExceptionWithTraceback
from pathlib import Path
from typing import Any, Callable

from ..dependencies import GraphReader, Input
from ..i18n import Localizer, load_catalogues
from ..link import KINDS, Ref, SiteGraph, TAXONOMIES
from ..output import Output, OutputCollision
from ..overrides import Theme
from ..write import safe_target
from . import fiche_pages, listings, map_views, paging
from .jsonld import fiche_jsonld
from .environment import make_environment
from .search_record import search_record
from .markup import MarkdownRenderer
from .urls import SECTION, Urls, file_for
from .views import LinkView, Views, summaries

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


#: Pages that list the data files with their sizes: rendered once the data files exist.
SHOWS_DATA_FILES = {("page", "data")}
#: The input a download page records: what the build's data files are (their sizes, the IATI file's decisions),
#: whose digest the build gives once it has made them (dependencies.InputDigests.extra).
DOWNLOADS = ("d", "downloads")


#: What every page template is given (SiteRenderer.common, and the title), as documented in the handbook.
PAGE_CONTEXT = {
    "lang": "the page's language code, e.g. `fr`",
    "title": "the page's title, in its language",
    "t": "`t('key')` gives a UI string of the page's language; `t('key', count=3)` fills in its `{count}`",
    "t_count": "`t_count('key', n)` gives the UI string `key.one`, `key.other`… that the language's plural rules choose for `n`",
    "page_url": "the page's address, from the site's root",
    "key": "what the page shows, e.g. `('fiche', 'project', 'my-project')` or `('page', 'search')`",
    "site": "`site.title`, `site.tagline` (texts for `show()`), `site.home`, `site.base_url`, `site.default_language` "
            "(the language of the sources' notes), `site.licence.name`, "
            "`site.licence.url`, `site.logo`, `site.extra_css`, `site.extra_js` (addresses)",
    "alternates": "the page in each language: `lang`, `url`, `name` (the language's name), `current`",
    "x_default": "the page's address in the default language",
    "nav": "the main navigation: links with `url` and `label`",
    "browse": "the links to every taxonomy (countries, themes…): `url` and `label`",
    "asset": "`asset('static/site.css')` gives the address of a static file under the base path",
    "search_url": "the address of the search page",
    "translations_url": "the address of the translation status page",
    "feed_url": "the address of the language's Atom feed",
    "index": "false for pages kept out of search engines and the sitemap",
}


class SiteRenderer:
    """Enumerates the pages of the site and renders them with the theme's templates (the project's first)."""

    def __init__(self, graph: SiteGraph, theme: Theme, base_path: str | None = None, cache_dir: Path | None = None):
        self.g = graph
        self.config = graph.config
        self.theme = theme
        self.urls = Urls(base_path or self.config.base_path)
        self.env = make_environment(theme, cache_dir)
        self.catalogues = load_catalogues(theme, self.config.languages)
        card_layout = self.env.get_template("_macros.html").make_module({}).card
        # Every Markdown text of the build, rendered once: shared by the views of every language and the exports.
        self.markdown = MarkdownRenderer()
        # Each language reads the graph through its own recording reader (the recorder is the page's being rendered);
        # what many pages share (the translation report) is computed once for all languages.
        shared: dict = {}
        self.views = {lang: Views(GraphReader(graph, shared=shared), Localizer(lang, self.config, self.catalogues), self.urls,
                                  card_layout, self.markdown)
                      for lang in self.config.languages}
        # A project's locator map is the same drawing in every language: drawn once, named per language.
        shared_maps = map_views.MapCache()
        for views in self.views.values():
            views.map_cache = shared_maps
        # The download pages' description of the data files, views → entries: given by the build once the exports
        # stage has made them (render never reads the exports itself).
        self.downloads: Callable[[Views], list] | None = None
        self.card_cache = None   # cache.CardCache: cards laid out by an earlier build, reused while their fiche is unchanged

    def forget(self, changed: set[Input]) -> None:
        """What the views of every language remember from inputs that changed is dropped (serve, after an edit)."""
        for views in self.views.values():
            views.forget(changed)
            views.g.forget(changed)

    def use_card_cache(self, cache) -> None:
        self.card_cache = cache
        for views in self.views.values():
            views.card_cache = cache

    # --- addresses -----------------------------------------------------------------
    def url_for(self, key: PageKey, lang: str) -> str:
        kind = key[0]
        if kind == "home":
            return self.urls.home(lang)
        if kind == "section" and len(key) == 4:      # a page of a list: ("section", kind, order, number)
            return paging.list_url(self.urls.section(lang, key[1]), key[2], key[3], paging.orders_for(key[1])[0])
        if kind == "section":
            return self.urls.section(lang, key[1])
        if kind == "fiche":
            return self.urls.fiche(lang, key[1], key[2])
        if kind == "taxonomy":
            return self.urls.taxonomy(lang, key[1])
        if kind == "term" and len(key) == 6:         # ("term", taxonomy, term, kind, order, number)
            base = self.urls.term(lang, key[1], key[2]) + SECTION[key[3]] + "/"
            return paging.list_url(base, key[4], key[5], paging.orders_for(key[3])[0])
        if kind == "term":
            return self.urls.term(lang, key[1], key[2])
        if kind == "page" and len(key) == 3:         # ("page", name, number)
            return paging.list_url(self.urls.page(lang, key[1]), "newest", key[2], "newest")
        if kind == "page":
            return self.urls.page(lang, key[1])
        if kind == "404":
            return self.urls.home(lang) + "404.html"
        raise ValueError(key)

    # --- the pages -----------------------------------------------------------------
    def fiche_page(self, views: Views, ref: Ref) -> dict:
        """A fiche page's values: its typed context, what Pagefind records of it, its JSON-LD."""
        data = fiche_pages.BUILDERS[ref.kind](views, views.g.get(ref)).values()
        data["search"] = search_record(views, ref)
        data["jsonld"] = fiche_jsonld(views, ref)
        return data

    def data_page(self, views: Views) -> dict:
        if self.downloads is None:
            raise RuntimeError("the download page is rendered once the build has made the data files")
        views.g.recorder.add(DOWNLOADS)
        return {"downloads": self.downloads(views)}

    def page_keys(self) -> list[PageKey]:
        """What every language has a page of, in the order pages are made. Lists longer than a page
        (render/paging.py) add their numbered pages, one series per ordering."""
        keys: list[PageKey] = [("home",)]
        for kind in KINDS:
            orders, count = paging.orders_for(kind), paging.page_count(len(self.g.fiches[kind]))
            for order in orders if count > 1 else orders[:1]:
                keys += [("section", kind) if (order, number) == (orders[0], 1) else ("section", kind, order, number)
                         for number in range(1, count + 1)]
            keys += [("fiche", kind, fiche_id) for fiche_id in self.g.fiches[kind]]
        for taxonomy in TAXONOMIES:
            keys.append(("taxonomy", taxonomy))
            for term, refs in self.g.taxonomies.get(taxonomy, {}).items():
                keys.append(("term", taxonomy, term))
                keys += [("term", taxonomy, term, kind, order, number)
                         for kind in KINDS for order, number in listings.term_kind_pages(refs, kind)]
        keys += [("page", "search"), ("page", "statistics"), ("page", "data")]
        keys += [("page", "translations") if number == 1 else ("page", "translations", number)
                 for number in range(1, listings.translation_pages(self.g) + 1)]
        keys.append(("404",))
        return keys

    def page(self, key: PageKey, lang: str) -> Page:
        """The page of `key` in `lang`: its address, template, data and title. Orderings other than a list's default
        are kept out of the sitemap and search engines. Counts are read when the page is made (serve keeps pages)."""
        def made(template, build, title, index=True) -> Page:
            return Page(key, lang, self.url_for(key, lang), template, build, title, index)

        kind = key[0]
        if kind == "home":
            return made("home.html", listings.home, lambda v: v.loc.t("nav.home"))
        if kind == "section":
            of = key[1]
            default = paging.orders_for(of)[0]
            order, number = (key[2], key[3]) if len(key) == 4 else (default, 1)
            return made("section.html", lambda v: listings.section(v, of, order, number),
                        lambda v: listings.paged_title(v, v.loc.t(f"section.{of}"), of, order, number, len(v.g.fiches[of])),
                        index=order == default)
        if kind == "fiche":
            ref = Ref(key[1], key[2])
            return made(f"{ref.kind}.html", lambda v: self.fiche_page(v, ref), lambda v: v.name(ref))
        if kind == "taxonomy":
            return made("taxonomy.html", lambda v: listings.taxonomy(v, key[1]), lambda v: v.loc.t(f"taxonomy.{key[1]}"))
        if kind == "term" and len(key) == 6:
            _, taxonomy, term, of, order, number = key
            return made("term_list.html", lambda v: listings.term_kind(v, taxonomy, term, of, order, number),
                        lambda v: listings.term_kind_title(v, taxonomy, term, of, order, number),
                        index=order == paging.orders_for(of)[0])
        if kind == "term":
            return made("term.html", lambda v: listings.term(v, key[1], key[2]), lambda v: v.term_label(key[1], key[2]))
        if kind == "404":
            return made("404.html", lambda v: {}, lambda v: v.loc.t("error.not_found"), index=False)
        if key[1] == "translations":
            number = key[2] if len(key) == 3 else 1
            return made("translations.html", lambda v: listings.translations(v, number),
                        lambda v: listings.translations_title(v, number), index=False)
        builds = {"search": listings.search, "statistics": listings.statistics, "data": self.data_page}
        return made(f"{key[1]}.html", builds[key[1]], lambda v: v.loc.t(f"nav.{key[1]}"))

    def pages(self) -> list[Page]:
        """Every page of every language. A page's languages come one after the other, so one worker renders them
        together and shares what does not depend on the language (a project's locator map: map_views.MapCache)."""
        return [self.page(key, lang) for key in self.page_keys() for lang in self.config.languages]

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
            "lang": lang, "t": loc.t, "t_count": loc.t_count, "page_url": page.url, "key": page.key,
            "site": {"title": views.text(self.config.title), "tagline": views.text(self.config.tagline),
                     "home": self.urls.home(lang), "base_url": self.config.base_url.rstrip("/"),
                     "default_language": self.config.default_language,
                     "licence": self.config.data_licence,
                     "logo": self.urls.asset(f"static/{self.config.logo}") if self.config.logo else None,
                     "extra_css": [self.urls.asset(f"static/{name}") for name in self.config.extra_css],
                     "extra_js": [self.urls.asset(f"static/{name}") for name in self.config.extra_js]},
            "alternates": alternates, "x_default": self.url_for(page.key, self.config.default_language),
            "nav": nav, "browse": browse, "asset": self.urls.asset,
            "search_url": self.urls.page(lang, "search"),
            "translations_url": self.urls.page(lang, "translations"),
            "feed_url": self.urls.home(lang) + "feed.xml",
            "index": page.index,
        }

    def render_page(self, page: Page) -> str:
        """The page's HTML; what it read from the graph goes to the recorder its language's views hold."""
        views = self.views[page.lang]
        context = self.common(page, views)
        context["title"] = page.title(views)
        context.update(page.build(views))
        return self.env.get_template(page.template).render(context)

    def render_recorded(self, page: Page) -> tuple[str, set[Input]]:
        """The page's HTML and every input it read (dependencies.py)."""
        with self.views[page.lang].g.recording(nested=False) as recorder:
            html = self.render_page(page)
        return html, recorder.inputs

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
                    progress: Callable[[int, int], None] | None = None, meanwhile: Callable[[], None] | None = None,
                    record: Callable[[str, set[Input]], None] | None = None) -> None:
        """Render `pages` straight into the staging `folder` of a build, over `workers` processes.

        Pages are independent, so each process renders and writes its share; the folder only becomes
        the site once everything succeeded (write.py). `meanwhile` runs in this process while the
        workers render (the build makes the data files there). `progress` is told, chunk by chunk, how many
        pages were written and how many bytes they took (the build holds them to its budget); `record(path,
        inputs)` is told what each page read, for the next incremental build."""
        paths = self.check_paths(pages, output)
        for name in self.env.list_templates():   # compile once, before forking, for every worker
            self.env.get_template(name)
        job = RenderJob(self, pages, paths, folder)
        chunks = [range(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)]
        if workers > 1 and len(chunks) > 1:
            # A summary shows on its page, on cards in any process, in the feeds and data files made here:
            # rendered once, before the fork, every process has it.
            self.markdown.prepare(summaries(self.g))
            def received(result: tuple) -> None:
                """A chunk done by a worker (in the thread that receives them): what each page read, the cards."""
                done, cards, records, written = result
                if self.card_cache is not None:
                    self.card_cache.add(cards)    # laid out by a worker: kept for the next build
                if record:
                    for path, inputs in records:
                        record(path, inputs)
                if progress:
                    progress(done, written)

            results = ForkedRender(job, chunks, workers, received)
            try:
                if meanwhile:
                    meanwhile()
                results.finish()
            finally:
                results.stop()
        else:
            if meanwhile:
                meanwhile()
            for chunk in chunks:
                done, _, records, written = job.render(chunk, keep_cards=False)
                if record:
                    for path, inputs in records:
                        record(path, inputs)
                progress and progress(done, written)

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
        """The built-in static files and the project's (which replace those of the same path); only the files
        overrides.project_files accepted, so no link out of static/ is ever followed."""
        for rel, path in self.theme.static_files().items():
            output.add("static/" + rel, path.read_bytes())


CHUNK = 64


@dataclass
class RenderJob:
    """Pages to render into a folder: what each page-rendering process is handed when it is forked."""

    renderer: SiteRenderer
    pages: list[Page]
    paths: list[str]
    folder: Path

    def render(self, chunk: range, keep_cards: bool = True) -> tuple[int, list, list[tuple[str, tuple[Input, ...]]], int]:
        """Render and write some pages: (how many, the cards laid out meanwhile, what each page read, the bytes
        written)."""
        renderer = self.renderer
        made: set[Path] = set()
        records, written = [], 0
        for i in chunk:
            html, inputs = renderer.render_recorded(self.pages[i])
            target = safe_target(self.folder, self.paths[i])
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            data = html.encode("utf-8")
            target.write_bytes(data)
            written += len(data)
            records.append((self.paths[i], tuple(inputs)))
        cards = renderer.card_cache.take_new() if keep_cards and renderer.card_cache is not None else []
        return len(chunk), cards, records, written


def _render_worker(job: RenderJob, chunks: list[range], counter, connection) -> None:
    """A forked process: takes the next chunk until none is left, sends back what it rendered, or the error."""
    try:
        while True:
            with counter.get_lock():
                index = counter.value
                counter.value += 1
            if index >= len(chunks):
                break
            connection.send(("done", job.render(chunks[index])))
        connection.send(("end", None))
    except BaseException as exc:   # sent to the main process, which raises it there with this traceback
        try:
            connection.send(("error", ExceptionWithTraceback(exc, exc.__traceback__)))
        except Exception:
            connection.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        connection.close()


class ForkedRender:
    """Page-rendering processes forked from this one: the job (the renderer, its graph, the pages) is handed to
    each as an argument of the fork, never through a module variable. Results are received by a thread, which
    hands each to `received` as it comes (nothing piles up), so the workers never wait on a full pipe while this
    process makes the data files."""

    def __init__(self, job: RenderJob, chunks: list[range], workers: int, received: Callable[[tuple], None]):
        context = multiprocessing.get_context("fork")
        counter = context.Value("i", 0)
        self.processes, self.connections = [], []
        for _ in range(workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_render_worker, args=(job, chunks, counter, send), daemon=True)
            process.start()
            send.close()
            self.processes.append(process)
            self.connections.append(receive)
        self.error: BaseException | None = None
        self._received = received
        self._receiver = threading.Thread(target=self._receive, name="fichegen-render-results", daemon=True)
        self._receiver.start()

    def _receive(self) -> None:
        open_ = {c: p for c, p in zip(self.connections, self.processes)}
        while open_ and self.error is None:
            for ready in wait(list(open_) + [p.sentinel for p in open_.values()]):
                connection = ready if ready in open_ else next((c for c, p in open_.items() if p.sentinel == ready), None)
                if connection is None:
                    continue
                try:
                    kind, payload = connection.recv()
                except EOFError:
                    process = open_.pop(connection)
                    process.join(1)
                    self.error = self.error or RuntimeError(f"a page worker stopped unexpectedly (exit code {process.exitcode})")
                    continue
                if kind == "done":
                    try:
                        self._received(payload)
                    except BaseException as exc:
                        self.error = exc
                elif kind == "error":
                    self.error = payload
                else:
                    open_.pop(connection)

    def finish(self) -> None:
        """Wait until every worker has finished; raises a worker's error."""
        self._receiver.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for connection in self.connections:
            connection.close()
