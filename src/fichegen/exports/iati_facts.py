"""What of a project the IATI file can hold without losing or inventing a fact, and what it cannot.

`project_facts` reads a project as IATI needs it (its recipients with their vocabularies, its sectors, its
participating organisations by IATI role, its activity dates, the budgets that fit IATI's periods, its
results with the periods their values cover) and says, with reason codes, why the project cannot be an
activity at all (`left_out`) or which of its facts its activity lacks (`partial`). exports/iati.py explains
each decision; exports/iati_xml.py writes the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..codelists import codelist
from ..link import Ref, SiteGraph
from ..models import Organisation, Project
from ..models.common import FuzzyDate, LocalizedName, Money
from ..models.funding import FundingSource
from ..models.geography import Place, is_m49_code
from ..models.project import IATI_ROLE
from ..models.results import Indicator, Result

#: IATI 2.03 ActivityDateType codes.
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
#: IATI RegionVocabulary codes: the OECD DAC regions of the Region codelist, and UN M49.
OECD_DAC_REGIONS, UN_M49 = "1", "2"
#: IATI ResultType codes of the result levels.
RESULT_TYPE = {"output": "1", "outcome": "2", "impact": "3"}
#: IATI IndicatorMeasure codes.
INDICATOR_MEASURE = {"unit": "1", "percentage": "2"}
#: The longest budget period IATI accepts (rule 7.5.3), in days, as the IATI Validator counts it.
LONGEST_BUDGET_DAYS = 365
#: Statuses under which a start in the past is the actual start (a planned or cancelled project may never have started).
STARTED = ("ongoing", "closed", "suspended")
#: Funding amounts that would be IATI transactions if the fiche gave their date (an unspecified amount never is one).
TRANSACTION_KINDS = ("contribution", "allocated", "disbursed")

#: Why a project cannot be an IATI activity: what IATI requires that its fiche does not state (the download
#: page's UI strings data.iati.left_out.<reason>).
LEFT_OUT = ("start-date", "sector", "sector-shares", "recipient", "recipient-shares", "organisation")
#: What an exported activity lacks of its fiche (UI strings data.iati.partial.<reason>).
PARTIAL = ("budget", "funding", "uncoded", "result", "indicator", "associated", "relation")


@dataclass(frozen=True)
class ActivityDate:
    """An IATI activity-date: `day` stands for `stated` (a year or a month stands for its first day as a start, its
    last as an end); `derived_months` when the end is derived from a stated duration."""

    type: str
    day: date
    stated: FuzzyDate
    derived_months: int | None = None

    @property
    def exact(self) -> bool:
        return self.stated.precision == "day" and self.derived_months is None


@dataclass(frozen=True)
class Participating:
    """A participating-org: an organisation fiche (`organisation`) or a participant without one (`name`, `count`)."""

    role: str
    organisation: str | None = None
    ref: str | None = None
    type: str | None = None
    name: LocalizedName | None = None
    count: int | None = None


@dataclass(frozen=True)
class Region:
    """A recipient-region: its RegionVocabulary (1 OECD DAC, 2 UN M49), its code, its share when stated."""

    vocabulary: str
    code: str
    percentage: Decimal | None


@dataclass(frozen=True)
class Budget:
    """A budget of at most a year between two days the fiche states."""

    start: date
    end: date
    value: Money


@dataclass(frozen=True)
class IndicatorPeriod:
    """The period a target or an actual value covers, between two days the fiche states."""

    start: date
    end: date
    target: Decimal | None = None
    actual: Decimal | None = None


@dataclass(frozen=True)
class IndicatorFacts:
    """An indicator with what IATI can hold of it: its baseline (only with its year) and its periods."""

    indicator: Indicator
    baseline: bool
    periods: tuple[IndicatorPeriod, ...]


@dataclass(frozen=True)
class ResultFacts:
    """A result with its IATI ResultType code and its indicators."""

    result: Result
    type: str
    indicators: tuple[IndicatorFacts, ...]


@dataclass(frozen=True)
class ProjectFacts:
    """One project as IATI can hold it, with the reasons it cannot, or cannot whole."""

    status: str | None
    dates: tuple[ActivityDate, ...]
    participating: tuple[Participating, ...]
    countries: tuple[tuple[str, Decimal | None], ...]
    regions: tuple[Region, ...]
    sectors: tuple[tuple[str, Decimal | None], ...]
    budgets: tuple[Budget, ...]
    parents: tuple[str, ...]
    children: tuple[str, ...]
    results: tuple[ResultFacts, ...]
    places: tuple[Place, ...]
    left_out: tuple[str, ...]
    partial: tuple[str, ...]


def project_facts(graph: SiteGraph, p: Project, organisation_types: dict[str, str]) -> ProjectFacts:
    """`organisation_types`: organisation-types term → IATI OrganisationType code."""
    status = graph.status(p)
    dates = activity_dates(p, status, graph.today)
    participating = participating_orgs(graph, p, organisation_types)
    known_countries = codelist("Country")
    countries = tuple((c.country, c.percentage) for c in p.recipient_countries if c.country in known_countries)
    regions, uncoded = recipient_regions(graph, p)
    uncoded += [c.country for c in p.recipient_countries if c.country not in known_countries]
    sectors = tuple((s.code, _decimal(s.percentage)) for s in p.sector_shares)
    budgets = budget_periods(p)
    results, incomplete_results, lost_values = result_facts(p, status)
    left_out = []
    if not any(d.type in (PLANNED_START, ACTUAL_START) for d in dates) or status is None:
        left_out.append("start-date")
    if not sectors:
        left_out.append("sector")
    elif not shares_hold([pct for _, pct in sectors]):
        left_out.append("sector-shares")
    if not countries and not regions:
        left_out.append("recipient")
    elif not recipient_shares_hold(countries, regions):
        left_out.append("recipient-shares")
    if not participating:
        left_out.append("organisation")
    partial = []
    if _budget_lost(p, budgets):
        partial.append("budget")
    if any(s.amount is not None and s.kind in TRANSACTION_KINDS for s in _funding_sources(p)):
        partial.append("funding")
    if uncoded:
        partial.append("uncoded")
    if incomplete_results:
        partial.append("result")
    if lost_values:
        partial.append("indicator")
    if any("associated" in x.roles for x in p.participants):
        partial.append("associated")
    if any(r.relation in ("follows", "followed_by", "related") for r in p.related_projects):
        partial.append("relation")
    ref = Ref("project", p.id)
    parents = [r.project for r in p.related_projects if r.relation == "part_of"]
    parents += [e.source.id for e in graph.backlinks(ref, "phase") if e.source.kind == "project"]
    children = [e.source.id for e in graph.backlinks(ref, "part_of") if e.source.kind == "project"]
    children += [phase.project for phase in p.phases if phase.project]
    return ProjectFacts(status, tuple(dates), tuple(participating), countries, tuple(regions), sectors, tuple(budgets),
                        _unique(parents, p.id), _unique(children, p.id), tuple(results), tuple(p.places),
                        tuple(left_out), tuple(partial))


# --- dates -----------------------------------------------------------------------------

def activity_dates(p: Project, status: str | None, today: date) -> list[ActivityDate]:
    """The start and the end as stated. A start is actual once it is past and the status says the project started;
    an end is actual once it is past and the project is closed; a derived end is always the planned one."""
    out = []
    if p.start_date:
        day = p.start_date.first_day()
        out.append(ActivityDate(ACTUAL_START if status in STARTED and day <= today else PLANNED_START, day, p.start_date))
    end = p.end
    if end:
        day = end.last_day()
        derived = p.duration_months if p.end_is_derived else None
        actual = status == "closed" and day <= today and derived is None
        out.append(ActivityDate(ACTUAL_END if actual else PLANNED_END, day, end, derived))
    return out


def exact_period(start: FuzzyDate | None, end: FuzzyDate | None) -> tuple[date, date] | None:
    """The two days of a period stated to the day, or None."""
    if start is None or end is None or start.precision != "day" or end.precision != "day":
        return None
    first, last = start.first_day(), end.last_day()
    return (first, last) if first <= last else None


# --- organisations ---------------------------------------------------------------------------

def participating_orgs(graph: SiteGraph, p: Project, organisation_types: dict[str, str]) -> list[Participating]:
    """Each participant once per IATI role it has (lead is accountable, partner implementing; associated and
    beneficiary have none), then each funding source's funder as funding organisation."""
    out: list[Participating] = []
    seen: set[tuple[str, str]] = set()
    for x in p.participants:
        org = graph.organisations.get(x.organisation or "")
        for role in dict.fromkeys(IATI_ROLE[r] for r in x.roles if r in IATI_ROLE):
            if org is not None:
                if (role, org.id) not in seen:
                    seen.add((role, org.id))
                    out.append(Participating(role, org.id, iati_organisation_id(org), organisation_types.get(org.type)))
            elif x.name is not None or x.count is not None:
                out.append(Participating(role, name=x.name, count=x.count))
    for source in _funding_sources(p):
        org = graph.organisations.get(source.funder or "")
        if org is not None and (IATI_ROLE["funding"], org.id) not in seen:
            seen.add((IATI_ROLE["funding"], org.id))
            out.append(Participating(IATI_ROLE["funding"], org.id, iati_organisation_id(org), organisation_types.get(org.type)))
    return out


def iati_organisation_id(org: Organisation) -> str | None:
    """The identifier its fiche gives under the scheme iati (how IATI knows the organisation), if any."""
    for ident in org.identifiers:
        if ident.scheme.strip().lower() in ("iati", "iati-org", "iati-organisation"):
            return ident.value.strip()
    return None


# --- where -------------------------------------------------------------------------------------

def recipient_regions(graph: SiteGraph, p: Project) -> tuple[list[Region], list[str]]:
    """The supranational regions IATI can code (UN M49 as vocabulary 2, IATI regions and world-regions terms
    with an `iati_region` of the Region codelist as vocabulary 1), and the ids of those it cannot."""
    known = codelist("Region")
    regions: list[Region] = []
    uncoded: list[str] = []
    for r in p.recipient_regions:
        if is_m49_code(r.region):
            vocabulary, code = UN_M49, r.region
        elif r.region.startswith("iati-"):
            vocabulary, code = OECD_DAC_REGIONS, r.region.removeprefix("iati-")
        else:
            term = graph.term("world-regions", r.region)
            code = getattr(term, "iati_region", None)
            if code is None or code not in known:
                uncoded.append(r.region)
                continue
            vocabulary = OECD_DAC_REGIONS
        if not any(x.vocabulary == vocabulary and x.code == code for x in regions):
            regions.append(Region(vocabulary, code, r.percentage))
    return regions, uncoded


def shares_hold(shares: list[Decimal | None]) -> bool:
    """IATI's rule for the parts of a whole (sectors, recipients): one part has no percentage or 100; several have
    one each, adding up to exactly 100 (to 4 decimals)."""
    if len(shares) <= 1:
        return not shares or shares[0] is None or shares[0] == 100
    if any(s is None for s in shares):
        return False
    return sum(shares, Decimal(0)).quantize(Decimal("0.0001"), ROUND_HALF_UP) == 100


def recipient_shares_hold(countries, regions: list[Region]) -> bool:
    """Rules 3.1.x and 3.4.x: the countries alone, or the countries with the regions of each region vocabulary,
    make one whole each."""
    country_shares = [pct for _, pct in countries]
    vocabularies = dict.fromkeys(r.vocabulary for r in regions)
    if not vocabularies:
        return shares_hold(country_shares)
    return all(shares_hold([r.percentage for r in regions if r.vocabulary == v] + country_shares) for v in vocabularies)


# --- money ----------------------------------------------------------------------------------------

def budget_periods(p: Project) -> list[Budget]:
    """IATI budgets: the project's total budget when its period is stated to the day and lasts at most a year;
    else each phase's budget (phases without a fiche of their own) on the same terms."""
    period = _project_budget_period(p)
    if period:
        return [Budget(*period, Money(amount=p.budget.amount, currency=p.budget.currency))]
    out = []
    for phase in _own_phases(p):
        period = exact_period(phase.start_date, phase.end_date)
        if phase.budget and period and _within_a_year(*period):
            out.append(Budget(*period, phase.budget))
    return out


def _project_budget_period(p: Project) -> tuple[date, date] | None:
    period = exact_period(p.start_date, p.end_date)
    if p.budget and p.budget.kind == "total" and period and _within_a_year(*period):
        return period
    return None


def _within_a_year(start: date, end: date) -> bool:
    return (end - start).days <= LONGEST_BUDGET_DAYS


def _budget_lost(p: Project, budgets: list[Budget]) -> bool:
    """Whether a stated budget is not an IATI budget (it is then only described in words)."""
    if _project_budget_period(p):
        return False
    return p.budget is not None or len(budgets) < sum(1 for phase in _own_phases(p) if phase.budget)


def _own_phases(p: Project) -> list:
    """The phases without a fiche of their own (a phase with one is its own activity)."""
    return [phase for phase in p.phases if phase.project is None]


def _funding_sources(p: Project) -> list[FundingSource]:
    """The project's funding sources and those of its phases without a fiche of their own."""
    return list(p.funding) + [s for phase in _own_phases(p) for s in phase.funding]


# --- results -------------------------------------------------------------------------------------

def result_facts(p: Project, status: str | None) -> tuple[list[ResultFacts], bool, bool]:
    """The results IATI can hold (a level and at least one indicator), whether some could not be, and whether
    some values were left out (a target or actual value without a period of exact days, a baseline without a year).

    A target is the project's: its period is the project's, when both ends are stated to the day. An actual value
    covers the project's start to its `as_of` day, or to the end of a closed project when it gives no `as_of`."""
    project_period = exact_period(p.start_date, p.end_date)
    start = project_period[0] if project_period else None
    out, incomplete, lost = [], False, False
    for result in p.results:
        if result.level is None or not result.indicators:
            incomplete = True
            continue
        indicators = []
        for indicator in result.indicators:
            baseline = indicator.baseline is not None and indicator.baseline_year is not None
            lost |= indicator.baseline is not None and indicator.baseline_year is None
            periods: dict[tuple[date, date], IndicatorPeriod] = {}
            if indicator.target is not None:
                if project_period:
                    periods[project_period] = IndicatorPeriod(*project_period, target=indicator.target)
                else:
                    lost = True
            if indicator.actual is not None:
                if indicator.as_of is not None:
                    end = indicator.as_of.last_day() if indicator.as_of.precision == "day" else None
                else:
                    end = project_period[1] if project_period and status == "closed" else None
                if start is not None and end is not None and start <= end:
                    same = periods.get((start, end))
                    periods[(start, end)] = IndicatorPeriod(start, end, same.target if same else None, indicator.actual)
                else:
                    lost = True
            indicators.append(IndicatorFacts(indicator, baseline, tuple(periods.values())))
        out.append(ResultFacts(result, RESULT_TYPE[result.level], tuple(indicators)))
    return out, incomplete, lost


# --- small pieces ---------------------------------------------------------------------------------

def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _unique(ids: list[str], own: str) -> tuple[str, ...]:
    return tuple(i for i in dict.fromkeys(ids) if i != own)

