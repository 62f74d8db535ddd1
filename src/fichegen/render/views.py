"""Data shaping for templates: the graph seen in one language, as plain view objects.

Templates only lay out what these functions return: every label is already localized,
every fallback already marked, every URL already built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator

from markupsafe import Markup, escape

from ..dependencies import GraphReader, Input
from ..i18n import Localizer
from ..link import Ref, SiteGraph
from ..codelists import codelist
from ..models import Discussion, LocalizedText, Organisation, Project, Strategy
from ..models.common import FuzzyDate, primary_language
from ..models.geography import is_m49_code
from .markup import MarkdownRenderer
from .paging import title_key
from .urls import Urls


@dataclass(frozen=True)
class TextView:
    """A localized text ready to show: `lang` is its true language ("" for a name the same in every language),
    `foreign` whether that differs from the page's (it is then marked up with its lang), `note` the fallback
    marker (or "")."""

    html: Markup
    lang: str
    fallback: bool
    note: str = ""
    block: bool = False
    kind: str = "text"
    foreign: bool = False

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
    (from the card cache of the last build, when the views have one and what the card read is unchanged)."""

    def __init__(self, views: "Views", ref: Ref, card: dict, inputs: tuple[Input, ...]):
        self._views, self._ref, self._card, self._inputs = views, ref, card, inputs
        self._html: dict[str, Any] = {}

    def __getitem__(self, heading: str):
        html = self._html.get(heading)
        if html is None:
            v = self._views
            if v.card_cache is None:
                html = v.lay_out_card(self._ref, self._card, heading)
            else:
                html = Markup(v.card_cache.html(v.lang, self._ref, heading, v.g, self._inputs,
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


#: Gazetteers whose entries have a page at an address made from the id alone.
GAZETTEER_PAGES = {"geonames": "https://www.geonames.org/{id}", "wikidata": "https://www.wikidata.org/wiki/{id}"}


class Views:
    """The whole site as seen in one language.

    The graph is read through `g`, a GraphReader: every read is recorded into the recorder of the output being
    made (dependencies.py). What the views remember between outputs (names, term links, cards) is remembered
    with the inputs it read, which are recorded again each time it is used."""

    def __init__(self, graph: SiteGraph | GraphReader, loc: Localizer, urls: Urls, card_layout=None,
                 markdown: MarkdownRenderer | None = None):
        self.g = graph if isinstance(graph, GraphReader) else GraphReader(graph)
        self.loc = loc
        self.urls = urls
        self.lang = loc.lang
        # The build's Markdown texts, each rendered once for every language and export (shared by the views).
        self.markdown = markdown or MarkdownRenderer()
        # A fiche's card appears on many list and term pages: shaped and laid out once per language.
        self._card_layout = card_layout      # the theme's `card` macro: (card, t, heading) -> Markup
        self.card_cache = None               # cache.CardCache, set by an incremental-capable build
        self.map_cache = None                # map_views.MapCache: drawings shared by the languages, set by the renderer
        self._cards: dict[Ref, tuple[dict, tuple[Input, ...]]] = {}
        self._terms: dict[tuple[str, str], tuple[LinkView, tuple[Input, ...]]] = {}
        self._names: dict[Ref, tuple[TextView, tuple[Input, ...]]] = {}
        self._title_keys: dict[Ref, tuple[tuple[str, str], tuple[Input, ...]]] = {}

    def forget(self, changed: set[Input]) -> None:
        """Drop what was remembered from inputs that changed (a resident preview after an edit)."""
        for store in (self._names, self._terms, self._cards, self._title_keys):
            for key in [key for key, (_, inputs) in store.items() if not changed.isdisjoint(inputs)]:
                del store[key]

    def _remembered(self, store: dict, key: Any, make) -> Any:
        """`make()`, once per key; its inputs are recorded again on every later use."""
        kept = store.get(key)
        if kept is None:
            with self.g.recording() as recorder:
                value = make()
            kept = store[key] = (value, tuple(recorder.inputs))
        else:
            self.g.recorder.update(kept[1])
        return kept[0]

    # --- texts ---------------------------------------------------------------------
    def text(self, value: LocalizedText | None, markdown: bool = False) -> TextView | None:
        shown = self.loc.pick(value)
        if shown is None:
            return None
        html = self.markdown.html(shown.text) if markdown else escape(shown.text)
        note = self.loc.t("fallback.note", language=self.loc.language_in_text(shown.lang)) if shown.fallback else ""
        return TextView(Markup(html), shown.lang, shown.fallback, note, markdown, foreign=bool(shown.lang) and shown.lang != self.lang)

    def own_language_text(self, text: str, lang: str, markdown: bool = True) -> TextView:
        """A text that exists only in its own language (a contribution): marked when that is not the page's."""
        html = self.markdown.html(text) if markdown else escape(text)
        other = primary_language(lang) != primary_language(self.lang)
        note = self.loc.t("text.original_language", language=self.loc.language_in_text(lang)) if other else ""
        return TextView(Markup(html), lang, other, note, markdown, foreign=lang != self.lang)

    def texts(self, values: Iterable[LocalizedText]) -> list[TextView]:
        return [v for v in (self.text(x) for x in values) if v]

    def plain(self, value: LocalizedText | None, limit: int | None = None) -> str:
        shown = self.loc.pick(value)
        return self.markdown.plain(shown.text, limit) if shown else ""

    # --- names and links -----------------------------------------------------------
    def name(self, ref: Ref) -> TextView:
        # Every link to a fiche shows its name: looked up once per language (only the name is recorded).
        def make() -> TextView:
            name = self.g.name_of(ref)
            return self.text(name if name is not None else LocalizedText({"en": ref.id}))  # type: ignore[return-value]
        return self._remembered(self._names, ref, make)

    def title_key(self, ref: Ref) -> tuple[str, str]:
        """A fiche's place in A–Z order in this language (lists sort every fiche they hold by it)."""
        return self._remembered(self._title_keys, ref, lambda: title_key(self.name(ref)))

    def short_name(self, ref: Ref) -> Any:
        acronym = self.g.acronym_of(ref)
        return self.text(acronym) if acronym else self.name(ref)

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
        if taxonomy == "sectors":
            return self.codelist_name("Sector", term)
        if taxonomy == "world-regions" and is_m49_code(term):
            return self.loc.country(term)        # UN M49: CLDR names regions as it names countries
        if taxonomy == "world-regions" and term.startswith("iati-"):
            return self.codelist_name("Region", term[5:])
        t = self.g.term(taxonomy, term)
        return self.text(t.label) if t else term

    def codelist_name(self, name: str, code: str) -> Any:
        """A code's name from an IATI codelist, in the page's language or, marked, in English."""
        item = codelist(name)[code]
        text = item.names.get(self.lang) or item.names.get(primary_language(self.lang))
        return text if text else self.text(LocalizedText({"en": item.name("en")}))

    def term(self, taxonomy: str, term: str) -> LinkView:
        # Asked for on every card and row that shows the term: made once per language.
        return self._remembered(self._terms, (taxonomy, term),
                                lambda: LinkView(self.urls.term(self.lang, taxonomy, term), self.term_label(taxonomy, term)))

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
        kept = self._cards.get(ref)
        if kept is None:
            with self.g.recording() as recorder:
                card = self._card(ref)
                if self._card_layout is None:
                    card["summary"] = self.card_summary(ref)
            inputs = tuple(recorder.inputs)
            if self._card_layout is not None:
                card["html"] = CardLayout(self, ref, card, inputs)
            kept = self._cards[ref] = (card, inputs)
        else:
            self.g.recorder.update(kept[1])
        return kept[0]

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
        if isinstance(fiche, Project):
            status = self.g.status(fiche)
            if status:
                meta.append(self.term("statuses", status))
            if fiche.start_date or fiche.end:
                meta.append(self.period(fiche.start_date, fiche.end))
            meta += [self.term("programmes", f.programme) for f in fiche.funding if f.programme]
            meta += [self.country(c) for c in fiche.country_codes]
            meta += [self.term("world-regions", r.region) for r in fiche.recipient_regions]
        elif isinstance(fiche, Strategy):
            meta.append(self.period(fiche.period.start, fiche.period.end))
            meta.append(self.country(fiche.territory.country))
        elif isinstance(fiche, Organisation):
            meta.append(self.term("organisation-types", fiche.type))
            if fiche.country:
                meta.append(self.country(fiche.country))
        elif isinstance(fiche, Discussion):
            meta.append(self.period(fiche.period.start, fiche.period.end))
            meta.append(self.loc.t("discussion.contribution_count", count=self.loc.number(len(fiche.contributions))))
        return {
            "ref": ref, "kind": ref.kind, "kind_label": self.loc.t(f"kind.{ref.kind}"),
            "url": self.urls.fiche(self.lang, ref.kind, ref.id),
            "title": self.name(ref), "acronym": self.text(getattr(fiche, "acronym", None)),
            "summary": LATER,
            "meta": [m for m in meta if m], "sort_date": fiche.listed_date(), "html": None,
        }

    def cards(self, refs: Iterable[Ref], newest_first: bool = True) -> list[dict]:
        cards = [self.card(r) for r in refs]
        cards.sort(key=lambda c: str(c["title"]).casefold())
        if newest_first:
            cards.sort(key=lambda c: c["sort_date"], reverse=True)
        return cards

    def priority_title(self, strategy: Strategy, key: str) -> str:
        """A priority or objective as a project page names it: its number (when the strategy numbers it) and title."""
        for k, priority, objective in strategy.priority_keys():
            if k == key:
                shown = objective or priority
                if shown.number is None:
                    return self.plain(shown.title)
                return f"{shown.number}. {self.plain(shown.title)}" if objective is None else f"{shown.number} {self.plain(shown.title)}"
        return key

    def web_links(self, links) -> list[LinkView]:
        return [LinkView(l.url, self.text(l.label) if l.label else l.url, self.loc.t(f"link.{l.kind}")) for l in links]

    def shared(self, link: LinkView, percentage) -> LinkView:
        """A country or region with the share of the project the fiche states for it, if any."""
        if percentage is None:
            return link
        return LinkView(link.url, link.label, self.loc.percent(percentage))

    def place(self, place) -> Any:
        """A place: its name and country (the name as stated, the same in every language when it is one text),
        linked to its gazetteer entry where the gazetteer has pages by id."""
        gazetteer = place.gazetteer
        url = GAZETTEER_PAGES[gazetteer.agency].format(id=gazetteer.id) if gazetteer and gazetteer.agency in GAZETTEER_PAGES else None
        note = self.loc.country(place.country)
        if gazetteer and url is None:
            note += f", {gazetteer.agency} {gazetteer.id}"
        return LinkView(url, self.text(place.name), note)

    def acronyms(self, o: Organisation) -> Any:
        """An organisation's acronym in the page's language; the others it is known by after it."""
        shown = self.text(o.acronym)
        others = [a for a in o.acronyms() if a != str(shown)]
        return LinkView(None, shown, ", ".join(others)) if others else shown
