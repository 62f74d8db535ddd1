"""schema.org JSON-LD for a fiche page, as search engines and linked-data tools read it.

Project → Project (a schema.org Organization: funder, member, areaServed, funding); Organisation →
Organization, GovernmentOrganization, NGO… by its type; Strategy → CreativeWork (about, temporalCoverage,
spatialCoverage, publisher); Discussion → DiscussionForumPosting with its contributions as Comments.
Texts are those the page shows; one taken from another language says so ({"@value", "@language"}).
The page itself, with its language, is `mainEntityOfPage`.

The JSON goes inside a <script> element: <, > and & are written as \\u003c, \\u003e and \\u0026, so no
text from a fiche can close the element or start markup.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..link import Ref
from ..models import Discussion, LocalizedText, Organisation, Project, Strategy
from ..models.common import FuzzyDate
from .views import TextView, Views

CONTEXT = "https://schema.org"
#: schema.org types for the showcase's organisation-types vocabulary; other terms are plain Organizations.
ORGANISATION_TYPE: dict[str, str] = {
    "ministry": "GovernmentOrganization", "directorate": "GovernmentOrganization",
    "public-agency": "GovernmentOrganization", "public-employment-service": "GovernmentOrganization",
    "regional-government": "GovernmentOrganization", "eu-institution": "GovernmentOrganization",
    "ngo": "NGO", "higher-education": "CollegeOrUniversity", "research-institute": "ResearchOrganization",
    "training-centre": "EducationalOrganization",
}
SCRIPT_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def fiche_jsonld(views: Views, ref: Ref) -> Markup:
    """The JSON-LD of a fiche's page in the views' language, safe to place inside <script>."""
    return script_json(fiche_graph(views, ref))


def script_json(data: Any) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, escaped in SCRIPT_SAFE.items():
        text = text.replace(char, escaped)
    return Markup(text)


def fiche_graph(views: Views, ref: Ref) -> dict:
    builder = _JsonLd(views)
    node = getattr(builder, ref.kind)(views.g.get(ref))
    node["mainEntityOfPage"] = {"@type": "WebPage", "@id": builder.page(ref), "inLanguage": views.lang}
    return {"@context": CONTEXT, **_pruned(node)}


def _pruned(value: Any) -> Any:
    """Without empty values: schema.org readers treat a missing property and an empty one alike."""
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_pruned(x) for x in value) if v not in (None, "", [], {})]
    return value


class _JsonLd:
    def __init__(self, views: Views):
        self.v = views
        self.g = views.g
        self.base = views.g.config.base_url.rstrip("/")

    # --- values --------------------------------------------------------------------
    def page(self, ref: Ref, lang: str | None = None) -> str:
        return self.base + self.v.urls.fiche(lang or self.v.lang, ref.kind, ref.id)

    def node_id(self, ref: Ref) -> str:
        """One identity per fiche whatever the page's language: its default-language page and its kind."""
        return self.page(ref, self.g.config.default_language) + "#" + ref.kind

    def text(self, value: LocalizedText | TextView | None) -> Any:
        shown = value if isinstance(value, TextView) or value is None else self.v.text(value)
        if shown is None:
            return None
        return {"@value": str(shown), "@language": shown.lang} if shown.fallback or shown.foreign else str(shown)

    def prose(self, value: LocalizedText | None) -> Any:
        """A Markdown text as plain words, in the language the page shows it in."""
        shown = self.v.loc.pick(value)
        if shown is None:
            return None
        words = self.v.markdown.plain(shown.text)
        return {"@value": words, "@language": shown.lang} if shown.fallback else words

    def date(self, value: FuzzyDate | None) -> str | None:
        return str(value) if value else None

    def interval(self, start: FuzzyDate | None, end: FuzzyDate | None) -> str | None:
        if not start and not end:
            return None
        return f"{start or '..'}/{end or '..'}"

    def country(self, code: str) -> dict:
        return {"@type": "Country", "name": self.v.loc.country(code), "identifier": code}

    def term(self, vocabulary: str, term_id: str, node_type: str = "DefinedTerm") -> dict:
        term = self.g.term(vocabulary, term_id)
        return {"@type": node_type, "name": self.text(term.label) if term else term_id, "termCode": term_id}

    def identifiers(self, fiche) -> list[dict]:
        return [{"@type": "PropertyValue", "propertyID": i.scheme, "value": i.value} for i in getattr(fiche, "identifiers", [])]

    def organisation_ref(self, org_id: str | None) -> dict | None:
        """A short node for an organisation mentioned on another fiche's page."""
        org = self.g.organisations.get(org_id or "")
        if org is None:
            return None
        ref = Ref("organisation", org.id)
        return {"@type": ORGANISATION_TYPE.get(org.type, "Organization"), "@id": self.node_id(ref),
                "name": self.text(org.name), "url": self.page(ref)}

    def organisations(self, ids) -> list[dict]:
        nodes, seen = [], set()
        for org_id in ids:
            node = self.organisation_ref(org_id)
            if node and node["@id"] not in seen:
                seen.add(node["@id"])
                nodes.append(node)
        return nodes

    # --- one node per kind -----------------------------------------------------------
    def project(self, p: Project) -> dict:
        """The project's organisations by role, its areas, and each stated contribution as a MonetaryGrant."""
        ref = Ref("project", p.id)
        funder_ids = [x.organisation for x in p.participants if "funding" in x.roles]
        grants = []
        for f in p.funding:
            programme = self.g.term("programmes", f.programme) if f.programme else None
            funder = f.funder or getattr(programme, "funder", None)
            if funder:
                funder_ids.append(funder)
            if f.kind != "contribution":
                continue
            grants.append({"@type": "MonetaryGrant", "name": self.text(programme.label) if programme else None,
                           "amount": {"@type": "MonetaryAmount", "currency": f.currency or (p.budget.currency if p.budget else None),
                                      "value": float(f.amount)} if f.amount is not None else None,
                           "funder": self.organisations([funder]) if funder else None})
        return {
            "@type": "Project", "@id": self.node_id(ref), "url": self.page(ref),
            "name": self.text(p.title), "alternateName": self.text(p.acronym), "description": self.prose(p.summary),
            "startDate": self.date(p.start_date), "endDate": self.date(p.end_date),
            "funder": self.organisations(funder_ids),
            "member": self.organisations(x.organisation for x in p.participants
                                         if x.organisation and set(x.roles) - {"funding", "beneficiary"}),
            "areaServed": [self.country(c) for c in p.country_codes]
                          + [{"@type": "Place", "name": str(self.v.term_label("world-regions", r.region))} for r in p.recipient_regions]
                          + [{"@type": "Place", "name": self.text(place.name)} for place in p.places],
            "funding": grants,
            "keywords": [self.term("themes", t) for t in p.themes],
            "identifier": self.identifiers(p),
            "sameAs": [link.url for link in p.links if link.kind in ("website", "record")],
            "subjectOf": [{"@type": "CreativeWork", "url": link.url, "name": self.text(link.label)}
                          for link in p.links if link.kind not in ("website", "record")],
        }

    def organisation(self, o: Organisation) -> dict:
        ref = Ref("organisation", o.id)
        address = {"@type": "PostalAddress", "addressCountry": o.country, "addressLocality": o.city} if o.country or o.city else None
        return {
            "@type": ORGANISATION_TYPE.get(o.type, "Organization"), "@id": self.node_id(ref),
            "url": o.website or self.page(ref), "name": self.text(o.name),
            "alternateName": o.acronyms() + [str(self.text(n)) for n in o.other_names],
            "description": self.prose(o.summary), "address": address,
            "parentOrganization": self.organisation_ref(o.parent),
            "identifier": self.identifiers(o),
            "sameAs": [link.url for link in o.links] + ([self.page(ref)] if o.website else []),
        }

    def strategy(self, s: Strategy) -> dict:
        ref = Ref("strategy", s.id)
        places = [self.country(s.territory.country)] + [self.term("regions", r, "AdministrativeArea") for r in s.territory.regions]
        places += [{"@type": "Place", "name": self.text(place.name)} for place in s.territory.places]
        return {
            "@type": "CreativeWork", "@id": self.node_id(ref), "url": self.page(ref),
            "name": self.text(s.title), "alternateName": self.text(s.acronym), "description": self.prose(s.summary),
            "inLanguage": s.original_language,
            "about": [self.term("themes", t) for t in s.themes],
            "audience": [{"@type": "Audience", "audienceType": self.text(self.g.term("target-groups", t).label)
                          if self.g.term("target-groups", t) else t} for t in s.target_groups],
            "temporalCoverage": self.interval(s.period.start, s.period.end),
            "spatialCoverage": places,
            "publisher": self.organisations(s.adopting or s.responsible),
            "creator": self.organisations(s.responsible),
            "datePublished": self.date(s.adoption.date) if s.adoption else None,
            "identifier": self.identifiers(s),
            "associatedMedia": [{"@type": "MediaObject", "contentUrl": d.url, "name": self.text(d.label)} for d in s.documents],
            "sameAs": [link.url for link in s.links if link.kind in ("website", "record")],
        }

    def discussion(self, d: Discussion) -> dict:
        ref = Ref("discussion", d.id)
        comments = []
        for i, c in enumerate(d.contributions):
            org = self.organisation_ref(c.organisation)
            if c.author:
                author = {"@type": "Person", "name": c.author,
                          "affiliation": org or ({"@type": "Organization", "name": c.affiliation} if c.affiliation else None)}
            else:
                author = org
            comments.append({"@type": "Comment", "url": f"{self.page(ref)}#contribution-{i + 1}", "author": author,
                             "inLanguage": c.language, "text": self.v.markdown.plain(c.text),
                             "dateCreated": c.date.isoformat() if c.date else None})
        return {
            "@type": "DiscussionForumPosting", "@id": self.node_id(ref), "url": self.page(ref),
            "headline": self.text(d.title), "name": self.text(d.title), "text": self.prose(d.summary),
            "author": self.organisations(d.organisers),
            "datePublished": self.date(d.period.start),
            "temporalCoverage": self.interval(d.period.start, d.period.end),
            "inLanguage": d.languages or [d.original_language],
            "about": [self.term("themes", t) for t in d.themes],
            "commentCount": len(d.contributions),
            "comment": comments,
            "sameAs": [link.url for link in d.links if link.kind in ("website", "record")],
        }
