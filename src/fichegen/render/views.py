"""Data shaping for templates: the graph seen in one language, as plain view objects.

Templates only lay out what these functions return: every label is already localized,
every fallback already marked, every URL already built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator

from markupsafe import Markup, escape

from ..i18n import Localizer
from ..link import Ref, SiteGraph
from ..models import Discussion, LocalizedText, Organisation, Project, Strategy
from ..models.common import FuzzyDate
from ..models.project import INVERSE_RELATION
from .markup import MarkdownRenderer
from .urls import Urls


@dataclass(frozen=True)
class TextView:
    """A localized text ready to show: `lang` is its true language, `note` the fallback marker (or "")."""

    html: Markup
    lang: str
    fallback: bool
    note: str = ""
    block: bool = False
    kind: str = "text"

    def __str__(self) -> str:  # plain uses (titles, alt texts)
        return self.plain

    @cached_property
    def plain(self) -> str:
        return str(self.html.striptags()) if self.block else Markup(self.html).unescape()


@dataclass(frozen=True)
class LinkView:
    url: str | None
    label: Any            # TextView or str
    note: str = ""        # e.g. a role or a priority number, shown after the link
    kind: str = "link"


@dataclass
class Fact:
    """One row of a fiche's fact table: a label and one or more values."""

    label: str
    items: list[Any]
    derived: bool = False


@dataclass
class Section:
    id: str
    title: str
    body: Any = None                       # TextView
    items: list[Any] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    number: str = ""


class CardLayout:
    """A card's HTML per heading level, laid out by the theme's macro on first use and then reused
    (from the card cache of the last build, when the views have one and the fiche is unchanged)."""

    def __init__(self, views: "Views", ref: Ref, card: dict):
        self._views, self._ref, self._card = views, ref, card
        self._html: dict[str, Any] = {}

    def __getitem__(self, heading: str):
        html = self._html.get(heading)
        if html is None:
            v = self._views
            if v.card_cache is None:
                html = v.lay_out_card(self._ref, self._card, heading)
            else:
                html = Markup(v.card_cache.html(v.lang, self._ref, heading,
                                                lambda: str(v.lay_out_card(self._ref, self._card, heading))))
            self._html[heading] = html
        return html

    def __bool__(self) -> bool:
        return True


def summaries(graph: SiteGraph) -> Iterator[str]:
    """The summary of every fiche in each of its languages: the Markdown shown beyond the fiche's own page (cards,
    meta descriptions, feeds, JSON-LD, IATI descriptions)."""
    for fiches in graph.fiches.values():
        for fiche in fiches.values():
            summary = getattr(fiche, "summary", None)
            if summary:
                yield from (text for _, text in summary.items())


LATER = object()   # a card's summary, made only when the card is laid out (not when it comes from the cache)


class Views:
    """The whole site as seen in one language."""

    def __init__(self, graph: SiteGraph, loc: Localizer, urls: Urls, card_layout=None, markdown: MarkdownRenderer | None = None):
        self.g = graph
        self.loc = loc
        self.urls = urls
        self.lang = loc.lang
        # The build's Markdown texts, each rendered once for every language and export (shared by the views).
        self.markdown = markdown or MarkdownRenderer()
        # A fiche's card appears on many list and term pages: shaped and laid out once per language.
        self._card_layout = card_layout      # the theme's `card` macro: (card, t, heading) -> Markup
        self.card_cache = None               # cache.CardCache, set by an incremental-capable build
        self._cards: dict[Ref, dict] = {}
        self._terms: dict[tuple[str, str], LinkView] = {}
        self._names: dict[Ref, TextView] = {}

    # --- texts ---------------------------------------------------------------------
    def text(self, value: LocalizedText | None, markdown: bool = False) -> TextView | None:
        shown = self.loc.pick(value)
        if shown is None:
            return None
        html = self.markdown.html(shown.text) if markdown else escape(shown.text)
        note = self.loc.t("fallback.note", language=self.loc.language(shown.lang)) if shown.fallback else ""
        return TextView(Markup(html), shown.lang, shown.fallback, note, markdown)

    def own_language_text(self, text: str, lang: str, markdown: bool = True) -> TextView:
        """A text that exists only in its own language (a contribution): marked when that is not the page's."""
        html = self.markdown.html(text) if markdown else escape(text)
        other = lang != self.lang
        note = self.loc.t("text.original_language", language=self.loc.language(lang)) if other else ""
        return TextView(Markup(html), lang, other, note, markdown)

    def texts(self, values: Iterable[LocalizedText]) -> list[TextView]:
        return [v for v in (self.text(x) for x in values) if v]

    def plain(self, value: LocalizedText | None, limit: int | None = None) -> str:
        shown = self.loc.pick(value)
        return self.markdown.plain(shown.text, limit) if shown else ""

    # --- names and links -----------------------------------------------------------
    def name(self, ref: Ref) -> TextView:
        # Every link to a fiche shows its name: looked up once per language.
        view = self._names.get(ref)
        if view is None:
            fiche = self.g.get(ref)
            view = self._names[ref] = self.text(fiche.name if fiche else LocalizedText({"en": ref.id}))  # type: ignore[union-attr]
        return view

    def short_name(self, ref: Ref) -> Any:
        fiche = self.g.get(ref)
        acronym = getattr(fiche, "acronym", None)
        return acronym or self.name(ref)

    def link(self, ref: Ref, note: str = "") -> LinkView:
        return LinkView(self.urls.fiche(self.lang, ref.kind, ref.id), self.name(ref), note)

    def country(self, code: str) -> LinkView:
        return self.term("countries", code)

    def term_label(self, taxonomy: str, term: str) -> Any:
        if taxonomy == "countries":
            return self.loc.country(term)
        if taxonomy == "years":
            return term
        if taxonomy == "statuses":
            return self.loc.t(f"status.{term}")
        vocabulary = {"themes": "themes", "programmes": "programmes", "target-groups": "target-groups",
                      "regions": "regions", "organisation-types": "organisation-types"}[taxonomy]
        t = self.g.term(vocabulary, term)
        return self.text(t.label) if t else term

    def term(self, taxonomy: str, term: str) -> LinkView:
        # Immutable and asked for on every card and row that shows the term: made once per language.
        view = self._terms.get((taxonomy, term))
        if view is None:
            view = self._terms[taxonomy, term] = LinkView(self.urls.term(self.lang, taxonomy, term), self.term_label(taxonomy, term))
        return view

    def date(self, value: FuzzyDate | None) -> str:
        return self.loc.date(value)

    def period(self, start: FuzzyDate | None, end: FuzzyDate | None) -> str:
        if not start and not end:
            return ""
        return self.loc.t("period.range", start=self.date(start) or "…", end=self.date(end) or "…")

    def role(self, role: str) -> str:
        return self.loc.t(f"role.{role}")

    # --- cards, for lists ----------------------------------------------------------
    def card(self, ref: Ref) -> dict:
        card = self._cards.get(ref)
        if card is None:
            card = self._cards[ref] = self._card(ref)
            if self._card_layout is not None:
                card["html"] = CardLayout(self, ref, card)
            else:
                card["summary"] = self.card_summary(ref)
        return card

    def lay_out_card(self, ref: Ref, card: dict, heading: str) -> Markup:
        """The card's HTML by the theme's `card` macro; its summary is made now, when first needed."""
        if card["summary"] is LATER:
            card["summary"] = self.card_summary(ref)
        return self._card_layout(card, self.loc.t, heading)

    def card_summary(self, ref: Ref) -> TextView | None:
        summary = getattr(self.g.get(ref), "summary", None)
        return self.text(summary, markdown=True) if summary else None

    def _card(self, ref: Ref) -> dict:
        fiche = self.g.get(ref)
        meta: list[Any] = []
        sort_date = ""
        if isinstance(fiche, Project):
            status = self.g.status(fiche)
            if status:
                meta.append(self.term("statuses", status))
            if fiche.start_date or fiche.end_date:
                meta.append(self.period(fiche.start_date, fiche.end_date))
            if fiche.programme:
                meta.append(self.term("programmes", fiche.programme))
            meta += [self.country(c) for c in fiche.countries]
            sort_date = str(fiche.start_date or "")
        elif isinstance(fiche, Strategy):
            meta.append(self.period(fiche.period.start, fiche.period.end))
            meta.append(self.country(fiche.territory.country))
            sort_date = str(fiche.period.start or "")
        elif isinstance(fiche, Organisation):
            meta.append(self.term("organisation-types", fiche.type))
            if fiche.country:
                meta.append(self.country(fiche.country))
        elif isinstance(fiche, Discussion):
            meta.append(self.period(fiche.period.start, fiche.period.end))
            meta.append(self.loc.t("discussion.contribution_count", count=self.loc.number(len(fiche.contributions))))
            sort_date = str(fiche.period.start or "")
        return {
            "ref": ref, "kind": ref.kind, "kind_label": self.loc.t(f"kind.{ref.kind}"),
            "url": self.urls.fiche(self.lang, ref.kind, ref.id),
            "title": self.name(ref), "acronym": getattr(fiche, "acronym", None),
            "summary": LATER,
            "meta": [m for m in meta if m], "sort_date": sort_date, "html": None,
        }

    def cards(self, refs: Iterable[Ref], newest_first: bool = True) -> list[dict]:
        cards = [self.card(r) for r in refs]
        cards.sort(key=lambda c: str(c["title"]).casefold())
        if newest_first:
            cards.sort(key=lambda c: c["sort_date"], reverse=True)
        return cards

    # --- fiche pages ---------------------------------------------------------------
    def project(self, p: Project) -> dict:
        from . import charts  # charts builds on these views: imported here to avoid an import cycle
        ref = Ref("project", p.id)
        t = self.loc.t
        facts = []
        status = self.g.status(p)
        if status:
            facts.append(Fact(t("field.status"), [self.term("statuses", status)], derived=not p.status))
        if p.start_date or p.end_date:
            facts.append(Fact(t("field.period"), [self.period(p.start_date, p.end_date)]))
        if p.programme:
            facts.append(Fact(t("field.programme"), [self.term("programmes", p.programme)]))
        funding = p.funding.resolved() if p.funding else None
        if funding:
            if funding.total is not None:
                facts.append(Fact(t("field.total_budget"), [self.loc.money(funding.total, funding.currency)], "total" in funding.derived))
            if funding.contribution is not None:
                value = self.loc.money(funding.contribution, funding.currency)
                fund = self.g.term("funds", funding.fund) if funding.fund else None
                items: list[Any] = [value]
                if fund:
                    items.append(self.text(fund.label))
                facts.append(Fact(t("field.contribution"), items, "contribution" in funding.derived))
            if funding.rate is not None:
                facts.append(Fact(t("field.contribution_rate"), [self.loc.percent(funding.rate)], "rate" in funding.derived))
        if p.countries:
            facts.append(Fact(t("field.countries"), [self.country(c) for c in p.countries]))
        if p.regions:
            facts.append(Fact(t("field.regions"), [self.term("regions", r) for r in p.regions]))
        if p.themes:
            facts.append(Fact(t("field.themes"), [self.term("themes", x) for x in p.themes]))
        if p.target_groups:
            facts.append(Fact(t("field.target_groups"), [self.term("target-groups", x) for x in p.target_groups]))
        for ident in p.identifiers:
            facts.append(Fact(t("field.identifier", scheme=ident.scheme), [ident.value]))

        partners = [self.link(Ref("organisation", x.organisation), self.role(x.role)) for x in p.partners
                    if x.organisation in self.g.organisations]
        partner_total = max(p.partner_count or 0, len(p.partners))
        relations = []
        for rel in p.related_projects:
            target = Ref("project", rel.project)
            label = self.name(target) if rel.project in self.g.projects else (rel.label or rel.project)
            url = self.urls.fiche(self.lang, "project", rel.project) if rel.project in self.g.projects else None
            relations.append({"relation": t(f"relation.{rel.relation}"), "link": LinkView(url, label)})
        for edge in self.g.backlinks(ref, "follows", "followed_by", "part_of", "related"):
            relations.append({"relation": t(f"relation.{INVERSE_RELATION[edge.relation]}"), "link": self.link(edge.source)})
        strategies = []
        for s in p.strategies:
            if s.strategy in self.g.strategies:
                note = self.priority_title(self.g.strategies[s.strategy], s.priority) if s.priority else ""
                strategies.append(self.link(Ref("strategy", s.strategy), note))
        sections = [
            Section("summary", t("field.summary"), self.text(p.summary, True)),
            Section("description", t("field.description"), self.text(p.description, True)) if p.description else None,
            Section("objectives", t("field.objectives"), items=self.texts(p.objectives)) if p.objectives else None,
            Section("activities", t("field.activities"), subsections=[
                Section(f"activity-{i + 1}", str(self.text(a.heading)), self.text(a.text, True)) for i, a in enumerate(p.activities)
            ]) if p.activities else None,
            Section("expected-results", t("field.expected_results"), items=self.texts(p.expected_results)) if p.expected_results else None,
            Section("outputs", t("field.outputs"), items=self.texts(p.outputs)) if p.outputs else None,
        ]
        return {
            "fiche": p, "ref": ref, "title": self.text(p.title), "acronym": p.acronym, "facts": facts,
            "sections": [s for s in sections if s], "partners": partners, "partner_total": partner_total,
            "partners_unnamed": max(0, partner_total - len(partners)),
            "relations": relations, "strategies": strategies,
            "links": self.web_links(p.links), "sources": p.sources,
            "description": self.plain(p.summary, 300),
            "timeline": charts.project_timeline(self, p),
        }

    def priority_title(self, strategy: Strategy, number: str) -> str:
        for pr in strategy.priorities:
            if pr.number == number:
                return f"{number}. {self.plain(pr.title)}"
            for o in pr.objectives:
                if o.number == number:
                    return f"{number} {self.plain(o.title)}"
        return number

    def web_links(self, links) -> list[LinkView]:
        return [LinkView(l.url, self.text(l.label) if l.label else l.url, self.loc.t(f"link.{l.kind}")) for l in links]

    def strategy(self, s: Strategy) -> dict:
        ref = Ref("strategy", s.id)
        t = self.loc.t
        contributing: dict[str | None, list[LinkView]] = {}
        for edge in self.g.backlinks(ref, "contributes_to"):
            contributing.setdefault(edge.detail, []).append(self.link(edge.source))
        priorities = []
        for pr in s.priorities:
            objectives = [{"number": o.number, "title": self.text(o.title), "projects": contributing.get(o.number, [])}
                          for o in pr.objectives]
            priorities.append({"number": pr.number, "title": self.text(pr.title), "objectives": objectives,
                               "projects": contributing.get(pr.number, [])})
        facts = [Fact(t("field.territory"), [t(f"level.{s.territory.level}"), self.country(s.territory.country)]
                      + [self.term("regions", r) for r in s.territory.regions]),
                 Fact(t("field.period"), [self.period(s.period.start, s.period.end)])]
        if s.responsible:
            facts.append(Fact(t("field.responsible"), [self.link(Ref("organisation", o)) for o in s.responsible if o in self.g.organisations]))
        if s.adopting:
            facts.append(Fact(t("field.adopting"), [self.link(Ref("organisation", o)) for o in s.adopting if o in self.g.organisations]))
        if s.adoption and (s.adoption.date or s.adoption.act):
            facts.append(Fact(t("field.adoption"), [x for x in (self.date(s.adoption.date), self.text(s.adoption.act)) if x]))
        if s.themes:
            facts.append(Fact(t("field.themes"), [self.term("themes", x) for x in s.themes]))
        if s.target_groups:
            facts.append(Fact(t("field.target_groups"), [self.term("target-groups", x) for x in s.target_groups]))
        monitoring = None
        if s.monitoring:
            m = s.monitoring
            monitoring = {"body": self.text(m.body), "legal_basis": self.text(m.legal_basis),
                          "organisation": self.link(Ref("organisation", m.organisation)) if m.organisation in self.g.organisations else None}
        sections = [Section("summary", t("field.summary"), self.text(s.summary, True)),
                    Section("description", t("field.description"), self.text(s.description, True)) if s.description else None,
                    Section("development-process", t("field.development_process"), self.text(s.development_process, True)) if s.development_process else None]
        return {"fiche": s, "ref": ref, "title": self.text(s.title), "facts": facts, "sections": [x for x in sections if x],
                "priorities": priorities, "unassigned_projects": contributing.get(None, []), "monitoring": monitoring,
                "documents": self.web_links(s.documents), "links": self.web_links(s.links), "sources": s.sources,
                "description": self.plain(s.summary, 300)}

    def organisation(self, o: Organisation) -> dict:
        ref = Ref("organisation", o.id)
        t = self.loc.t
        facts = [Fact(t("field.organisation_type"), [self.term("organisation-types", o.type)])]
        if o.acronym:
            facts.append(Fact(t("field.acronym"), [o.acronym]))
        if o.country:
            facts.append(Fact(t("field.country"), [self.country(o.country)]))
        if o.city:
            facts.append(Fact(t("field.city"), [o.city]))
        if o.parent and o.parent in self.g.organisations:
            facts.append(Fact(t("field.parent"), [self.link(Ref("organisation", o.parent))]))
        if o.website:
            facts.append(Fact(t("field.website"), [LinkView(o.website, o.website)]))
        for ident in o.identifiers:
            facts.append(Fact(t("field.identifier", scheme=ident.scheme), [ident.value]))
        edges = self.g.backlinks(ref)
        by_role: dict[str, list[Ref]] = {}
        for e in edges:
            by_role.setdefault(e.relation, [])
            if e.source not in by_role[e.relation]:
                by_role[e.relation].append(e.source)
        groups = []
        for relation in ("lead", "partner", "associated", "funder", "responsible", "adopting", "monitoring", "organiser", "parent"):
            if by_role.get(relation):
                groups.append({"id": relation, "title": t(f"backlink.{relation}"), "cards": self.cards(by_role[relation])})
        contributions = []
        for e in self.g.backlinks(ref, "contributor"):
            d = self.g.discussions[e.source.id]
            c = d.contributions[int(e.detail or 0)]
            contributions.append({"discussion": self.link(e.source), "author": c.author,
                                  "anchor": f"contribution-{int(e.detail or 0) + 1}",
                                  "url": self.urls.fiche(self.lang, "discussion", d.id) + f"#contribution-{int(e.detail or 0) + 1}"})
        programmes = [self.term("programmes", pid) for pid, prog in self.g.vocabularies.get("programmes", {}).items()
                      if getattr(prog, "funder", None) == o.id]
        return {"fiche": o, "ref": ref, "title": self.text(o.name), "facts": facts,
                "summary": self.text(o.summary, True), "groups": groups, "contributions": contributions,
                "programmes": programmes, "links": self.web_links(o.links), "sources": o.sources,
                "description": self.plain(o.summary, 300) if o.summary else self.plain(o.name)}

    def discussion(self, d: Discussion) -> dict:
        ref = Ref("discussion", d.id)
        t = self.loc.t
        facts = [Fact(t("field.period"), [self.period(d.period.start, d.period.end)])]
        if d.organisers:
            facts.append(Fact(t("field.organisers"), [self.link(Ref("organisation", o)) for o in d.organisers if o in self.g.organisations]))
        if d.languages:
            facts.append(Fact(t("field.languages"), [self.loc.language(x) for x in d.languages]))
        if d.themes:
            facts.append(Fact(t("field.themes"), [self.term("themes", x) for x in d.themes]))
        facts.append(Fact(t("field.contributions"), [self.loc.number(len(d.contributions))]))
        rounds = []
        for r in d.rounds:
            rounds.append({"number": r.number, "label": self.text(r.label), "id": f"round-{r.number}",
                           "questions": [{"number": i + 1, "text": self.text(q), "id": f"round-{r.number}-question-{i + 1}"}
                                         for i, q in enumerate(r.questions)]})
        contributions = []
        for i, c in enumerate(d.contributions):
            who: list[Any] = []
            if c.organisation and c.organisation in self.g.organisations:
                who.append(self.link(Ref("organisation", c.organisation)))
            elif c.affiliation:
                who.append(c.affiliation)
            if c.country:
                who.append(self.country(c.country))
            answers = []
            if c.round:
                answers = [LinkView(f"#round-{c.round}-question-{q}", t("discussion.question_ref", round=c.round, question=q))
                           for q in c.questions]
            contributions.append({"id": f"contribution-{i + 1}", "number": i + 1,
                                  "author": c.author or t("discussion.anonymous"), "who": who,
                                  "language": self.loc.language(c.language), "lang": c.language,
                                  "round": t("discussion.round_ref", round=c.round) if c.round else "",
                                  "round_url": f"#round-{c.round}" if c.round else "",
                                  "answers": answers, "date": self.loc.full_date(c.date) if c.date else "",
                                  "text": self.own_language_text(c.text, c.language)})
        return {"fiche": d, "ref": ref, "title": self.text(d.title), "facts": facts,
                "summary": self.text(d.summary, True), "introduction": self.text(d.introduction, True),
                "rounds": rounds, "contributions": contributions, "links": self.web_links(d.links), "sources": d.sources,
                "description": self.plain(d.summary, 300)}

    def fiche(self, ref: Ref) -> dict:
        data = getattr(self, ref.kind)(self.g.get(ref))
        # search: what Pagefind records about the page (filters, sort key, result metadata)
        from .search_record import search_record
        data["search"] = search_record(self, ref)
        from ..exports.jsonld import fiche_jsonld  # schema.org JSON-LD in the page head (base.html)
        data["jsonld"] = fiche_jsonld(self, ref)
        return data
