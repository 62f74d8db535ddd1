"""What each fiche page shows, as typed page contexts built from the graph seen in one language.

A page context names everything its template lays out, so what a page reads from the graph is visible in
one place. Each fact is shown as the fiche states it; what fichegen derives (a status from the dates, an
amount from a share) is marked as derived.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from ..link import Ref
from ..models import Discussion, Organisation, Project, Strategy
from ..models.funding import SourceFigures, summarize
from ..models.project import INVERSE_RELATION
from . import charts, map_views
from .views import Fact, LinkView, Section, TextView, Views

#: The order roles are shown in, on a project page and on an organisation's page.
ROLES = ("lead", "funding", "accountable", "extending", "implementing", "partner", "associated", "beneficiary")
#: The order of an organisation's groups of backlinks.
ORGANISATION_GROUPS = ROLES + ("funder", "responsible", "adopting", "monitoring", "organiser", "parent")


class PageContext:
    """A page's own values, handed to its template beside the values every page has."""

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]


@dataclass
class Participant:
    link: Any                 # LinkView (an organisation with a fiche), TextView (a name, a group), str (unnamed ones)
    roles: list[str]
    count: str = ""           # "22 organisations", for a named group


@dataclass
class FundingRow:
    """One funding source as shown: who or what pays, what the amount is, the amount and share (derived marked)."""

    label: list[Any]          # funder, programme, fund (links)
    kind: str                 # what the amount is, in words
    amount: str
    amount_derived: bool
    share: str
    share_derived: bool
    note: TextView | None = None


@dataclass
class PhaseRow:
    name: Any
    period: str
    summary: TextView | None
    budget: str
    status: Any
    link: LinkView | None
    funding: list[FundingRow] = field(default_factory=list)


@dataclass
class IndicatorRow:
    title: Any
    baseline: str
    target: str
    actual: str


@dataclass
class ResultView:
    title: Any
    level: str
    indicators: list[IndicatorRow]


@dataclass
class FicheContext(PageContext):
    fiche: Any
    ref: Ref
    title: TextView
    facts: list[Fact]
    links: list[LinkView]
    sources: list[Any]
    description: str          # the meta description: the summary's first words


@dataclass
class ProjectContext(FicheContext):
    acronym: Any
    sections: list[Section]
    participants: list[Participant]
    funding: list[FundingRow]
    phases: list[PhaseRow]
    results: list[ResultView]
    relations: list[dict]
    strategies: list[LinkView]
    milestones: list[dict]
    timeline: Any
    map: Any = None           # map_views.MapFigure: where the project takes place


@dataclass
class StrategyContext(FicheContext):
    acronym: Any
    sections: list[Section]
    priorities: list[dict]
    priorities_title: str
    objectives_title: str
    numbered: bool
    milestones: list[dict]
    results: list[ResultView]
    unassigned_projects: list[LinkView]
    monitoring: dict | None
    documents: list[LinkView]
    contributors: list[Participant]
    parts: list[LinkView]


@dataclass
class OrganisationContext(FicheContext):
    summary: TextView | None
    groups: list[dict]
    contributions: list[dict]
    programmes: list[LinkView]


@dataclass
class DiscussionContext(FicheContext):
    summary: TextView | None
    introduction: TextView | None
    rounds: list[dict]
    contributions: list[dict]


# --- projects -----------------------------------------------------------------------------

def project(v: Views, p: Project) -> ProjectContext:
    ref = Ref("project", p.id)
    t = v.loc.t
    summary = summarize(p.budget, p.funding)
    facts = []
    status = v.g.status(p)
    if status:
        facts.append(Fact(t("field.status"), [v.term("statuses", status)], derived=not p.status))
    if p.start_date or p.end:
        facts.append(Fact(t("field.period"), [v.period(p.start_date, p.end)], derived=p.end_is_derived))
    if p.duration_months:
        facts.append(Fact(t("field.duration"), [v.loc.months(p.duration_months)]))
    if summary.budget:
        label = t("field.eligible_budget") if p.budget and p.budget.kind == "eligible" else t("field.total_budget")
        facts.append(Fact(label, [v.loc.money(summary.budget.amount, summary.budget.currency, summary.budget.qualifier)],
                          summary.budget_derived))
    if p.participants_total:
        facts.append(Fact(t("field.participants_total"), [v.loc.number(p.participants_total)]))
    facts += geography_facts(v, p)
    if p.sectors:
        facts.append(Fact(t("field.sectors"), [v.term("sectors", s.code) for s in p.sector_shares]))
    if p.themes:
        facts.append(Fact(t("field.themes"), [v.term("themes", x) for x in p.themes]))
    if p.target_groups:
        facts.append(Fact(t("field.target_groups"), [v.term("target-groups", x) for x in p.target_groups]))
    for ident in p.identifiers:
        facts.append(Fact(t("field.identifier", scheme=ident.scheme), [ident.value]))
    sections = [
        Section("summary", t("field.summary"), v.text(p.summary, True)),
        Section("description", t("field.description"), v.text(p.description, True)) if p.description else None,
        Section("objectives", t("field.objectives"), items=v.texts(p.objectives)) if p.objectives else None,
        Section("activities", t("field.activities"), subsections=[
            Section(f"activity-{i + 1}", str(v.text(a.heading)), v.text(a.text, True)) for i, a in enumerate(p.activities)
        ]) if p.activities else None,
        Section("expected-results", t("field.expected_results"), items=v.texts(p.expected_results)) if p.expected_results else None,
        Section("outputs", t("field.outputs"), items=v.texts(p.outputs)) if p.outputs else None,
    ]
    return ProjectContext(
        fiche=p, ref=ref, title=v.text(p.title), facts=facts, links=v.web_links(p.links), sources=p.sources,
        description=v.plain(p.summary, 300), acronym=v.text(p.acronym) if p.acronym else None,
        sections=[s for s in sections if s], participants=participants(v, p),
        funding=[funding_row(v, s) for s in summary.sources],
        phases=[phase_row(v, ph) for ph in p.phases], results=[result_view(v, r) for r in p.results],
        relations=relations(v, p), strategies=strategy_links(v, p), milestones=milestone_views(v, p.milestones),
        timeline=charts.project_timeline(v, p), map=map_views.project_locator(v, p),
    )


def geography_facts(v: Views, p: Project) -> list[Fact]:
    t = v.loc.t
    facts = []
    if p.countries:
        facts.append(Fact(t("field.countries"), [v.shared(v.country(c.country), c.percentage) for c in p.recipient_countries]))
    if p.world_regions:
        facts.append(Fact(t("field.world_regions"), [v.shared(v.term("world-regions", r.region), r.percentage) for r in p.recipient_regions]))
    if p.regions:
        facts.append(Fact(t("field.regions"), [v.term("regions", r) for r in p.regions]))
    if p.places:
        facts.append(Fact(t("field.places"), [v.place(place) for place in p.places]))
    by_relation: dict[str, list[Any]] = {}
    for other in p.other_countries:
        by_relation.setdefault(other.relation, []).append(v.country(other.country))
    for relation, countries in by_relation.items():
        facts.append(Fact(t(f"country_relation.{relation}"), countries))
    return facts


def participants(v: Views, p: Project) -> list[Participant]:
    """Every participant once with all its roles; leads first, then by the order of ROLES, the fiche's order within.
    An organisation without a fiche shows the country the fiche gives it (six ministries of the interior differ by it)."""
    shown = []
    for x in p.participants:
        count = v.loc.t_count("project.organisations_count", x.count) if x.count and x.count > 1 and x.name else ""
        if x.organisation:
            who: Any = v.link(Ref("organisation", x.organisation))
        elif x.name:
            who = LinkView(None, v.text(x.name), v.loc.country(x.country)) if x.country else v.text(x.name)
        else:
            who = v.loc.t_count("project.unnamed_participants", x.count or 1)
        roles = sorted(x.roles, key=ROLES.index)
        shown.append((ROLES.index(roles[0]) if roles else len(ROLES), Participant(who, [v.role(r) for r in roles], count)))
    shown.sort(key=lambda entry: entry[0])
    return [participant for _, participant in shown]


def funding_row(v: Views, s: SourceFigures) -> FundingRow:
    t = v.loc.t
    label: list[Any] = []
    if s.source.funder:
        label.append(v.link(Ref("organisation", s.source.funder)))
    if s.source.programme:
        label.append(v.term("programmes", s.source.programme))
    if s.source.fund:
        label.append(v.text(v.g.term("funds", s.source.fund).label) if v.g.term("funds", s.source.fund) else s.source.fund)
    return FundingRow(label, t(f"amount_kind.{s.source.kind}"),
                      v.loc.money(s.amount, s.currency, s.source.qualifier) if s.amount is not None else "", "amount" in s.derived,
                      v.loc.percent(s.share) if s.share is not None else "", "share" in s.derived,
                      v.text(s.source.note) if s.source.note else None)


def phase_row(v: Views, ph) -> PhaseRow:
    link = v.link(Ref("project", ph.project)) if ph.project and ph.project in v.g.projects else None
    return PhaseRow(v.text(ph.name), v.period(ph.start_date, ph.end_date), v.text(ph.summary, True) if ph.summary else None,
                    v.loc.money(ph.budget.amount, ph.budget.currency, ph.budget.qualifier) if ph.budget else "",
                    v.term("statuses", ph.status) if ph.status else "", link,
                    [funding_row(v, s) for s in summarize(None, ph.funding).sources])


def result_view(v: Views, r) -> ResultView:
    def measure(value, unit):
        if value is None:
            return ""
        return v.loc.percent(value) if unit == "percentage" else v.loc.number(value)

    indicators = [IndicatorRow(v.text(i.title),
                               measure(i.baseline, i.measure) + (f" ({i.baseline_year})" if i.baseline_year and i.baseline is not None else ""),
                               measure(i.target, i.measure),
                               v.loc.qualified(measure(i.actual, i.measure), i.qualifier if i.actual is not None else None)
                               + (f" ({v.date(i.as_of)})" if i.as_of and i.actual is not None else ""))
                  for i in r.indicators]
    return ResultView(v.text(r.title), v.loc.t(f"result_level.{r.level}") if r.level else "", indicators)


def milestone_views(v: Views, milestones) -> list[dict]:
    """Dated steps in order; a step dated only by its year after the months of that year."""
    return [{"date": v.period(m.date, m.end) if m.end else v.date(m.date), "iso": str(m.date),
             "event": v.loc.t(f"milestone.{m.event}"), "label": v.text(m.label) if m.label else None}
            for m in sorted(milestones, key=lambda m: m.sort_key())]


def relations(v: Views, p: Project) -> list[dict]:
    t = v.loc.t
    ref = Ref("project", p.id)
    out = []
    for rel in p.related_projects:
        target = Ref("project", rel.project)
        known = rel.project in v.g.projects
        label = v.name(target) if known else (rel.label or rel.project)
        url = v.urls.fiche(v.lang, "project", rel.project) if known else None
        note = t("project.phase", phase=rel.phase) if rel.phase else ""
        out.append({"relation": t(f"relation.{rel.relation}"), "link": LinkView(url, label, note)})
    parts = sorted(v.g.backlinks(ref, "part_of"), key=lambda e: (e.detail or "", e.source.id))
    for edge in v.g.backlinks(ref, "follows", "followed_by", "related") + parts:
        note = t("project.phase", phase=edge.detail) if edge.relation == "part_of" and edge.detail else ""
        out.append({"relation": t(f"relation.{INVERSE_RELATION[edge.relation]}"), "link": v.link(edge.source, note)})
    return out


def strategy_links(v: Views, p: Project) -> list[LinkView]:
    out = []
    for s in p.strategies:
        if s.strategy in v.g.strategies:
            note = v.priority_title(v.g.strategies[s.strategy], s.priority) if s.priority else ""
            out.append(v.link(Ref("strategy", s.strategy), note))
    return out


# --- strategies ---------------------------------------------------------------------------

def strategy(v: Views, s: Strategy) -> StrategyContext:
    ref = Ref("strategy", s.id)
    t = v.loc.t
    contributing: dict[str | None, list[LinkView]] = {}
    for edge in v.g.backlinks(ref, "contributes_to"):
        contributing.setdefault(edge.detail, []).append(v.link(edge.source))
    priorities = []
    keys = {id(o or p): key for key, p, o in s.priority_keys()}
    for pr in s.priorities:
        objectives = [{"key": keys[id(o)], "number": o.number or "", "title": v.text(o.title), "projects": contributing.get(keys[id(o)], [])}
                      for o in pr.objectives]
        priorities.append({"key": keys[id(pr)], "number": pr.number or "", "title": v.text(pr.title), "objectives": objectives,
                           "projects": contributing.get(keys[id(pr)], [])})
    territory = [t(f"level.{s.territory.level}")] + ([v.country(s.territory.country)] if s.territory.country else [])
    territory += [v.term("world-regions", r) for r in s.territory.world_regions] + [v.term("regions", r) for r in s.territory.regions]
    territory += [v.place(place) for place in s.territory.places]
    facts = [Fact(t("field.territory"), territory)]
    if s.period.start or s.period.end:
        facts.append(Fact(t("field.period"), [v.period(s.period.start, s.period.end)]))
    if s.other_names:
        facts.append(Fact(t("field.other_names"), v.texts(s.other_names)))
    if s.part_of:
        parent = Ref("strategy", s.part_of)
        facts.append(Fact(t("field.part_of"), [v.link(parent) if s.part_of in v.g.strategies else s.part_of]))
    if s.responsible:
        facts.append(Fact(t("field.responsible"), [v.link(Ref("organisation", o)) for o in s.responsible if o in v.g.organisations]))
    if s.adopting:
        facts.append(Fact(t("field.adopting"), [v.link(Ref("organisation", o)) for o in s.adopting if o in v.g.organisations]))
    if s.adoption and (s.adoption.date or s.adoption.act):
        facts.append(Fact(t("field.adoption"), [x for x in (v.date(s.adoption.date), v.text(s.adoption.act)) if x]))
    if s.themes:
        facts.append(Fact(t("field.themes"), [v.term("themes", x) for x in s.themes]))
    if s.target_groups:
        facts.append(Fact(t("field.target_groups"), [v.term("target-groups", x) for x in s.target_groups]))
    for ident in s.identifiers:
        facts.append(Fact(t("field.identifier", scheme=ident.scheme), [ident.value]))
    monitoring = None
    if s.monitoring:
        m = s.monitoring
        organisation = v.link(Ref("organisation", m.organisation)) if m.organisation in v.g.organisations else None
        same = organisation is not None and str(organisation.label).casefold() == str(v.text(m.body)).casefold()
        monitoring = {"body": organisation if same else v.text(m.body), "legal_basis": v.text(m.legal_basis),
                      "organisation": None if same else organisation}
    sections = [Section("summary", t("field.summary"), v.text(s.summary, True)),
                Section("description", t("field.description"), v.text(s.description, True)) if s.description else None,
                Section("development-process", t("field.development_process"), v.text(s.development_process, True)) if s.development_process else None]
    level_name = s.level_names.priorities if s.level_names and s.level_names.priorities else None
    milestones = milestone_views(v, s.milestones)
    return StrategyContext(
        fiche=s, ref=ref, title=v.text(s.title), facts=facts, links=v.web_links(s.links), sources=s.sources,
        description=v.plain(s.summary, 300), acronym=v.text(s.acronym) if s.acronym else None,
        sections=[x for x in sections if x], priorities=priorities,
        priorities_title=str(v.text(level_name)) if level_name else t("field.priorities"),
        objectives_title=str(v.text(s.level_names.objectives)) if s.level_names and s.level_names.objectives else "",
        numbered=s.numbered,
        milestones=milestones, results=[result_view(v, r) for r in s.results],
        unassigned_projects=contributing.get(None, []), monitoring=monitoring, documents=v.web_links(s.documents),
        contributors=contributors(v, s), parts=[v.link(e.source) for e in v.g.backlinks(ref, "part_of") if e.source.kind == "strategy"],
    )


def contributors(v: Views, s: Strategy) -> list[Participant]:
    out = []
    for c in s.contributors:
        if c.organisation:
            who: Any = v.link(Ref("organisation", c.organisation))
        elif c.name:
            who = v.text(c.name)
        else:
            who = v.loc.t_count("project.unnamed_participants", c.count or 1)
        roles = [v.loc.t(f"contributor_role.{r}") for r in c.roles]
        if c.note:
            roles.append(str(v.text(c.note)))
        count = v.loc.t_count("project.organisations_count", c.count) if c.count and c.count > 1 and c.name else ""
        out.append(Participant(who, roles, count))
    return out


# --- organisations ------------------------------------------------------------------------

def organisation(v: Views, o: Organisation) -> OrganisationContext:
    ref = Ref("organisation", o.id)
    t = v.loc.t
    facts = [Fact(t("field.organisation_type"), [v.term("organisation-types", o.type)])]
    if o.acronym:
        facts.append(Fact(t("field.acronym"), [v.acronyms(o)]))
    if o.other_names:
        facts.append(Fact(t("field.other_names"), v.texts(o.other_names)))
    if o.country:
        facts.append(Fact(t("field.country"), [v.country(o.country)]))
    if o.city:
        facts.append(Fact(t("field.city"), [o.city]))
    if o.parent and o.parent in v.g.organisations:
        facts.append(Fact(t("field.parent"), [v.link(Ref("organisation", o.parent))]))
    if o.website:
        facts.append(Fact(t("field.website"), [LinkView(o.website, o.website)]))
    for ident in o.identifiers:
        facts.append(Fact(t("field.identifier", scheme=ident.scheme), [ident.value]))
    by_relation: dict[str, list[Ref]] = {}
    programmes = []
    for e in v.g.backlinks(ref):
        if e.source.kind == "programmes":
            programmes.append(v.term("programmes", e.source.id))
        elif e.source.kind in ("project", "strategy", "discussion", "organisation") and e.relation in ORGANISATION_GROUPS:
            members = by_relation.setdefault(e.relation, [])
            if e.source not in members:
                members.append(e.source)
    groups = [{"id": relation, "title": t(f"backlink.{relation}"), "cards": v.cards(by_relation[relation])}
              for relation in ORGANISATION_GROUPS if by_relation.get(relation)]
    contributions = []
    for e in v.g.backlinks(ref, "contributor"):
        d = v.g.discussions[e.source.id]
        position = int(e.detail or 0)
        c = d.contributions[position]
        contributions.append({"discussion": v.link(e.source), "author": c.author, "anchor": f"contribution-{position + 1}",
                              "url": v.urls.fiche(v.lang, "discussion", d.id) + f"#contribution-{position + 1}"})
    return OrganisationContext(
        fiche=o, ref=ref, title=v.text(o.name), facts=facts, links=v.web_links(o.links), sources=o.sources,
        description=v.plain(o.summary, 300) if o.summary else v.plain(o.name), summary=v.text(o.summary, True),
        groups=groups, contributions=contributions, programmes=programmes,
    )


# --- discussions --------------------------------------------------------------------------

def discussion(v: Views, d: Discussion) -> DiscussionContext:
    ref = Ref("discussion", d.id)
    t = v.loc.t
    facts = [Fact(t("field.period"), [v.period(d.period.start, d.period.end)])]
    if d.organisers:
        facts.append(Fact(t("field.organisers"), [v.link(Ref("organisation", o)) for o in d.organisers if o in v.g.organisations]))
    if d.languages:
        facts.append(Fact(t("field.languages"), [v.loc.language(x) for x in d.languages]))
    if d.themes:
        facts.append(Fact(t("field.themes"), [v.term("themes", x) for x in d.themes]))
    facts.append(Fact(t("field.contributions"), [v.loc.number(len(d.contributions))]))
    rounds = [{"number": r.number, "label": v.text(r.label), "id": f"round-{r.number}",
               "questions": [{"number": i + 1, "text": v.text(q), "id": f"round-{r.number}-question-{i + 1}"}
                             for i, q in enumerate(r.questions)]} for r in d.rounds]
    contributions = []
    for i, c in enumerate(d.contributions):
        who: list[Any] = []
        if c.organisation and c.organisation in v.g.organisations:
            who.append(v.link(Ref("organisation", c.organisation)))
        elif c.affiliation:
            who.append(c.affiliation)
        if c.country:
            who.append(v.country(c.country))
        answers = [LinkView(f"#round-{c.round}-question-{q}", t("discussion.question_ref", round=c.round, question=q))
                   for q in c.questions] if c.round else []
        contributions.append({"id": f"contribution-{i + 1}", "number": i + 1, "author": c.author or t("discussion.anonymous"),
                              "who": who, "language": v.loc.language(c.language), "lang": c.language,
                              "round": t("discussion.round_ref", round=c.round) if c.round else "",
                              "round_url": f"#round-{c.round}" if c.round else "", "answers": answers,
                              "date": v.loc.full_date(c.date) if c.date else "", "text": v.own_language_text(c.text, c.language)})
    return DiscussionContext(
        fiche=d, ref=ref, title=v.text(d.title), facts=facts, links=v.web_links(d.links), sources=d.sources,
        description=v.plain(d.summary, 300), summary=v.text(d.summary, True), introduction=v.text(d.introduction, True),
        rounds=rounds, contributions=contributions,
    )


BUILDERS = {"project": project, "strategy": strategy, "organisation": organisation, "discussion": discussion}
