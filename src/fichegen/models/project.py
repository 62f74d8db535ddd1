"""A project: an action with participating organisations, dates, money, places and results, as the field
records it. IATI Activity Standard 2.03 is the map of concepts (roles, funding, recipient countries and
regions, sectors, status, results, related activities), under names an editor reads without the standard."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Iterator, Literal

from pydantic import Field, StringConstraints

from .common import (CountryCode, FicheBase, FuzzyDate, Identifier, Link, LocalizedMarkdown, LocalizedName, LocalizedText,
                     Money, Number, Problem, Strict, by_shape, fiche_id, items, repeats, term_id)
from .funding import Budget, FundingSource, funding_problems
from .milestones import Milestone, milestone_problems
from .geography import OtherCountry, Percentage, Place, RecipientCountry, RecipientRegion, WorldRegionId
from .references import Reference, as_relation
from .results import Result

#: What an organisation does in a project: IATI's four roles, then the ones editors need beside them.
Role = Literal["funding", "accountable", "extending", "implementing", "lead", "partner", "associated", "beneficiary"]
Relation = Literal["follows", "followed_by", "part_of", "related"]
Status = Literal["planned", "ongoing", "closed", "cancelled", "suspended"]

#: The inverse of each relation, for backlinks shown on the other project's page.
INVERSE_RELATION: dict[str, str] = {"follows": "followed_by", "followed_by": "follows", "part_of": "has_part", "related": "related"}
#: IATI 2.03 OrganisationRole codes. associated and beneficiary have none: they are not exported as participating-org.
IATI_ROLE: dict[str, str] = {"funding": "1", "accountable": "2", "extending": "3", "implementing": "4", "lead": "2", "partner": "4"}
#: IATI 2.03 ActivityStatus codes.
IATI_STATUS: dict[str, str] = {"planned": "1", "ongoing": "2", "closed": "4", "cancelled": "5", "suspended": "6"}
#: A DAC 5 purpose code of the OECD (IATI's Sector codelist, vocabulary 1), checked against the codelist by the linker.
SectorCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$"), Reference("sectors"), Field(examples=["15190"])]


class Participant(Strict):
    """An organisation taking part, with every role it has (an organisation listed once, whatever its roles).

    Name it by its fiche (`organisation`), or by `name` when it has no fiche; `count` stands for several
    organisations at once ("12 municipalities"), with or without a name."""

    organisation: fiche_id("organisation", relations_from="roles") | None = None
    """The id of the organisation's fiche (content/organisations/ID.yaml)."""
    name: LocalizedName | None = None
    """The organisation's (or the group's) name, when it has no fiche: "12 municipalities", "key government offices"."""
    count: Annotated[int, Field(ge=1, le=100_000)] | None = None
    """How many organisations this entry stands for, when it is more than one or they are not named."""
    roles: items(Role, 8, unique=True)
    """What it does: funding, accountable, extending, implementing (IATI's roles); lead (the lead partner or coordinator), partner, associated (an associated partner without budget), beneficiary (an organisation the project supports)."""
    country: as_relation(CountryCode, "participants") | None = None
    """The country it comes from, when it has no fiche that says so."""


class SectorShare(Strict):
    """A sector with the share of the project it gets, as stated."""

    code: as_relation(SectorCode, "sectors")
    """The OECD DAC purpose code (IATI Sector codelist), e.g. 15190."""
    percentage: Percentage | None = None
    """Its share of the project, in percent, only when the source states it."""


class Phase(Strict):
    """A phase of the project with its own period and budget (Swiss projects, for one, are recorded by phase)."""

    name: LocalizedName
    """What the source calls it, e.g. "Phase 2"."""
    summary: LocalizedMarkdown | None = None
    """What the phase does, when the source describes it apart."""
    start_date: FuzzyDate | None = None
    """When the phase started."""
    end_date: FuzzyDate | None = None
    """When it ended or will end."""
    budget: Money | None = None
    """The phase's own budget."""
    funding: items(FundingSource, 20) = []
    """Where the phase's money comes from, as stated (a funder's budget for the phase, what it has allocated so far)."""
    status: Status | None = None
    """The phase's status, when the source gives it."""
    project: fiche_id("project", relation="phase") | None = None
    """The phase's own project fiche, when it has one."""


class Activity(Strict):
    """A work package or line of action."""

    heading: LocalizedText
    """Short name of the activity."""
    text: LocalizedMarkdown | None = None
    """What is done, in Markdown."""


class RelatedProject(Strict):
    """Another project this one is linked to."""

    relation: Relation
    """follows: this project continues the other; followed_by; part_of: this project is part (a phase, a component) of the other; related."""
    project: fiche_id("project", relations_from="relation", detail_from="phase", may_be_missing=True)
    """The other project's id. It may have no fiche yet: it is then shown without a link (with a warning)."""
    phase: Number | None = None
    """With part_of: the number of the phase this project is, e.g. "2"."""
    label: str | None = None
    """How to name the other project while it has no fiche, e.g. its acronym."""


class StrategyLink(Strict):
    """A strategy the project contributes to."""

    strategy: fiche_id("strategy", relation="contributes_to", detail_from="priority")
    """The strategy's id."""
    priority: Number | None = None
    """The number of the priority or objective it serves, e.g. "2" or "2.1" (for a strategy whose priorities are not numbered: their position, 1 for the first)."""


class Project(FicheBase):
    """A project fiche: content/projects/ID.yaml."""

    acronym: LocalizedName | None = None
    """The project's short name, e.g. MIGRAVALUE; one per language when it differs."""
    title: LocalizedName
    """Full title, in the original language and as many others as available; one plain text when it is a name the same in every language."""
    summary: LocalizedMarkdown
    """Two or three sentences saying what the project does; shown in lists and search results."""
    description: LocalizedMarkdown | None = None
    """The longer description, in Markdown."""
    start_date: FuzzyDate | None = None
    """When the project started (YYYY, YYYY-MM or YYYY-MM-DD), as precisely as the source says."""
    end_date: FuzzyDate | None = None
    """When the project ended or will end."""
    duration_months: Annotated[int, Field(ge=1, le=600)] | None = None
    """The length the source gives, in months ("24 months", "36 mois"). Without an end date, the end shown is derived from the start (when the start's month is known) and marked as such."""
    status: Status | None = None
    """The status the source states (planned, ongoing, closed, cancelled, suspended); it wins over the one derived from the dates, with a warning when the two disagree. Leave out to derive it from the dates."""
    budget: Budget | None = None
    """What the whole project costs, as stated."""
    funding: items(FundingSource, 50) = []
    """Where the money comes from, one source per item, each as stated."""
    phases: items(Phase, 20) = []
    """The project's phases, each with its own period and budget."""
    participants: items(Participant, 500, unique="organisation",
                        hint="list the organisation once, with all its roles: roles: [lead, implementing]") = []
    """The organisations taking part, each once with all its roles; groups and unnamed ones with a count."""
    participants_total: Annotated[int, Field(ge=1, le=100_000)] | None = None
    """How many organisations take part in all, named or not, when the source gives the number ("per un totale di 17 partner")."""
    countries: items(by_shape(CountryCode, RecipientCountry), 250, unique=True) = []
    """Countries the project works in (IATI recipient countries): a code (CV), or with a stated share: {country: CV, percentage: 60}."""
    world_regions: items(by_shape(WorldRegionId, RecipientRegion), 50, unique=True) = []
    """Supranational regions the project works in, when the source names a region rather than (or beside) countries."""
    other_countries: items(OtherCountry, 250, unique=True) = []
    """Countries the project involves without working in them: where partners or experts come from, where a diaspora lives…"""
    regions: items(term_id("regions"), 100, unique=True) = []
    """Sub-national regions, terms of content/vocabularies/regions.yaml (ISO 3166-2 or NUTS codes)."""
    places: items(Place, 200) = []
    """Cities and other places below a region."""
    sectors: items(by_shape(SectorCode, SectorShare), 30, unique=True) = []
    """OECD DAC purpose codes (IATI sectors): 15190 (facilitation of orderly, safe, regular and responsible migration and mobility), 15136 (immigration)…"""
    themes: items(term_id("themes"), 30, unique=True) = []
    """Themes, terms of content/vocabularies/themes.yaml."""
    target_groups: items(term_id("target-groups"), 30, unique=True) = []
    """Who the project is for, terms of content/vocabularies/target-groups.yaml."""
    objectives: items(LocalizedText, 50) = []
    """The project's objectives, one per item."""
    activities: items(Activity, 50) = []
    """Main activities."""
    expected_results: items(LocalizedText, 50) = []
    """Results the project expects, one per item."""
    results: items(Result, 50) = []
    """Results the project achieved, with their figures."""
    outputs: items(LocalizedText, 100) = []
    """Concrete products: reports, tools, events."""
    identifiers: items(Identifier, 20) = []
    """Codes in other systems: grant agreement number, keep.eu id, IATI identifier…"""
    related_projects: items(RelatedProject, 50, unique="project") = []
    """Projects this one follows, is followed by, is part of, or is related to."""
    strategies: items(StrategyLink, 20) = []
    """Strategies the project contributes to, with the priority it serves."""
    milestones: items(Milestone, 50) = []
    """Dated steps: the launch, a workshop, a review, an evaluation…"""
    links: items(Link, 50) = []
    """Web pages: the project's site, records in other databases, documents."""

    def listed_date(self) -> str:
        return str(self.start_date or "")

    @property
    def end(self) -> FuzzyDate | None:
        """The end date as stated, or derived from the start's month and the duration (see `end_is_derived`); a
        start known only to the year gives no end: its month would be invented."""
        if self.end_date or not (self.start_date and self.duration_months) or self.start_date.month is None:
            return self.end_date
        return self.start_date.plus_months(self.duration_months)

    @property
    def end_is_derived(self) -> bool:
        return self.end_date is None and self.end is not None

    def derived_status(self, today: date) -> Status | None:
        """The status the dates imply on `today`."""
        end = self.end
        if self.start_date and self.start_date.first_day() > today:
            return "planned"
        if end and end.last_day() < today:
            return "closed"
        if self.start_date:
            return "ongoing"
        return None

    def status_on(self, today: date) -> Status | None:
        """The status on `today`: the stated one if any, else derived from the dates."""
        return self.status or self.derived_status(today)

    @property
    def name(self) -> LocalizedText:
        return self.title

    @property
    def recipient_countries(self) -> list[RecipientCountry]:
        return [c if isinstance(c, RecipientCountry) else RecipientCountry(country=c) for c in self.countries]

    @property
    def country_codes(self) -> list[str]:
        return [c.country for c in self.recipient_countries]

    @property
    def recipient_regions(self) -> list[RecipientRegion]:
        return [r if isinstance(r, RecipientRegion) else RecipientRegion(region=r) for r in self.world_regions]

    @property
    def sector_shares(self) -> list[SectorShare]:
        return [s if isinstance(s, SectorShare) else SectorShare(code=s) for s in self.sectors]

    def problems(self) -> Iterator[Problem]:
        yield from super().problems()
        yield from self.check_original_language({"title": self.title, "summary": self.summary})
        if self.start_date and self.end_date and self.end_date.last_day() < self.start_date.first_day():
            yield Problem(("end_date",), "end-before-start", f"the end date ({self.end_date}) is before the start date ({self.start_date})",
                          "swap the two dates or correct the end date")
        if self.duration_months and self.start_date and self.end_date and self.start_date.month and self.end_date.month:
            months = (self.end_date.year - self.start_date.year) * 12 + self.end_date.month - self.start_date.month + 1
            if abs(months - self.duration_months) > 1:
                yield Problem(("duration_months",), "dates-disagree",
                              f"the dates span {months} months, the duration says {self.duration_months}",
                              "check both against the source; keep both if the source states both")
        if self.participants_total is not None:
            named = sum(x.count or 1 for x in self.participants)
            if self.participants_total < named:
                yield Problem(("participants_total",), "invalid-value",
                              f"participants_total ({self.participants_total}) is smaller than the {named} organisations listed",
                              "give the number of organisations in all, named and unnamed")
        yield from milestone_problems(self.milestones, ("milestones",))
        yield from funding_problems(self.budget, self.funding)
        for i, p in enumerate(self.participants):
            if p.organisation and p.name:
                yield Problem(("participants", i, "name"), "invalid-value", "give either organisation (a fiche id) or name (free text), not both",
                              "keep organisation: the fiche has the name")
            if not p.organisation and not p.name and not p.count:
                yield Problem(("participants", i), "invalid-value", "this participant has no organisation, name or count",
                              "add `organisation:` (a fiche id), `name:`, or `count:` for organisations the source does not name")
            if p.organisation and p.country:
                yield Problem(("participants", i, "country"), "invalid-value", "the country of an organisation with a fiche is in its fiche",
                              "remove country here; set it in the organisation's fiche")
        yield from _shares("countries", [getattr(c, "percentage", None) for c in self.countries])
        yield from _shares("world_regions", [getattr(r, "percentage", None) for r in self.world_regions])
        yield from _shares("sectors", [getattr(s, "percentage", None) for s in self.sectors])
        working = set(self.country_codes)
        for i, other in enumerate(self.other_countries):
            if other.country in working and other.relation in ("donor", "other"):
                yield Problem(("other_countries", i, "country"), "invalid-value",
                              f"{other.country} is also a country the project works in",
                              "keep it in one list: countries for where the project works, other_countries for the rest")
        for i, rel in enumerate(self.related_projects):
            if rel.phase is not None and rel.relation != "part_of":
                yield Problem(("related_projects", i, "phase"), "invalid-value", "phase goes with relation: part_of",
                              "write relation: part_of, or remove phase")
        for i, phase in enumerate(self.phases):
            if phase.start_date and phase.end_date and phase.end_date.last_day() < phase.start_date.first_day():
                yield Problem(("phases", i, "end_date"), "end-before-start", f"the phase ends ({phase.end_date}) before it starts ({phase.start_date})",
                              "swap the two dates or correct the end date")
        for i, result in enumerate(self.results):
            yield from result.problems(("results", i))

    def status_problems(self, today: date) -> Iterator[Problem]:
        """A stated status the dates contradict (a warning: the source may be right, the dates partial)."""
        derived = self.derived_status(today)
        if derived == "ongoing" and self.end is None:
            return    # no end date: the dates do not say the project is still running, only that it started
        if self.status and derived and self.status != derived and (self.status, derived) in _CONTRADICTIONS:
            yield Problem(("status",), "status-contradicts-dates",
                          f"the status is stated as {self.status}, but the dates say {derived}",
                          "check the status and the dates against the source; the stated status is the one shown")


#: Stated statuses the dates can contradict (a closed project whose end is still ahead; an ongoing one that has ended).
_CONTRADICTIONS = {("closed", "planned"), ("closed", "ongoing"), ("ongoing", "closed"), ("ongoing", "planned"),
                   ("planned", "ongoing"), ("planned", "closed")}


def _shares(field: str, shares: list) -> Iterator[Problem]:
    stated = [s for s in shares if s is not None]
    if stated and len(stated) == len(shares) and abs(float(sum(stated)) - 100) > 0.5:
        yield Problem((field,), "percentages-sum", f"the percentages of {field} add up to {float(sum(stated)):g} %, not 100 %",
                      "check the shares against the source; give them only when the source states all of them")
