"""One IATI 2.03 activity as XML, from the facts exports/iati_facts.py found in its project.

Elements come in the order the IATI schema requires. Texts of the fiches become one `narrative` per language
they are written in, the original language first; a name that is the same in every language is one narrative
in the project's original language. What fichegen itself says (a date's precision, an unnamed group, the
budget and funding described in words, the groups the project supports) is written in every language of the
site, from the theme's UI strings (`data.iati.*`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Mapping

from ..i18n import Localizer
from ..link import SiteGraph
from ..models import LocalizedText, Project
from ..models.common import FuzzyDate, Money
from ..models.funding import FundingSource
from ..models.geography import Place
from ..models.project import IATI_STATUS
from ..render.markup import MarkdownRenderer
from .iati_facts import INDICATOR_MEASURE, ActivityDate, Participating, ProjectFacts, ResultFacts
from .xmltext import xml_safe

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI DescriptionType codes.
GENERAL, OBJECTIVES, TARGET_GROUPS, OTHER = "1", "2", "3", "4"
#: IATI RelatedActivityType codes.
PARENT, CHILD = "1", "2"
#: IATI GeographicVocabulary codes of the gazetteers a place may name (Wikidata and others have none).
GAZETTEER = {"geonames": "G1", "osm": "G2", "gaul": "A1"}
#: GeographicVocabulary A4: ISO 3166-1 alpha-2 countries, for the country a place lies in.
ISO_COUNTRY = "A4"
#: The coordinate system of IATI's `point` (WGS 84, latitude first).
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"

Localizers = Mapping[str, Localizer]


def iati_identifier(reporting_ref: str, project_id: str) -> str:
    """The activity's identifier: the publisher's organisation identifier, a hyphen, the project's id."""
    return f"{reporting_ref}-{project_id}"


def activity_element(graph: SiteGraph, p: Project, facts: ProjectFacts, reporting_ref: str, exported: set[str],
                     localizers: Localizers, markdown: MarkdownRenderer) -> ET.Element:
    """`exported`: the projects in the file (related activities point only to those); `localizers`: the site's
    languages, for what fichegen says itself; `markdown`: the build's renderer, for texts as plain words."""
    config = graph.config
    lang = p.original_language
    attributes = {XML_LANG: lang}
    if p.budget:
        attributes["default-currency"] = p.budget.currency
    activity = ET.Element("iati-activity", attributes)
    ET.SubElement(activity, "iati-identifier").text = iati_identifier(reporting_ref, p.id)
    reporting = ET.SubElement(activity, "reporting-org", {"ref": reporting_ref, "type": config.iati_reporting_org_type})
    _narratives(reporting, config.iati_reporting_org_name or config.title, config.default_language, graph)
    _narratives(ET.SubElement(activity, "title"), p.title, p.original_of(p.title) or lang, graph)
    _descriptions(activity, graph, p, localizers, markdown)
    for org in facts.participating:
        _participating_org(activity, graph, p, org, localizers)
    ET.SubElement(activity, "activity-status", {"code": IATI_STATUS[facts.status]})
    for d in facts.dates:
        _activity_date(activity, d, localizers)
    for code, percentage in facts.countries:
        ET.SubElement(activity, "recipient-country", _with_percentage({"code": code}, percentage))
    for region in facts.regions:
        ET.SubElement(activity, "recipient-region",
                      _with_percentage({"code": region.code, "vocabulary": region.vocabulary}, region.percentage))
    for place in facts.places:
        _location(activity, graph, p, place)
    for code, percentage in facts.sectors:
        ET.SubElement(activity, "sector", _with_percentage({"vocabulary": "1", "code": code}, percentage))
    for budget in facts.budgets:
        element = ET.SubElement(activity, "budget")
        ET.SubElement(element, "period-start", {"iso-date": budget.start.isoformat()})
        ET.SubElement(element, "period-end", {"iso-date": budget.end.isoformat()})
        _value(element, "value", budget.value, budget.start.isoformat())
    for parent in facts.parents:
        if parent in exported:
            ET.SubElement(activity, "related-activity", {"ref": iati_identifier(reporting_ref, parent), "type": PARENT})
    for child in facts.children:
        if child in exported:
            ET.SubElement(activity, "related-activity", {"ref": iati_identifier(reporting_ref, child), "type": CHILD})
    for result in facts.results:
        _result(activity, graph, p, result)
    return activity


# --- descriptions -----------------------------------------------------------------------

def _descriptions(activity: ET.Element, graph: SiteGraph, p: Project, localizers: Localizers, markdown: MarkdownRenderer) -> None:
    """General (the summary, then the longer description), objectives, target groups (with the organisations the
    project supports: IATI has no participating role for them) and other (the budget, phases and funding as the
    fiche states them, since IATI's budgets and transactions cannot hold them all)."""
    general: dict[str, list[str]] = {}
    for text in (p.summary, p.description):
        for lang, value in (text.items() if text else ()):
            general.setdefault(lang, []).extend(_paragraphs(value, markdown))
    first = p.original_of(p.summary) or p.original_language
    _in_languages(ET.SubElement(activity, "description", {"type": GENERAL}),
                  {lang: "\n\n".join(parts) for lang, parts in general.items()}, first, graph)
    objectives = _joined(p.objectives)
    if objectives:
        _in_languages(ET.SubElement(activity, "description", {"type": OBJECTIVES}), objectives, p.original_language, graph)
    groups = {lang: _target_groups(graph, p, loc) for lang, loc in localizers.items()}
    if any(groups.values()):
        _said(ET.SubElement(activity, "description", {"type": TARGET_GROUPS}), groups)
    money = {lang: _money_in_words(graph, p, loc) for lang, loc in localizers.items()}
    if any(money.values()):
        _said(ET.SubElement(activity, "description", {"type": OTHER}), money)


def _paragraphs(text: str, markdown: MarkdownRenderer) -> list[str]:
    """A Markdown text's paragraphs as plain text (IATI narratives are plain text); the text as written when
    it has no words outside its markup."""
    return [words for block in text.split("\n\n") if (words := markdown.plain(block))] or [text.strip()]


def _target_groups(graph: SiteGraph, p: Project, loc: Localizer) -> str:
    lines = []
    supported = [_participant_name(graph, x.organisation, x.name, x.count, loc)
                 for x in p.participants if "beneficiary" in x.roles]
    if supported:
        lines.append(loc.t("data.iati.beneficiaries", names=loc.t("data.iati.separator").join(supported)))
    groups = [loc.plain(term.label) for g in p.target_groups if (term := graph.term("target-groups", g))]
    if groups:
        lines.append(loc.t("data.iati.target_groups", names=loc.t("data.iati.separator").join(groups)))
    return "\n".join(lines)


def _money_in_words(graph: SiteGraph, p: Project, loc: Localizer) -> str:
    lines = []
    if p.budget:
        lines.append(loc.t(f"data.iati.budget.{p.budget.kind}", amount=loc.money(p.budget.amount, p.budget.currency)))
    lines += [_funding_line(graph, s, p, loc) for s in p.funding]
    for phase in p.phases:
        period = " – ".join(loc.date(d) for d in (phase.start_date, phase.end_date) if d)
        if period:
            lines.append(loc.t("data.iati.phase", name=loc.plain(phase.name), period=period))
        elif phase.budget or phase.funding:
            lines.append(loc.t("data.iati.phase_undated", name=loc.plain(phase.name)))
        else:
            continue   # a phase with its own fiche and nothing more: its activity says it all
        if phase.budget:
            lines.append("– " + loc.t("data.iati.budget.total", amount=loc.money(phase.budget.amount, phase.budget.currency)))
        lines += ["– " + _funding_line(graph, s, p, loc) for s in phase.funding]
    return "\n".join(lines)


def _funding_line(graph: SiteGraph, s: FundingSource, p: Project, loc: Localizer) -> str:
    names = []
    if s.funder and (org := graph.organisations.get(s.funder)):
        names.append(loc.plain(org.name))
    for vocabulary, term_id in (("programmes", s.programme), ("funds", s.fund)):
        if term_id and (term := graph.term(vocabulary, term_id)):
            names.append(loc.plain(term.label))
    figures = []
    if s.amount is not None:
        currency = s.currency or (p.budget.currency if p.budget else None)
        amount = loc.money(s.amount, currency) if currency else loc.number(s.amount)
        figures.append(loc.t(f"data.iati.amount.{s.kind}", amount=amount))
    if s.share is not None:
        figures.append(loc.t("data.iati.share", share=loc.percent(s.share)))
    if s.note:
        figures.append(loc.t("data.iati.quoted", text=loc.plain(s.note)))
    source = ", ".join(names) or "…"
    if figures:
        return loc.t("data.iati.funding", source=source, figures=loc.t("data.iati.separator").join(figures))
    return loc.t("data.iati.funding_plain", source=source)


def _joined(texts: list[LocalizedText]) -> dict[str, str]:
    """A list of localized texts as one text per language, one item per line."""
    by_lang: dict[str, list[str]] = {}
    for text in texts:
        for lang, value in text.items():
            by_lang.setdefault(lang, []).append(value)
    return {lang: "\n".join(values) for lang, values in by_lang.items()}


# --- organisations, dates, places --------------------------------------------------------------

def _participating_org(activity: ET.Element, graph: SiteGraph, p: Project, org: Participating, localizers: Localizers) -> None:
    attributes = {"role": org.role}
    if org.ref:
        attributes["ref"] = org.ref
    if org.type:
        attributes["type"] = org.type
    element = ET.SubElement(activity, "participating-org", attributes)
    if org.organisation:
        fiche = graph.organisations[org.organisation]
        _narratives(element, fiche.name, fiche.original_of(fiche.name) or fiche.original_language, graph)
    elif org.name is not None and org.count:    # "Village groups", 30: the count beside each name
        names = {p.original_language: org.name.name} if org.name.invariant else org.name.texts
        _in_languages(element, {lang: f"{name} ({org.count})" for lang, name in names.items()}, p.original_language, graph)
    elif org.name is not None:
        _narratives(element, org.name, p.original_language, graph)
    else:
        _said(element, {lang: _unnamed(org.count or 1, loc) for lang, loc in localizers.items()})


def _participant_name(graph: SiteGraph, organisation: str | None, name, count: int | None, loc: Localizer) -> str:
    if organisation and (org := graph.organisations.get(organisation)):
        return loc.plain(org.name)
    if name is not None:
        return f"{loc.plain(name)} ({loc.number(count)})" if count else loc.plain(name)
    return _unnamed(count or 1, loc)


def _unnamed(count: int, loc: Localizer) -> str:
    one = loc.locale.plural_form(count) == "one"
    return loc.t("data.iati.unnamed_one" if one else "data.iati.unnamed", count=loc.number(count))


def _activity_date(activity: ET.Element, d: ActivityDate, localizers: Localizers) -> None:
    """The day IATI requires; when the fiche gives less (a year, a month, a duration), a narrative says so, as the
    IATI schema advises for "less specific dates"."""
    element = ET.SubElement(activity, "activity-date", {"type": d.type, "iso-date": d.day.isoformat()})
    if d.derived_months is not None:
        _said(element, {lang: loc.t("data.iati.date.derived", months=loc.months(d.derived_months), date=_stated(d.stated, loc))
                        for lang, loc in localizers.items()})
    elif not d.exact:
        _said(element, {lang: loc.t(f"data.iati.date.{d.stated.precision}", date=_stated(d.stated, loc))
                        for lang, loc in localizers.items()})


def _stated(value: FuzzyDate, loc: Localizer) -> str:
    shown = loc.date(value)
    return shown if shown == str(value) else f"{shown} ({value})"


def _location(activity: ET.Element, graph: SiteGraph, p: Project, place: Place) -> None:
    element = ET.SubElement(activity, "location")
    if place.gazetteer and place.gazetteer.agency in GAZETTEER:
        ET.SubElement(element, "location-id", {"vocabulary": GAZETTEER[place.gazetteer.agency], "code": place.gazetteer.id})
    _narratives(ET.SubElement(element, "name"), place.name, p.original_language, graph)
    ET.SubElement(element, "administrative", {"vocabulary": ISO_COUNTRY, "code": place.country})
    if place.coordinates:
        point = ET.SubElement(element, "point", {"srsName": WGS84})
        ET.SubElement(point, "pos").text = f"{_number(place.coordinates.latitude)} {_number(place.coordinates.longitude)}"


# --- results ------------------------------------------------------------------------------------

def _result(activity: ET.Element, graph: SiteGraph, p: Project, facts: ResultFacts) -> None:
    element = ET.SubElement(activity, "result", {"type": facts.type})
    _narratives(ET.SubElement(element, "title"), facts.result.title, p.original_language, graph)
    for f in facts.indicators:
        indicator = f.indicator
        ind = ET.SubElement(element, "indicator", {"measure": INDICATOR_MEASURE[indicator.measure]})
        _narratives(ET.SubElement(ind, "title"), indicator.title, p.original_language, graph)
        if f.baseline:
            ET.SubElement(ind, "baseline", {"year": str(indicator.baseline_year), "value": _number(indicator.baseline)})
        for period in f.periods:
            pe = ET.SubElement(ind, "period")
            ET.SubElement(pe, "period-start", {"iso-date": period.start.isoformat()})
            ET.SubElement(pe, "period-end", {"iso-date": period.end.isoformat()})
            if period.target is not None:
                ET.SubElement(pe, "target", {"value": _number(period.target)})
            if period.actual is not None:
                ET.SubElement(pe, "actual", {"value": _number(period.actual)})


# --- values and narratives ----------------------------------------------------------------------

def _number(value: Decimal) -> str:
    """A decimal as IATI reads it: plain digits, never an exponent (1E+3)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _with_percentage(attributes: dict[str, str], percentage: Decimal | None) -> dict[str, str]:
    if percentage is not None:
        attributes["percentage"] = _number(percentage)
    return attributes


def _value(parent: ET.Element, tag: str, money: Money, value_date: str) -> None:
    """An amount with its currency (always given, whatever the activity's default) and the date of its value,
    which IATI requires to convert currencies."""
    ET.SubElement(parent, tag, {"currency": money.currency, "value-date": value_date}).text = _number(money.amount)


def _narratives(parent: ET.Element, text: LocalizedText, first: str, graph: SiteGraph) -> None:
    """One narrative per language the text is written in (see `_in_languages`); a name the same in every language
    once, in `first`."""
    if text.invariant:
        ET.SubElement(parent, "narrative", {XML_LANG: first}).text = xml_safe(text.get(first) or "")
    else:
        _in_languages(parent, text.texts, first, graph)


def _in_languages(parent: ET.Element, texts: Mapping[str, str], first: str, graph: SiteGraph) -> None:
    """A narrative per language: `first` (the text's original language) first, then the site's languages, then
    the rest."""
    order = [first] + [lang for lang in graph.config.languages if lang != first]
    for lang in [lang for lang in order if lang in texts] + sorted(lang for lang in texts if lang not in order):
        ET.SubElement(parent, "narrative", {XML_LANG: lang}).text = xml_safe(texts[lang])


def _said(parent: ET.Element, by_lang: dict[str, str]) -> None:
    """What fichegen says itself, in each language of the site."""
    for lang, value in by_lang.items():
        if value:
            ET.SubElement(parent, "narrative", {XML_LANG: lang}).text = xml_safe(value)
