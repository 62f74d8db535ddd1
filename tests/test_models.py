"""The models carry the domain rules: derived status and funding, partial dates, numbering."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from fichegen.models import FuzzyDate, Project, Strategy


def project(**fields):
    base = {"original_language": "en", "title": {"en": "T"}, "summary": {"en": "S"}}
    return Project.model_validate({**base, **fields})


@pytest.mark.parametrize("start, end, today, status", [
    ("2030", None, date(2026, 1, 1), "planned"),
    ("2021-12", "2025-05", date(2024, 1, 1), "ongoing"),
    ("2021-12", "2025-05", date(2025, 5, 31), "ongoing"),   # a month-precise end lasts to its last day
    ("2021-12", "2025-05", date(2025, 6, 1), "closed"),
    ("2006-08-31", "2008-06-29", date(2026, 11, 23), "closed"),
    (None, None, date(2026, 1, 1), None),
])
def test_status_is_derived_from_dates_as_of_the_build_date(start, end, today, status):
    assert project(start_date=start, end_date=end).status_on(today) == status


def test_manual_status_is_only_cancelled_or_suspended():
    assert project(start_date="2020", status="suspended").status_on(date(2021, 1, 1)) == "suspended"
    with pytest.raises(ValidationError):
        project(status="closed")


def test_contribution_amount_is_derived_from_total_and_rate():
    funding = project(funding={"total": "1532558.68", "contribution": {"rate": "94.42"}}).funding.resolved()
    assert funding.contribution == Decimal("1447041.91")
    assert funding.derived == {"contribution"}


def test_total_is_derived_from_contribution_and_rate():
    funding = project(funding={"contribution": {"amount": "889400.00", "rate": "44.5"}}).funding.resolved()
    assert funding.total == Decimal("1998651.69")
    assert funding.derived == {"total"}


def test_rate_is_derived_from_total_and_amount():
    funding = project(funding={"total": "200", "contribution": {"amount": "50"}}).funding.resolved()
    assert funding.rate == Decimal("25.00") and funding.derived == {"rate"}


def test_funding_figures_that_agree_within_rounding_are_accepted():
    """94.42 % is rounded to two decimals: the stated amount may differ by that rounding."""
    p = project(funding={"total": "1532558.68", "contribution": {"amount": "1447050.00", "rate": "94.42"}})
    assert list(p.problems()) == []


def test_funding_figures_that_disagree_are_a_problem():
    p = project(funding={"total": "1000", "contribution": {"amount": "800", "rate": "50"}})
    assert [x.code for x in p.problems()] == ["funding-mismatch"]


def test_amounts_keep_their_decimal_value():
    """A money amount is never a float."""
    assert project(funding={"total": "0.10"}).funding.total == Decimal("0.10")


@pytest.mark.parametrize("text, first, last", [
    ("2010", date(2010, 1, 1), date(2010, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2006-08-31", date(2006, 8, 31), date(2006, 8, 31)),
])
def test_partial_dates_span_their_precision(text, first, last):
    d = FuzzyDate.parse(text)
    assert (d.first_day(), d.last_day(), str(d)) == (first, last, text)


@pytest.mark.parametrize("text", ["2010-13", "2010-02-30", "10-2010", "2010/01", "soon"])
def test_impossible_dates_are_rejected(text):
    with pytest.raises(Exception):
        FuzzyDate.parse(text)


def test_country_and_currency_codes_are_checked():
    with pytest.raises(ValidationError):
        project(countries=["XX"])
    with pytest.raises(ValidationError):
        project(funding={"currency": "EURO", "total": "1"})
    assert project(countries=["CV", "NO"]).countries == ["CV", "NO"]


def test_only_web_links_are_accepted():
    with pytest.raises(ValidationError):
        project(links=[{"url": "javascript:alert(1)"}])
    assert project(links=[{"url": "https://keep.eu/"}]).links[0].url == "https://keep.eu/"


def strategy(priorities):
    return Strategy.model_validate({"original_language": "en", "title": {"en": "T"}, "summary": {"en": "S"},
                                    "territory": {"level": "regional", "country": "ES"},
                                    "period": {"start": "2021", "end": "2026"}, "priorities": priorities})


def test_well_numbered_priorities_have_no_problems():
    s = strategy([{"number": "1", "title": {"en": "a"}, "objectives": [{"number": "1.1", "title": {"en": "b"}},
                                                                      {"number": "1.2", "title": {"en": "c"}}]},
                  {"number": "2", "title": {"en": "d"}}])
    assert list(s.problems()) == []
    assert s.numbers() == {"1", "1.1", "1.2", "2"}


@pytest.mark.parametrize("priorities, where", [
    ([{"number": "2", "title": {"en": "a"}}], ("priorities", 0, "number")),
    ([{"number": "1", "title": {"en": "a"}}, {"number": "1", "title": {"en": "b"}}], ("priorities", 1, "number")),
    ([{"number": "1", "title": {"en": "a"}, "objectives": [{"number": "1.2", "title": {"en": "b"}}]}],
     ("priorities", 0, "objectives", 0, "number")),
])
def test_numbering_gaps_duplicates_and_misplaced_objectives(priorities, where):
    (problem,) = strategy(priorities).problems()
    assert problem.code == "priority-numbering" and problem.loc == where
