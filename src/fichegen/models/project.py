"""A project: an action with partners, dates, a budget and results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Iterator, Literal

from pydantic import Field, StringConstraints

from .common import (Amount, CountryCode, CurrencyCode, FicheBase, FuzzyDate, Identifier, Link,
                     LocalizedMarkdown, LocalizedText, Number, Problem, Ref, Strict, TermRef)

Role = Literal["lead", "partner", "associated", "funder"]
Relation = Literal["follows", "followed_by", "part_of", "related"]
Status = Literal["planned", "ongoing", "closed", "cancelled", "suspended"]

#: The inverse of each relation, for backlinks shown on the other project's page.
INVERSE_RELATION: dict[str, str] = {"follows": "followed_by", "followed_by": "follows", "part_of": "has_part", "related": "related"}
#: IATI 2.03 OrganisationRole codes (1 Funding, 2 Accountable, 4 Implementing).
IATI_ROLE: dict[str, str] = {"funder": "1", "lead": "2", "partner": "4", "associated": "4"}
#: IATI 2.03 ActivityStatus codes.
IATI_STATUS: dict[str, str] = {"planned": "1", "ongoing": "2", "closed": "4", "cancelled": "5", "suspended": "6"}
CENT = Decimal("0.01")


class Partner(Strict):
    """An organisation taking part in the project."""

    organisation: Ref
    """The id of the organisation's fiche (content/organisations/ID.yaml)."""
    role: Role = "partner"
    """lead: the lead partner or implementer; partner; associated: an associated partner without budget; funder."""


class Contribution(Strict):
    """What the programme (or fund) pays: give the amount, the rate, or both."""

    amount: Amount | None = None
    """The programme's contribution, in the funding currency."""
    rate: Annotated[Decimal, Field(gt=0, le=100, decimal_places=4, examples=["94.42"])] | None = None
    """The programme's share of the total budget, in percent (94.42 for 94.42 %)."""
    fund: TermRef | None = None
    """The fund the money comes from, a term of content/vocabularies/funds.yaml (e.g. amif)."""


@dataclass(frozen=True)
class ResolvedFunding:
    """Budget figures with the missing one derived; `derived` names those computed, not stated."""

    currency: str
    total: Decimal | None
    contribution: Decimal | None
    rate: Decimal | None
    fund: str | None
    derived: frozenset[str]


class Funding(Strict):
    """The budget of the project and the programme's contribution to it."""

    currency: CurrencyCode = "EUR"
    """ISO 4217 currency of every amount below."""
    total: Amount | None = None
    """The total budget (eligible costs) of the project."""
    contribution: Contribution | None = None
    """The programme's contribution, as an amount or a rate of the total (the other is derived)."""

    def resolved(self) -> ResolvedFunding:
        total = self.total
        amount = self.contribution.amount if self.contribution else None
        rate = self.contribution.rate if self.contribution else None
        derived = set()
        if total is None and amount is not None and rate:
            total, _ = (amount * 100 / rate).quantize(CENT, ROUND_HALF_UP), derived.add("total")
        elif amount is None and total is not None and rate is not None:
            amount, _ = (total * rate / 100).quantize(CENT, ROUND_HALF_UP), derived.add("contribution")
        elif rate is None and total and amount is not None:
            rate, _ = (amount * 100 / total).quantize(CENT, ROUND_HALF_UP), derived.add("rate")
        return ResolvedFunding(self.currency, total, amount, rate,
                               self.contribution.fund if self.contribution else None, frozenset(derived))

    def problems(self, loc: tuple) -> Iterator[Problem]:
        c = self.contribution
        if c is None:
            return
        if self.total is not None and c.amount is not None and c.amount > self.total:
            yield Problem(loc + ("contribution", "amount"), "funding-mismatch",
                          f"the contribution ({c.amount}) is larger than the total budget ({self.total})")
        elif self.total is not None and c.amount is not None and c.rate is not None:
            places = max(0, -c.rate.as_tuple().exponent)
            tolerance = self.total * (Decimal(5) / Decimal(10) ** (places + 1)) / 100 + CENT
            expected = self.total * c.rate / 100
            if abs(expected - c.amount) > tolerance:
                yield Problem(loc + ("contribution", "rate"), "funding-mismatch",
                              f"{c.rate} % of {self.total} is {expected.quantize(CENT)}, not {c.amount}",
                              "give only two of total, amount and rate and let fichegen derive the third")


class Activity(Strict):
    """A work package or line of action."""

    heading: LocalizedText
    """Short name of the activity."""
    text: LocalizedMarkdown | None = None
    """What is done, in Markdown."""


class RelatedProject(Strict):
    """Another project this one is linked to."""

    relation: Relation
    """follows: this project continues the other; followed_by; part_of: this project is part of the other; related."""
    project: Ref
    """The other project's id. It may have no fiche yet: it is then shown without a link (with a warning)."""
    label: str | None = None
    """How to name the other project while it has no fiche, e.g. its acronym."""


class StrategyLink(Strict):
    """A strategy the project contributes to."""

    strategy: Ref
    """The strategy's id."""
    priority: Number | None = None
    """The number of the priority or objective it serves, e.g. "2" or "2.1"."""


class Project(FicheBase):
    """A project fiche: content/projects/ID.yaml."""

    acronym: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    """The project's short name, e.g. MIGRAVALUE."""
    title: LocalizedText
    """Full title, in the original language and as many others as available."""
    summary: LocalizedMarkdown
    """Two or three sentences saying what the project does; shown in lists and search results."""
    description: LocalizedMarkdown | None = None
    """The longer description, in Markdown."""
    start_date: FuzzyDate | None = None
    """When the project started (YYYY, YYYY-MM or YYYY-MM-DD)."""
    end_date: FuzzyDate | None = None
    """When the project ended or will end."""
    status: Literal["cancelled", "suspended"] | None = None
    """Only for a cancelled or suspended project; otherwise the status (planned, ongoing, closed) is derived from the dates."""
    programme: TermRef | None = None
    """The funding programme, a term of content/vocabularies/programmes.yaml."""
    funding: Funding | None = None
    """Budget and programme contribution."""
    partners: list[Partner] = []
    """The organisations taking part, each with its role."""
    partner_count: Annotated[int, Field(ge=1, le=10_000)] | None = None
    """How many partners there are in all, when the list above is incomplete or empty."""
    countries: list[CountryCode] = []
    """Countries where the project works or whose organisations take part."""
    regions: list[TermRef] = []
    """Sub-national regions, terms of content/vocabularies/regions.yaml (ISO 3166-2 or NUTS codes)."""
    themes: list[TermRef] = []
    """Themes, terms of content/vocabularies/themes.yaml."""
    target_groups: list[TermRef] = []
    """Who the project is for, terms of content/vocabularies/target-groups.yaml."""
    objectives: list[LocalizedText] = []
    """The project's objectives, one per item."""
    activities: list[Activity] = []
    """Main activities."""
    expected_results: list[LocalizedText] = []
    """Results the project expects, one per item."""
    outputs: list[LocalizedText] = []
    """Concrete products: reports, tools, events."""
    identifiers: list[Identifier] = []
    """Codes in other systems: grant agreement number, keep.eu id…"""
    related_projects: list[RelatedProject] = []
    """Projects this one follows, is followed by, is part of, or is related to."""
    strategies: list[StrategyLink] = []
    """Strategies the project contributes to, with the priority it serves."""
    links: list[Link] = []
    """Web pages: the project's site, records in other databases, documents."""

    def status_on(self, today: date) -> Status | None:
        """The status on `today`: the manual one if set, else derived from the dates."""
        if self.status:
            return self.status
        if self.start_date and self.start_date.first_day() > today:
            return "planned"
        if self.end_date and self.end_date.last_day() < today:
            return "closed"
        if self.start_date:
            return "ongoing"
        return None

    @property
    def name(self) -> LocalizedText:
        return self.title

    def problems(self) -> Iterator[Problem]:
        yield from self.check_original_language({"title": self.title, "summary": self.summary})
        if self.start_date and self.end_date and self.end_date.last_day() < self.start_date.first_day():
            yield Problem(("end_date",), "end-before-start", f"the end date ({self.end_date}) is before the start date ({self.start_date})",
                          "swap the two dates or correct the end date")
        if self.funding:
            yield from self.funding.problems(("funding",))
        if self.partner_count is not None and self.partner_count < len(self.partners):
            yield Problem(("partner_count",), "invalid-value",
                          f"partner_count ({self.partner_count}) is smaller than the {len(self.partners)} partners listed",
                          "remove partner_count, or give the full number of partners")
