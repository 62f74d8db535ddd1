"""Money as sources state it: the project's budget, and where the money comes from, one source at a time.

Field records give a total without any programme, a funder's share without a total, several co-financiers
each with an amount, an amount whose meaning the source leaves open, money already allocated or paid out.
Each is written as stated; what fichegen computes (a share from two amounts, an amount from a share) is
derived in `FundingSummary` and always marked as such, and amounts in different currencies are never summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator, Literal

from .common import Amount, CurrencyCode, LocalizedText, Money, Problem, Qualifier, Strict, fiche_id, term_id
from .geography import Percentage

CENT = Decimal("0.01")

#: What an amount of a funding source is, as the source says it.
AmountKind = Literal["contribution", "allocated", "disbursed", "unspecified"]


class Budget(Money):
    """What the whole project costs, as the source states it."""

    kind: Literal["total", "eligible"] = "total"
    """total: the project's whole budget; eligible: the eligible costs a funder's rate applies to."""


class FundingSource(Strict):
    """Where (part of) the money comes from: an organisation, a programme or fund, or both; an amount, a share
    of the budget, both, or neither (a funder whose amount the source does not give)."""

    funder: fiche_id("organisation", relation="funder") | None = None
    """The organisation that pays, an organisation fiche id (e.g. european-commission)."""
    programme: term_id("programmes") | None = None
    """The programme the money comes through, a term of content/vocabularies/programmes.yaml."""
    fund: term_id("funds") | None = None
    """The fund it comes from, a term of content/vocabularies/funds.yaml (e.g. amif)."""
    amount: Amount | None = None
    """The amount, as a plain decimal number: 1447000 or 889400.50."""
    currency: CurrencyCode | None = None
    """ISO 4217 currency of the amount; the budget's currency when left out."""
    qualifier: Qualifier | None = None
    """When the source qualifies the amount: about, at_least, more_than, at_most, less_than."""
    share: Percentage | None = None
    """The share of the project's budget this source pays, in percent (94.42 for 94.42 %), as stated."""
    kind: AmountKind = "contribution"
    """What the amount is: contribution (what this source pays in all), allocated (committed so far), disbursed (paid out so far), unspecified (the source gives the amount without saying whether it is the total or this source's share)."""
    note: LocalizedText | None = None
    """How the source words it, when that helps a reader ("Financing: 2,603,783.86 EUR")."""


@dataclass(frozen=True)
class SourceFigures:
    """One funding source with its missing figure derived: `derived` names what was computed, not stated."""

    source: FundingSource
    currency: str | None          # None: no amount, and nothing says in which currency one would be
    amount: Decimal | None
    share: Decimal | None
    derived: frozenset[str]


@dataclass(frozen=True)
class FundingSummary:
    """A project's money: the budget as stated (or derived from one source's amount and share), each source
    with its figures, and the totals per currency of what the sources contribute."""

    budget: Money | None
    budget_derived: bool
    sources: tuple[SourceFigures, ...]

    def contributions_by_currency(self) -> dict[str, Decimal]:
        """What the sources contribute, per currency (never summed across currencies)."""
        out: dict[str, Decimal] = {}
        for s in self.sources:
            if s.amount is not None and s.currency and s.source.kind == "contribution":
                out[s.currency] = out.get(s.currency, Decimal(0)) + s.amount
        return out


def summarize(budget: Budget | None, sources: list[FundingSource]) -> FundingSummary:
    """Derive what two stated figures imply: a source's amount from its share and the budget, its share from its
    amount and the budget, and, when no budget is stated, the budget from a source's amount and share."""
    total, total_derived = (Money(amount=budget.amount, currency=budget.currency, qualifier=budget.qualifier) if budget else None), False
    if total is None:
        for s in sources:
            if s.amount and s.share and s.kind == "contribution" and s.currency:
                total = Money(amount=(s.amount * 100 / s.share).quantize(CENT, ROUND_HALF_UP), currency=s.currency)
                total_derived = True
                break
    figures = []
    for s in sources:
        currency = s.currency or (total.currency if total else None)
        amount, share, derived = s.amount, s.share, set()
        same_currency = total is not None and total.currency == currency
        if s.kind == "contribution" and same_currency and total.amount and not s.qualifier and not total.qualifier:
            if amount is None and share is not None:
                amount, _ = (total.amount * share / 100).quantize(CENT, ROUND_HALF_UP), derived.add("amount")
            elif share is None and amount is not None:
                share, _ = (amount * 100 / total.amount).quantize(CENT, ROUND_HALF_UP), derived.add("share")
        figures.append(SourceFigures(s, currency, amount, share, frozenset(derived)))
    return FundingSummary(total, total_derived, tuple(figures))


def funding_problems(budget: Budget | None, sources: list[FundingSource], loc: tuple = ()) -> Iterator[Problem]:
    """Figures that contradict each other, located at the figure to look at."""
    for i, s in enumerate(sources):
        where = loc + ("funding", i)
        if s.funder is None and s.programme is None and s.fund is None:
            yield Problem(where, "invalid-value", "this funding source names no funder, programme or fund",
                          "add `funder:` (an organisation id), `programme:` or `fund:`")
        if s.amount is None and s.currency is not None:
            yield Problem(where + ("currency",), "invalid-value", "a currency without an amount", "add `amount:` or remove `currency:`")
        if s.amount is not None and s.currency is None and budget is None:
            yield Problem(where + ("amount",), "invalid-value", "an amount without its currency",
                          "add `currency:` (EUR, USD, CHF…): with no budget, nothing else says which currency the amount is in")
        if s.amount is None and s.qualifier is not None:
            yield Problem(where + ("qualifier",), "invalid-value", "a qualifier without an amount", "add `amount:` or remove `qualifier:`")
        if budget is None or s.kind != "contribution":
            continue
        currency = s.currency or budget.currency
        if currency != budget.currency:
            continue
        if s.amount is not None and s.amount > budget.amount:
            yield Problem(where + ("amount",), "funding-mismatch",
                          f"this source's amount ({s.amount}) is larger than the budget ({budget.amount})",
                          "check both figures; an amount whose meaning is unclear can be written with `kind: unspecified`")
        elif s.amount is not None and s.share is not None:
            places = max(0, -s.share.as_tuple().exponent)
            tolerance = budget.amount * (Decimal(5) / Decimal(10) ** (places + 1)) / 100 + CENT
            expected = budget.amount * s.share / 100
            if abs(expected - s.amount) > tolerance:
                yield Problem(where + ("share",), "funding-mismatch",
                              f"{s.share} % of {budget.amount} is {expected.quantize(CENT)}, not {s.amount}",
                              "give two of budget, amount and share and let fichegen derive the third")
    shares = [s.share for s in sources if s.share is not None and s.kind == "contribution"]
    if sum(shares, Decimal(0)) > 100:
        yield Problem(loc + ("funding",), "funding-mismatch", f"the shares of the funding sources add up to {sum(shares)} %, more than 100 %",
                      "check the shares: each is a part of the same budget")
