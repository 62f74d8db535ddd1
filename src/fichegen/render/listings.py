"""Data for the pages that gather fiches: home, sections, taxonomies, terms, search, statistics, translations.

Every list is paginated (render/paging.py): a page shows at most `paging.PAGE_SIZE` cards or rows, whatever the
size of the knowledge base, and each ordering is its own series of static pages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from ..link import KINDS, Ref, TAXONOMIES
from ..translations import report_view
from . import charts, map_views, paging
from .urls import SECTION
from .views import Fact, LinkView, Views

#: Fiches of each kind shown on the home page, most recent first.
HOME_LATEST = {"project": 6, "strategy": 3, "discussion": 3}
#: Themes shown on the home page (those with the most fiches).
HOME_THEMES = 12


def _ref_id(ref: Ref) -> str:
    return ref.id


def ordered(v: Views, members: Callable[[], Iterable[Ref]], order: str, list_id: str) -> list[Ref]:
    """A list in `order`, sorted once per language for all its pages (`list_id` names the list: a kind, a term's
    fiches of a kind; `members` reads it from the graph). Each page records what sorting read — the members, their
    dates or, for A–Z, their names — not the cards of fiches it does not show."""
    return v.g.shared(f"ordered:{v.lang}:{list_id}:{order}",
                      lambda: paging.ordered(list(members()), order, v.g.listed_date, v.title_key, _ref_id))


def _of_kind(v: Views, name: str, term_id: str, kind: str) -> Callable[[], list[Ref]]:
    return lambda: [r for r in v.g.taxonomies[name][term_id] if r.kind == kind]


# --- home ---------------------------------------------------------------------------------------

def home(v: Views) -> dict:
    """What the knowledge base holds at a glance: counts per kind, the map, the latest fiches, the main themes."""
    g = v.g
    counts = [{"label": v.loc.t(f"section.{k}"), "count": v.loc.number(len(g.fiches[k])), "url": v.urls.section(v.lang, k)}
              for k in KINDS]
    latest = []
    for kind, most in HOME_LATEST.items():
        refs = list(g.refs(kind))
        if not refs:
            continue
        shown = ordered(v, lambda k=kind: v.g.refs(k), "newest", kind)[:most]
        more = LinkView(v.urls.section(v.lang, kind), v.loc.t_count(f"home.all.{kind}", len(refs)))
        latest.append({"kind": kind, "title": v.loc.t(f"home.latest.{kind}"), "cards": [v.card(r) for r in shown],
                       "all": more if len(refs) > len(shown) else None})
    themes = sorted(g.taxonomies.get("themes", {}).items(), key=lambda item: (-len(item[1]), str(v.term_label("themes", item[0])).casefold()))
    featured = [{"link": v.term("themes", term), "count": v.loc.number(len(refs))} for term, refs in themes[:HOME_THEMES]]
    return {"counts": counts, "latest": latest, "themes": featured,
            "themes_all": LinkView(v.urls.taxonomy(v.lang, "themes"), v.loc.t("home.themes_all")) if len(themes) > HOME_THEMES else None,
            "map": map_views.world(v, list(g.refs("project"))),
            "description": v.plain(g.config.tagline) if g.config.tagline else v.plain(g.config.title),
            "browse_links": [LinkView(v.urls.taxonomy(v.lang, x), v.loc.t(f"taxonomy.{x}")) for x in TAXONOMIES]}


# --- sections: every fiche of a kind ------------------------------------------------------------

def section(v: Views, kind: str, order: str | None = None, number: int = 1) -> dict:
    """One page of a kind's list; projects as a table (with the timeline of the page's projects), others as cards."""
    order = order or paging.orders_for(kind)[0]
    refs = ordered(v, lambda: v.g.refs(kind), order, kind)
    shown = list(paging.window(refs, number))
    nav = paging.pagination(v.loc.t, v.loc.number, v.urls.section(v.lang, kind), len(refs), kind, order, number,
                            label=v.loc.t("list.pages_of", list=v.loc.t(f"section.{kind}")))
    data: dict[str, Any] = {"kind": kind, "pagination": nav, "entries": [], "timeline": None, "table": None,
                            "description": v.loc.t_count(f"list.description.{kind}", len(refs))}
    if kind == "project":
        data["timeline"] = charts.timeline(v, shown)
        data["table"] = project_table(v, shown, order)
    else:
        data["entries"] = [v.card(r) for r in shown]
    return data


def project_table(v: Views, refs: list[Ref], order: str = "newest") -> dict:
    """The projects as table rows, in the order given: the overview of the projects list."""
    rows = []
    for ref in refs:
        p = v.g.projects[ref.id]
        status = v.g.status(p)
        rows.append({"sort": str(p.start_date or ""), "link": v.link(ref), "acronym": v.text(p.acronym) or "",
                     "start": v.date(p.start_date), "end": v.date(p.end),
                     "status": v.term("statuses", status) if status else "",
                     "countries": [v.country(c) for c in p.country_codes] + [v.term("world-regions", r.region) for r in p.recipient_regions],
                     "programme": [v.term("programmes", f.programme) for f in p.funding if f.programme],
                     "partners": v.loc.number(sum(x.count or 1 for x in p.participants))})
    sort = {"newest": ("start", "descending"), "oldest": ("start", "ascending"), "title": ("title", "ascending")}[order]
    return {"rows": rows, "sorted_by": sort[0], "direction": sort[1], "caption": v.loc.t(f"list.projects_caption.{order}")}


# --- taxonomies and their terms --------------------------------------------------------------------

def taxonomy(v: Views, name: str) -> dict:
    terms = v.g.taxonomies.get(name, {})
    items = [{"link": v.term(name, term), "count": v.loc.number(len(refs)), "n": len(refs),
              "count_label": v.loc.t_count("list.fiches", len(refs))} for term, refs in terms.items()]
    if name == "years":
        items.sort(key=lambda i: str(i["link"].label), reverse=True)
    else:
        items.sort(key=lambda i: paging.title_key(i["link"].label))
    world = map_views.world(v, list(v.g.refs("project"))) if name == "countries" else None
    return {"taxonomy": name, "items": items, "map": world,
            "description": v.loc.t("list.taxonomy_description", taxonomy=v.loc.t(f"taxonomy.{name}"))}


def term_kind_url(v: Views, name: str, term_id: str, kind: str) -> str:
    """The address of the list of a term's fiches of one kind (/en/countries/cv/projects/)."""
    return v.urls.term(v.lang, name, term_id) + SECTION[kind] + "/"


def _term_group_nav(v: Views, name: str, term_id: str, kind: str, total: int, order: str, number: int) -> paging.Pagination | None:
    """Pages of a term's fiches of one kind; the default ordering's first page is the term page itself."""
    nav = paging.pagination(v.loc.t, v.loc.number, term_kind_url(v, name, term_id, kind), total, kind, order, number,
                            label=v.loc.t("list.pages_of", list=v.loc.t(f"section.{kind}")),
                            orders=paging.orders_for(kind)[:paging.TERM_ORDERS])
    if nav is None:
        return None
    first = paging.list_url(term_kind_url(v, name, term_id, kind), paging.orders_for(kind)[0], 1, paging.orders_for(kind)[0])
    home = v.urls.term(v.lang, name, term_id)

    def fix(url):
        return home if url == first else url

    return replace(nav, prev=fix(nav.prev) if nav.prev else None, next=fix(nav.next) if nav.next else None,
                   pages=tuple(replace(p, url=fix(p.url)) for p in nav.pages),
                   orders=tuple(replace(o, url=fix(o.url)) for o in nav.orders))


def term_kind_pages(refs, kind: str) -> list[tuple[str, int]]:
    """The (ordering, page) pairs of a term's list of one kind that are pages of their own (not the term page)."""
    of_kind = sum(1 for r in refs if r.kind == kind)
    count = paging.page_count(of_kind)
    if count <= 1:
        return []
    orders = paging.orders_for(kind)[:paging.TERM_ORDERS]
    return [(order, n) for order in orders for n in range(1, count + 1) if (order, n) != (orders[0], 1)]


def term(v: Views, name: str, term_id: str) -> dict:
    """A term's page: what the vocabulary says of it, its map and timeline, the first page of each kind of fiche."""
    refs = v.g.taxonomies[name][term_id]
    groups = []
    for kind in KINDS:
        of_kind = [r for r in refs if r.kind == kind]
        if of_kind:
            order = paging.orders_for(kind)[0]
            shown = paging.window(ordered(v, _of_kind(v, name, term_id, kind), order, f"{name}:{term_id}:{kind}"), 1)
            groups.append({"kind": kind, "title": v.loc.t(f"section.{kind}"), "cards": [v.card(r) for r in shown],
                           "pagination": _term_group_nav(v, name, term_id, kind, len(of_kind), order, 1),
                           "count": v.loc.number(len(of_kind))})
    projects = [r for r in refs if r.kind == "project"]
    description, facts, sources = None, [], []
    t = v.g.term(name, term_id) if name in v.g.vocabularies else None
    if t is not None:
        description = v.text(t.description, True) if t.description else None
        sources = t.sources
        if getattr(t, "funder", None) and t.funder in v.g.organisations:
            facts.append(Fact(v.loc.t("field.funder"), [v.link(Ref("organisation", t.funder))]))
        if getattr(t, "period", None) and (t.period.start or t.period.end):
            facts.append(Fact(v.loc.t("field.period"), [v.period(t.period.start, t.period.end)]))
        if getattr(t, "budget", None):
            facts.append(Fact(v.loc.t("field.programme_budget") if name == "programmes" else v.loc.t("field.budget"),
                              [v.loc.money(t.budget.amount, t.budget.currency, t.budget.qualifier)]))
        if getattr(t, "countries", None):
            facts.append(Fact(v.loc.t("field.countries"), [v.country(c) for c in t.countries]))
        if getattr(t, "website", None):
            facts.append(Fact(v.loc.t("field.website"), [LinkView(t.website, t.website)]))
    if name in ("programmes", "themes", "sectors", "target-groups"):
        figure = map_views.world(v, projects)
    elif name in ("countries", "world-regions"):
        figure = map_views.locator_of_term(v, name, term_id)
    else:
        figure = None
    label = v.term_label(name, term_id)
    return {"taxonomy": name, "taxonomy_link": LinkView(v.urls.taxonomy(v.lang, name), v.loc.t(f"taxonomy.{name}")),
            "groups": groups, "description_text": description, "facts": facts, "sources": sources, "map": figure,
            "description": v.plain(t.description, 300) if t is not None and t.description else
            v.loc.t("list.term_description", term=str(label), count=v.loc.t_count("list.fiches", len(refs))),
            # the most recent projects, as many as the first page of cards shows
            "timeline": charts.timeline(v, projects, paging.PAGE_SIZE) if projects and name in ("programmes", "countries", "themes") else None}


def term_kind(v: Views, name: str, term_id: str, kind: str, order: str, number: int) -> dict:
    """A page of a term's fiches of one kind, beyond the term page's first page."""
    refs = [r for r in v.g.taxonomies[name][term_id] if r.kind == kind]
    shown = paging.window(ordered(v, _of_kind(v, name, term_id, kind), order, f"{name}:{term_id}:{kind}"), number)
    term_link = v.term(name, term_id)
    return {"taxonomy": name, "kind": kind,
            "taxonomy_link": LinkView(v.urls.taxonomy(v.lang, name), v.loc.t(f"taxonomy.{name}")), "term_link": term_link,
            "entries": [v.card(r) for r in shown],
            "pagination": _term_group_nav(v, name, term_id, kind, len(refs), order, number),
            "description": v.loc.t("list.term_kind_description", list=v.loc.t(f"section.{kind}"), term=str(term_link.label))}


def term_kind_title(v: Views, name: str, term_id: str, kind: str, order: str, number: int) -> str:
    refs = [r for r in v.g.taxonomies[name][term_id] if r.kind == kind]
    title = v.loc.t("list.term_kind", list=v.loc.t(f"section.{kind}"), term=str(v.term_label(name, term_id)))
    return paged_title(v, title, kind, order, number, len(refs))


def paged_title(v: Views, title: str, kind: str, order: str, number: int, total: int) -> str:
    """A list page's title: the list, its ordering when not the default, and its page number when there are several."""
    if order != paging.orders_for(kind)[0]:
        title = v.loc.t("list.title_ordered", title=title, order=v.loc.t(f"list.order.{order}"))
    count = paging.page_count(total)
    if count > 1:
        title = v.loc.t("list.title_page", title=title, page=v.loc.number(number), pages=v.loc.number(count))
    return title


# --- search, statistics, translations -----------------------------------------------------------------

def search(v: Views) -> dict:
    filters = ["kind", "country", "theme", "programme", "status", "organisation", "year"]
    return {"filters": [{"name": f, "label": v.loc.t(f"search.filter.{f}")} for f in filters],
            "description": v.loc.t("search.description"),
            "browse_links": [LinkView(v.urls.taxonomy(v.lang, x), v.loc.t(f"taxonomy.{x}")) for x in TAXONOMIES]
            + [LinkView(v.urls.section(v.lang, k), v.loc.t(f"section.{k}")) for k in KINDS]}


def statistics(v: Views) -> dict:
    return {"charts": charts.statistics(v), "map": map_views.world(v, list(v.g.refs("project"))),
            "description": v.loc.t("statistics.description")}


def translations(v: Views, number: int = 1) -> dict:
    """The translation report: the languages' figures on the first page, the fiches' table over numbered pages."""
    size = paging.TABLE_PAGE_SIZE
    report = report_view(v, slice((number - 1) * size, number * size))
    total = sum(len(f) for f in v.g.fiches.values())
    nav = paging.pagination(v.loc.t, v.loc.number, v.urls.page(v.lang, "translations"), total, "", "newest", number, size,
                            label=v.loc.t("list.pages_of", list=v.loc.t("translations.by_fiche")))
    return {"report": report, "pagination": nav, "first": number == 1}


def translation_pages(g) -> int:
    """How many pages the translation table takes: every fiche is a row (`g`: the graph or a reader of it)."""
    return paging.page_count(sum(len(f) for f in g.fiches.values()), paging.TABLE_PAGE_SIZE)


def translations_title(v: Views, number: int) -> str:
    count = translation_pages(v.g)
    title = v.loc.t("nav.translations")
    return title if count == 1 else v.loc.t("list.title_page", title=title, page=v.loc.number(number), pages=v.loc.number(count))
