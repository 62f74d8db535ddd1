"""data/iati-activities.xml: the projects as IATI Activity Standard 2.03 activities.

What goes where:
- iati-identifier: `<iati_reporting_org_ref>-<project id>`; the reporting org comes from fichegen.toml
  (`iati_reporting_org_ref`, `iati_reporting_org_name`, `iati_reporting_org_type`). While the ref is not
  set, the placeholder XX-FICHEGEN-NOT-SET is used: the file validates, but must not be registered.
- title, description: every language of the fiche as a `narrative` with its xml:lang (the original
  language first); the summary is the general description (type 1), the objectives type 2.
- participating-org: the partners with their IATI OrganisationRole (models/project.py IATI_ROLE) and,
  as funder (role 1), the programme's funder organisation or, when the programme names none, the
  programme itself by name.
- activity-status: the status on the build date (IATI_STATUS).
- activity-date: a start or end in the past is actual (2, 4), one in the future planned (1, 3); a
  suspended project's end is always planned. Partial dates stand for their first day (start) and last
  day (end): a project that started "2010" started 2010-01-01.
- recipient-country: the project's countries, the 100 % split evenly (fiches give no shares).
- budget: the total budget (stated or derived) over the project's whole period, indicative, valued on
  the start date; only when the total and both dates are known.

IATI requires a status, a date and a participating organisation for every activity: projects lacking
one of these are left out (`left_out` says which and why, for the download page). When no project
qualifies there is no file, since an IATI file must hold at least one activity.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from ..link import Ref, SiteGraph
from ..models import LocalizedText, Project
from ..models.project import IATI_ROLE, IATI_STATUS
from ..render.markup import MarkdownRenderer
from .pieces import Pieces, make_piece
from .xmltext import xml_safe

VERSION = "2.03"
PLACEHOLDER_REF = "XX-FICHEGEN-NOT-SET"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: IATI OrganisationType codes for the showcase's organisation-types vocabulary; other terms get no type.
ORGANISATION_TYPE: dict[str, str] = {
    "ministry": "10", "directorate": "10", "public-agency": "10", "public-employment-service": "10",
    "regional-government": "11", "international-organisation": "40", "international-programme": "40",
    "eu-institution": "40", "higher-education": "80", "research-institute": "80", "training-centre": "80",
    "consultancy": "70",
}
#: IATI DescriptionType codes.
GENERAL, OBJECTIVES = "1", "2"
#: IATI ActivityDateType codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
#: IATI RelatedActivityType codes.
PARENT, CHILD = "1", "2"


@dataclass
class IatiExport:
    """The file's text (None when no project qualifies) and the projects left out, with the reason."""

    xml: str | None
    included: list[str] = field(default_factory=list)
    left_out: dict[str, str] = field(default_factory=dict)   # project id → missing: status | date | organisation


def reporting_ref(graph: SiteGraph) -> str:
    return graph.config.iati_reporting_org_ref or PLACEHOLDER_REF


def iati_identifier(graph: SiteGraph, project_id: str) -> str:
    return f"{reporting_ref(graph)}-{project_id}"


def missing(graph: SiteGraph, p: Project) -> str | None:
    """What IATI requires that the project lacks, or None when it can be exported."""
    if graph.status(p) is None:
        return "status"
    if not p.start_date and not p.end_date:
        return "date"
    if not _participants(graph, p):
        return "organisation"
    return None


def iati_activities(graph: SiteGraph, pieces: Pieces | None = None, markdown: MarkdownRenderer | None = None) -> IatiExport:
    """The file, laid out as ElementTree indents it; each activity is serialized on its own, so that an
    incremental build (`pieces`) serializes only the projects that changed. Summaries are given as plain words,
    by the build's `markdown` renderer (which the pages and feeds share)."""
    export = IatiExport(None)
    markdown = markdown or MarkdownRenderer()
    for project_id in sorted(graph.projects):
        reason = missing(graph, graph.projects[project_id])
        if reason:
            export.left_out[project_id] = reason
        else:
            export.included.append(project_id)
    if not export.included:
        return export
    exported = set(export.included)
    # Which projects are exported shows in related-activity elements: it is part of every activity's signature.
    exported_digest = hashlib.blake2b("\n".join(export.included).encode(), digest_size=8).hexdigest()
    activities = [make_piece(pieces, "iati", Ref("project", project_id), exported_digest,
                             lambda p=graph.projects[project_id]: _activity_text(graph, p, exported, markdown))
                  for project_id in export.included]
    start = f'<iati-activities version="{VERSION}" generated-datetime="{graph.today.isoformat()}T00:00:00Z">'
    export.xml = ('<?xml version="1.0" encoding="UTF-8"?>\n' + start + "\n  " + "\n  ".join(activities)
                  + "\n</iati-activities>\n")
    return export


def _activity_text(graph: SiteGraph, p: Project, exported: set[str], markdown: MarkdownRenderer) -> str:
    activity = _activity(graph, p, exported, markdown)
    ET.indent(activity, space="  ", level=1)
    return ET.tostring(activity, encoding="unicode")


# --- one activity ----------------------------------------------------------------------

def _activity(graph: SiteGraph, p: Project, exported: set[str], markdown: MarkdownRenderer) -> ET.Element:
    config = graph.config
    attributes = {XML_LANG: p.original_language}
    if p.funding:
        attributes["default-currency"] = p.funding.currency
    activity = ET.Element("iati-activity", attributes)
    ET.SubElement(activity, "iati-identifier").text = iati_identifier(graph, p.id)
    reporting = ET.SubElement(activity, "reporting-org", {"ref": reporting_ref(graph), "type": config.iati_reporting_org_type})
    _narratives(reporting, config.iati_reporting_org_name or config.title, config.default_language, graph)
    _narratives(ET.SubElement(activity, "title"), p.title, p.original_language, graph)
    _narratives(ET.SubElement(activity, "description", {"type": GENERAL}), p.summary, p.original_language, graph, markdown.plain)
    objectives = _joined(p.objectives)
    if objectives:
        _narratives(ET.SubElement(activity, "description", {"type": OBJECTIVES}), objectives, p.original_language, graph)
    for role, ref, org_type, name in _participants(graph, p):
        attributes = {"role": role}
        if ref:
            attributes["ref"] = ref
        if org_type:
            attributes["type"] = org_type
        _narratives(ET.SubElement(activity, "participating-org", attributes), name, p.original_language, graph)
    ET.SubElement(activity, "activity-status", {"code": IATI_STATUS[graph.status(p)]})
    for date_type, iso in _dates(graph, p):
        ET.SubElement(activity, "activity-date", {"type": date_type, "iso-date": iso})
    for code, share in _country_shares(p.countries):
        attributes = {"code": code}
        if share is not None:
            attributes["percentage"] = str(share)
        ET.SubElement(activity, "recipient-country", attributes)
    resolved = p.funding.resolved() if p.funding else None
    if resolved and resolved.total is not None and p.start_date and p.end_date:
        budget = ET.SubElement(activity, "budget", {"type": "1", "status": "1"})
        ET.SubElement(budget, "period-start", {"iso-date": p.start_date.first_day().isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": p.end_date.last_day().isoformat()})
        ET.SubElement(budget, "value", {"currency": resolved.currency,
                                        "value-date": p.start_date.first_day().isoformat()}).text = str(resolved.total)
    for rel in p.related_projects:
        if rel.relation == "part_of" and rel.project in exported:
            ET.SubElement(activity, "related-activity", {"ref": iati_identifier(graph, rel.project), "type": PARENT})
    for edge in graph.backlinks(Ref("project", p.id), "part_of"):
        if edge.source.id in exported:
            ET.SubElement(activity, "related-activity", {"ref": iati_identifier(graph, edge.source.id), "type": CHILD})
    return activity


def _participants(graph: SiteGraph, p: Project) -> list[tuple[str, str | None, str | None, LocalizedText]]:
    """(role code, IATI organisation id, organisation type code, name) of every participating organisation."""
    out = []
    funders = set()
    for partner in p.partners:
        org = graph.organisations.get(partner.organisation)
        if org is None:
            continue
        if partner.role == "funder":
            funders.add(org.id)
        out.append((IATI_ROLE[partner.role], _iati_org_id(org), ORGANISATION_TYPE.get(org.type), org.name))
    programme = graph.term("programmes", p.programme) if p.programme else None
    if programme is not None:
        funder = graph.organisations.get(getattr(programme, "funder", None) or "")
        if funder is not None:
            if funder.id not in funders:
                out.append((IATI_ROLE["funder"], _iati_org_id(funder), ORGANISATION_TYPE.get(funder.type), funder.name))
        else:
            out.append((IATI_ROLE["funder"], None, None, programme.label))
    return out


def _iati_org_id(org) -> str | None:
    for ident in org.identifiers:
        if ident.scheme.strip().lower() in ("iati", "iati-org", "iati-organisation"):
            return ident.value.strip()
    return None


def _dates(graph: SiteGraph, p: Project) -> list[tuple[str, str]]:
    today = graph.today
    status = graph.status(p)
    out = []
    if p.start_date:
        start = p.start_date.first_day()
        out.append((ACTUAL_START if start <= today else PLANNED_START, start.isoformat()))
    if p.end_date:
        end = p.end_date.last_day()
        actual = end < today and status != "suspended"
        out.append((ACTUAL_END if actual else PLANNED_END, end.isoformat()))
    return out


def _country_shares(countries: list[str]) -> list[tuple[str, Decimal | None]]:
    """Each country once, with an even share of 100 % (the last takes the rounding) when there are several."""
    unique = list(dict.fromkeys(countries))
    if len(unique) < 2:
        return [(c, None) for c in unique]
    share = (Decimal(100) / len(unique)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    shares = [share] * (len(unique) - 1)
    shares.append(Decimal(100) - sum(shares))
    return list(zip(unique, shares))


def _joined(texts: list[LocalizedText]) -> LocalizedText | None:
    """A list of localized texts as one text per language, one item per line."""
    by_lang: dict[str, list[str]] = {}
    for text in texts:
        for lang, value in text.items():
            by_lang.setdefault(lang, []).append(value)
    return LocalizedText({lang: "\n".join(values) for lang, values in by_lang.items()}) if by_lang else None


def _narratives(parent: ET.Element, text: LocalizedText, first: str, graph: SiteGraph,
                plain: Callable[[str], str] | None = None) -> None:
    """One narrative per language: `first` (the original language) first, then the site's order, then the rest;
    a Markdown text as its `plain` words."""
    order = [first] + [l for l in graph.config.languages if l != first]
    langs = [l for l in order if l in text] + sorted(l for l in text.languages if l not in order)
    for lang in langs:
        value = text.get(lang) or ""
        value = plain(value) if plain else value
        ET.SubElement(parent, "narrative", {XML_LANG: lang}).text = xml_safe(value)
