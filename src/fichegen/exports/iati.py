"""data/iati-activities.xml: the projects as IATI Activity Standard 2.03 activities that pass both the IATI
schema and the IATI Standard's rules (the ones the IATI Validator applies), saying only what the fiches say.

An IATI element that needs a fact the fiche does not state is left out, never filled in; where IATI then cannot
take the project at all, the project is left out of the file. `IatiExport` lists both, with reason codes
(exports/iati_facts.py LEFT_OUT and PARTIAL), for the download page; the handbook (handbook/docs/publishing.md) says
the same to editors. What goes where, and the decisions behind it:

- iati-identifier `<iati_reporting_org_ref>-<project id>`; the reporting org from fichegen.toml. While the ref
  is unset, the placeholder XX-FICHEGEN-NOT-SET is used: the file is valid but must not be registered (the
  Validator warns that it does not start with a registration agency's code).
- title, description: a narrative per language the text is written in, with its xml:lang, the original first;
  a name the same in every language is one narrative, in the project's original language. Descriptions:
  general (summary, then description, as plain text), objectives, target groups (the target groups, and the
  organisations with the role beneficiary, which IATI has no participating role for), other (the budget, the
  phases and every funding source in words, in the site's languages: IATI's budgets and transactions can hold
  only part of them, see below).
- participating-org: each organisation once per IATI role it has (funding, accountable, extending,
  implementing; lead is accountable, partner implementing), with its IATI organisation identifier when its fiche
  has one (identifier scheme `iati`) and its OrganisationType when its type maps (ORGANISATION_TYPE); each
  funding source's funder as funding. A participant without a fiche is a narrative-only participating-org: its
  name, or "12 organisations the source does not name". A programme's funder is not made the project's funder
  (the programme's `funder` may be its managing body); programmes and funds are named in the other description.
  Associated partners have no IATI role and are not in the file (reason `associated`).
- activity-status: the stated status, else the one the dates give on the build date. activity-date: a start in
  the past is the actual start once the status says the project started (ongoing, closed, suspended), else the
  planned one; an end in the past is actual only for a closed project; an end derived from a duration is planned.
  IATI's iso-date is a day: a year or a month stands for its first day (a start) or its last day (an end), and
  the date carries a narrative saying the source gives only the year or the month, or that the end is derived
  from the duration (the IATI schema's advice for "less specific dates"). A project without a start date is left
  out (IATI requires one: `start-date`).
- recipient-country: the project's `countries` only (never `other_countries`), with a percentage only when the
  fiche states one. recipient-region: UN M49 codes with vocabulary 2, IATI regions (`iati-NNN`) with vocabulary 1,
  a world-regions term through its `iati_region` (vocabulary 1); a term without one cannot be a recipient region
  (`region`). Several recipients need each one's percentage, adding up to 100 (per region vocabulary, with the
  countries): without them the project is left out (`recipient-shares`), as it is with no recipient (`recipient`).
- sector: the fiche's OECD DAC purpose codes (vocabulary 1); required (`sector`); several need stated
  percentages adding up to 100 (`sector-shares`).
- location: every place, with its gazetteer id (GeoNames G1, OpenStreetMap G2, GAUL A1), its name, its country
  (administrative, vocabulary A4) and its coordinates as a WGS 84 point.
- budget: IATI budgets cover at most 12 months between two exact days: the project's total budget when its start
  and end are stated to the day and at most a year apart, else each phase's budget on the same terms; value-date
  (which IATI requires, for currency conversion) is the period's first day. Any other budget (a total over
  several years, a month- or year-precise period, eligible costs) is described in words only (`budget`).
  default-currency: the budget's currency; every value also names its own.
- transaction: none. A funding source's amount would be an incoming commitment (TransactionType 11: contribution,
  allocated) or incoming funds (1: disbursed), but IATI requires each transaction's date and value-date, and
  fiches give no date for their funding sources: the amounts are described in words with their funder, and the
  funder is a funding participating-org (`funding`). An amount of kind unspecified is never a budget or a
  commitment.
- related-activity: parent (a `part_of` relation, or the project whose phase this is) and child (the projects that
  are part of it, its phases with their own fiche), when that project is in the file too. IATI has no type for
  follows, followed by or related (`relation`).
- result: a result with a level (output 1, outcome 2, impact 3) and at least one indicator (IATI requires both:
  `result`); indicator measure unit (1) or percentage (2); baseline with its year (required by IATI); a target
  for the project's period, an actual value from the project's start to its `as_of` day (or to the end of a
  closed project) - only with periods stated to the day (`indicator`).
- Not in the file (no IATI element fits them): activities, expected results, outputs, themes, sub-national
  regions, strategies, links and identifiers of other systems.

When no project qualifies there is no file, since an IATI file must hold at least one activity.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Mapping

from ..i18n import Localizer
from ..link import Ref, SiteGraph
from .iati_facts import LEFT_OUT, PARTIAL, ProjectFacts, project_facts
from .iati_xml import activity_element
from ..render.markup import MarkdownRenderer
from .pieces import Pieces, make_piece

VERSION = "2.03"
PLACEHOLDER_REF = "XX-FICHEGEN-NOT-SET"
#: IATI OrganisationType codes of the organisation-types terms that have one; other terms give no type.
ORGANISATION_TYPE: dict[str, str] = {
    "ministry": "10", "directorate": "10", "public-agency": "10", "public-employment-service": "10",
    "regional-government": "11", "international-organisation": "40", "international-programme": "40",
    "eu-institution": "40", "higher-education": "80", "research-institute": "80", "training-centre": "80",
    "consultancy": "70",
}


@dataclass
class IatiExport:
    """The file's text (None when no project qualifies), the projects in it, the projects left out and the facts
    left out of exported projects, each with its reason codes (iati_facts.LEFT_OUT, iati_facts.PARTIAL)."""

    xml: str | None
    included: list[str] = field(default_factory=list)
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)
    partial: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def left_out_by_reason(self) -> dict[str, list[str]]:
        """reason → the projects left out for it, reasons in the order of iati_facts.LEFT_OUT."""
        return _by_reason(self.left_out, LEFT_OUT)

    def partial_by_reason(self) -> dict[str, list[str]]:
        """reason → the exported projects whose activity lacks facts for it, in the order of iati_facts.PARTIAL."""
        return _by_reason(self.partial, PARTIAL)


def _by_reason(reasons: dict[str, tuple[str, ...]], order: tuple[str, ...]) -> dict[str, list[str]]:
    return {reason: ids for reason in order if (ids := [p for p, found in reasons.items() if reason in found])}


def reporting_ref(graph: SiteGraph) -> str:
    return graph.config.iati_reporting_org_ref or PLACEHOLDER_REF


def iati_activities(graph: SiteGraph, localizers: Mapping[str, Localizer], pieces: Pieces | None = None,
                    markdown: MarkdownRenderer | None = None) -> IatiExport:
    """The file, laid out as ElementTree indents it; each activity is serialized on its own, so that an
    incremental build (`pieces`) serializes only the projects that changed. `localizers`: one per site language,
    for what the file says in fichegen's own words; `markdown`: the build's renderer, shared with the pages."""
    export = IatiExport(None)
    markdown = markdown or MarkdownRenderer()
    facts: dict[str, ProjectFacts] = {}
    for project_id in sorted(graph.projects):
        found = project_facts(graph, graph.projects[project_id], ORGANISATION_TYPE)
        if found.left_out:
            export.left_out[project_id] = found.left_out
            continue
        export.included.append(project_id)
        facts[project_id] = found
        if found.partial:
            export.partial[project_id] = found.partial
    if not export.included:
        return export
    exported = set(export.included)
    ref = reporting_ref(graph)
    # Which projects are exported shows in related-activity elements: it is part of every activity's signature.
    exported_digest = hashlib.blake2b("\n".join(export.included).encode(), digest_size=8).hexdigest()

    def text(project_id: str) -> str:
        activity = activity_element(graph, graph.projects[project_id], facts[project_id], ref, exported, localizers, markdown)
        ET.indent(activity, space="  ", level=1)
        return ET.tostring(activity, encoding="unicode")

    activities = [make_piece(pieces, "iati", Ref("project", project_id), exported_digest, lambda i=project_id: text(i))
                  for project_id in export.included]
    start = f'<iati-activities version="{VERSION}" generated-datetime="{graph.today.isoformat()}T00:00:00Z">'
    export.xml = ('<?xml version="1.0" encoding="UTF-8"?>\n' + start + "\n  " + "\n  ".join(activities)
                  + "\n</iati-activities>\n")
    return export
