"""Data for the pages that gather fiches: home, sections, taxonomies, terms, search, statistics, data."""

from __future__ import annotations

from ..link import KINDS, Ref, TAXONOMIES
from . import charts
from .views import Fact, LinkView, Views


#: Ongoing projects shown on the home page, most recently started first; the status page lists them all.
HOME_ONGOING = 12


def home(v: Views) -> dict:
    g = v.g
    counts = [{"label": v.loc.t(f"section.{k}"), "count": v.loc.number(len(g.fiches[k])), "url": v.urls.section(v.lang, k)}
              for k in KINDS]
    ongoing = [Ref("project", p.id) for p in g.projects.values() if g.status(p) == "ongoing"]
    dated = []
    for kind in KINDS:
        for fiche in g.fiches[kind].values():
            when = fiche.updated or fiche.published
            if when:
                dated.append((when, Ref(kind, fiche.id)))
    dated.sort(key=lambda x: (x[0], x[1]), reverse=True)
    latest = [v.card(r) for _, r in dated[:8]]
    more = None
    if len(ongoing) > HOME_ONGOING:
        more = LinkView(v.urls.term(v.lang, "statuses", "ongoing"), v.loc.t("home.ongoing_all", count=v.loc.number(len(ongoing))))
    return {"counts": counts, "ongoing": v.cards(ongoing)[:HOME_ONGOING], "ongoing_all": more, "latest": latest,
            "browse_links": [LinkView(v.urls.taxonomy(v.lang, x), v.loc.t(f"taxonomy.{x}")) for x in TAXONOMIES]}


def section(v: Views, kind: str) -> dict:
    """Projects are listed as a table (with their timeline), the other kinds as cards."""
    refs = list(v.g.refs(kind))
    if kind == "project":
        return {"kind": kind, "entries": [], "timeline": charts.timeline(v, refs), "table": project_table(v, refs)}
    return {"kind": kind, "entries": v.cards(refs, newest_first=kind != "organisation"), "timeline": None, "table": None}


def project_table(v: Views, refs: list[Ref]) -> dict:
    """The projects as table rows, newest first: the sortable overview of the projects list."""
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
    rows.sort(key=lambda r: str(r["link"].label).casefold())
    rows.sort(key=lambda r: r["sort"], reverse=True)
    return {"rows": rows}


def taxonomy(v: Views, name: str) -> dict:
    terms = v.g.taxonomies.get(name, {})
    items = [{"link": v.term(name, term), "count": v.loc.number(len(refs)), "n": len(refs)} for term, refs in terms.items()]
    if name == "years":
        items.sort(key=lambda i: str(i["link"].label), reverse=True)
    else:
        items.sort(key=lambda i: str(i["link"].label).casefold())
    return {"taxonomy": name, "items": items}


def term(v: Views, name: str, term_id: str) -> dict:
    refs = v.g.taxonomies[name][term_id]
    groups = []
    for kind in KINDS:
        of_kind = [r for r in refs if r.kind == kind]
        if of_kind:
            groups.append({"kind": kind, "title": v.loc.t(f"section.{kind}"), "cards": v.cards(of_kind)})
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
            facts.append(Fact(v.loc.t("field.budget"), [v.loc.money(t.budget.amount, t.budget.currency, t.budget.qualifier)]))
        if getattr(t, "countries", None):
            facts.append(Fact(v.loc.t("field.countries"), [v.country(c) for c in t.countries]))
        if getattr(t, "website", None):
            facts.append(Fact(v.loc.t("field.website"), [LinkView(t.website, t.website)]))
    return {"taxonomy": name, "taxonomy_link": LinkView(v.urls.taxonomy(v.lang, name), v.loc.t(f"taxonomy.{name}")),
            "groups": groups, "description": description, "facts": facts, "sources": sources,
            "timeline": charts.timeline(v, projects) if projects and name in ("programmes", "countries", "themes") else None}


def search(v: Views) -> dict:
    filters = ["kind", "country", "theme", "programme", "status", "organisation", "year"]
    return {"filters": [{"name": f, "label": v.loc.t(f"search.filter.{f}")} for f in filters],
            "browse_links": [LinkView(v.urls.taxonomy(v.lang, x), v.loc.t(f"taxonomy.{x}")) for x in TAXONOMIES]
            + [LinkView(v.urls.section(v.lang, k), v.loc.t(f"section.{k}")) for k in KINDS]}


def statistics(v: Views) -> dict:
    return {"charts": charts.statistics(v)}


def translations(v: Views) -> dict:
    from ..translations import report_view
    return {"report": report_view(v)}
