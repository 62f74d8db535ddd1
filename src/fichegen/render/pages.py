"""Stage 4, render: every page of every language, into the staging folder that write.py swaps in whole
(or into memory, for the few pages an incremental build changes and for tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

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
        self.views = {lang: Views(graph, Localizer(lang, self.config, self.catalogues), self.urls, card_layout, self.markdown)
                      for lang in self.config.languages}
        # A project's locator map is the same drawing in every language: drawn once, named per language.
        shared_maps = map_views.MapCache()
        for views in self.views.values():
            views.map_cache = shared_maps
        # The download pages' description of the data files, views → entries: given by the build once the exports
        # stage has made them (render never reads the exports itself).
        self.downloads: Callable[[Views], list] | None = None
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
        data = fiche_pages.BUILDERS[ref.kind](views, self.g.get(ref)).values()
        data["search"] = search_record(views, ref)
        data["jsonld"] = fiche_jsonld(views, ref)
        return data

    def data_page(self, views: Views) -> dict:
        if self.downloads is None:
            raise RuntimeError("the download page is rendered once the build has made the data files")
        return {"downloads": self.downloads(views)}

    def pages(self) -> list[Page]:
        """Every page of every language. Lists longer than a page (render/paging.py) add their numbered pages, one
        series per ordering; orderings other than the default are kept out of the sitemap and search engines.
        A page's languages come one after the other, so one worker renders them together and shares what does not
        depend on the language (a project's locator map: map_views.MapCache)."""
        out: list[Page] = []
        translation_pages = paging.page_count(sum(len(f) for f in self.g.fiches.values()), paging.TABLE_PAGE_SIZE)

        def page(key, template, build, title, index=True):
            out.extend(Page(key, lang, self.url_for(key, lang), template, build, title, index)
                       for lang in self.config.languages)

        page(("home",), "home.html", listings.home, lambda v: v.loc.t("nav.home"))
        for kind in KINDS:
            total = len(self.g.fiches[kind])
            orders = paging.orders_for(kind)
            for order in orders if paging.page_count(total) > 1 else orders[:1]:
                for number in range(1, paging.page_count(total) + 1):
                    key = ("section", kind) if (order, number) == (orders[0], 1) else ("section", kind, order, number)
                    page(key, "section.html", lambda v, k=kind, o=order, n=number: listings.section(v, k, o, n),
                         lambda v, k=kind, o=order, n=number, c=total: listings.paged_title(v, v.loc.t(f"section.{k}"), k, o, n, c),
                         index=order == orders[0])
            for fiche_id in self.g.fiches[kind]:
                ref = Ref(kind, fiche_id)
                page(("fiche", kind, fiche_id), f"{kind}.html", lambda v, r=ref: self.fiche_page(v, r), lambda v, r=ref: v.name(r))
        for taxonomy in TAXONOMIES:
            terms = self.g.taxonomies.get(taxonomy, {})
            page(("taxonomy", taxonomy), "taxonomy.html", lambda v, x=taxonomy: listings.taxonomy(v, x),
                 lambda v, x=taxonomy: v.loc.t(f"taxonomy.{x}"))
            for term, refs in terms.items():
                page(("term", taxonomy, term), "term.html", lambda v, x=taxonomy, y=term: listings.term(v, x, y),
                     lambda v, x=taxonomy, y=term: v.term_label(x, y))
                for kind in KINDS:
                    for order, number in listings.term_kind_pages(refs, kind):
                        page(("term", taxonomy, term, kind, order, number), "term_list.html",
                             lambda v, x=taxonomy, y=term, k=kind, o=order, n=number: listings.term_kind(v, x, y, k, o, n),
                             lambda v, x=taxonomy, y=term, k=kind, o=order, n=number: listings.term_kind_title(v, x, y, k, o, n),
                             index=order == paging.orders_for(kind)[0])
        page(("page", "search"), "search.html", listings.search, lambda v: v.loc.t("nav.search"))
        page(("page", "statistics"), "statistics.html", listings.statistics, lambda v: v.loc.t("nav.statistics"))
        page(("page", "data"), "data.html", self.data_page, lambda v: v.loc.t("nav.data"))
        for number in range(1, translation_pages + 1):
            key = ("page", "translations") if number == 1 else ("page", "translations", number)
            page(key, "translations.html", lambda v, n=number: listings.translations(v, n),
                 lambda v, n=number, c=translation_pages: v.loc.t("nav.translations") if c == 1 else
                 v.loc.t("list.title_page", title=v.loc.t("nav.translations"), page=v.loc.number(n), pages=v.loc.number(c)),
                 index=False)
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
                    progress: Callable[[int], None] | None = None, meanwhile: Callable[[], None] | None = None) -> None:
        """Render `pages` straight into the staging `folder` of a build, over `workers` processes.

        Pages are independent, so each process renders and writes its share; the folder only becomes
        the site once everything succeeded (write.py). `meanwhile` runs in this process while the
        workers render (the build makes the data files there)."""
        paths = self.check_paths(pages, output)
        for name in self.env.list_templates():   # compile once, before forking, for every worker
            self.env.get_template(name)
        chunks = [range(i, min(i + CHUNK, len(pages))) for i in range(0, len(pages), CHUNK)]
        global _JOB
        _JOB = (self, pages, paths, folder, safe_target)
        try:
            if workers > 1 and len(chunks) > 1:
                # A summary shows on its page, on cards in any process, in the feeds and data files made here:
                # rendered once, before the fork, every process has it.
                self.markdown.prepare(summaries(self.g))
                import multiprocessing
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    rendered = pool.imap_unordered(_render_chunk, chunks)
                    if meanwhile:
                        meanwhile()
                    for done, cards in rendered:
                        if self.card_cache is not None:
                            self.card_cache.add(cards)    # laid out by a worker: kept for the next build
                        progress and progress(done)
            else:
                if meanwhile:
                    meanwhile()
                for chunk in chunks:
                    done, _ = _render_chunk(chunk)
                    progress and progress(done)
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
        """The built-in static files and the project's (which replace those of the same path); only the files
        overrides.project_files accepted, so no link out of static/ is ever followed."""
        for rel, path in self.theme.static_files().items():
            output.add("static/" + rel, path.read_bytes())


CHUNK = 64
_JOB = None   # (renderer, pages, paths, folder, safe_target) while render_into runs; read by forked workers


def _render_chunk(chunk: range) -> tuple[int, list]:
    """Render and write some pages; (how many, the cards laid out meanwhile, for the main process's card cache)."""
    renderer, pages, paths, folder, safe_target = _JOB
    made: set[Path] = set()
    for i in chunk:
        html = renderer.render_page(pages[i]).encode("utf-8")
        target = safe_target(folder, paths[i])
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(html)
    return len(chunk), renderer.card_cache.take_new() if renderer.card_cache is not None else []
