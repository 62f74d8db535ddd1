"""The models carry the domain rules: derived status and funding, partial dates, numbering."""

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from fichegen.models import FuzzyDate, Project, Strategy
from fichegen.models.funding import summarize


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


def test_a_stated_status_wins_over_the_dates_and_a_contradiction_is_a_warning():
    """A source that calls a project finished is believed, even without an end date; `check` warns only when the
    dates say otherwise (the source may be right and the dates partial)."""
    finished = project(start_date="2019", status="closed")
    assert finished.status_on(date(2026, 1, 1)) == "closed"
    assert list(finished.status_problems(date(2026, 1, 1))) == []
    ahead = project(start_date="2019", end_date="2030", status="closed")
    assert ahead.status_on(date(2026, 1, 1)) == "closed"
    (warning,) = ahead.status_problems(date(2026, 1, 1))
    assert warning.code == "status-contradicts-dates" and "ongoing" in warning.message
    with pytest.raises(ValidationError):
        project(status="finished")


def test_a_duration_gives_a_derived_end():
    p = project(start_date="2010-01", duration_months=24)
    assert str(p.end) == "2011-12" and p.end_is_derived and p.end_date is None
    assert p.status_on(date(2011, 12, 31)) == "ongoing" and p.status_on(date(2012, 1, 1)) == "closed"


def summary_of(**fields):
    p = project(**fields)
    return summarize(p.budget, p.funding)


def test_a_source_amount_is_derived_from_the_budget_and_its_share():
    s = summary_of(budget={"amount": "1532558.68", "currency": "EUR"}, funding=[{"fund": "amif", "share": "94.42"}])
    (source,) = s.sources
    assert source.amount == Decimal("1447041.91") and source.derived == {"amount"}
    assert s.budget.amount == Decimal("1532558.68") and not s.budget_derived


def test_the_budget_is_derived_from_a_source_amount_and_share():
    s = summary_of(funding=[{"programme": "cadses", "amount": "889400.00", "currency": "EUR", "share": "44.5"}])
    assert s.budget.amount == Decimal("1998651.69") and s.budget_derived


def test_an_amount_whose_meaning_is_unstated_derives_nothing():
    s = summary_of(funding=[{"programme": "cadses", "amount": "889400.00", "currency": "EUR", "share": "44.5",
                             "kind": "unspecified"}])
    assert s.budget is None and s.sources[0].derived == frozenset() and s.contributions_by_currency() == {}


def test_several_co_financiers_in_several_currencies_are_never_summed_together():
    s = summary_of(funding=[{"funder": "eu", "amount": "40000000", "currency": "EUR"},
                            {"funder": "bmz", "amount": "6000000", "currency": "EUR"},
                            {"funder": "sdc", "amount": "3000000", "currency": "CHF"}])
    assert s.contributions_by_currency() == {"EUR": Decimal("46000000"), "CHF": Decimal("3000000")}


def test_a_source_share_is_derived_from_the_budget_and_its_amount():
    (source,) = summary_of(budget={"amount": "200", "currency": "EUR"}, funding=[{"funder": "x", "amount": "50"}]).sources
    assert source.share == Decimal("25.00") and source.derived == {"share"}


def test_funding_figures_that_agree_within_rounding_are_accepted():
    """94.42 % is rounded to two decimals: the stated amount may differ by that rounding."""
    p = project(budget={"amount": "1532558.68", "currency": "EUR"}, funding=[{"fund": "amif", "amount": "1447050.00", "share": "94.42"}])
    assert list(p.problems()) == []


def test_funding_figures_that_disagree_are_a_problem():
    p = project(budget={"amount": "1000", "currency": "EUR"}, funding=[{"fund": "amif", "amount": "800", "share": "50"}])
    assert [x.code for x in p.problems()] == ["funding-mismatch"]


def test_amounts_keep_their_decimal_value():
    """A money amount is never a float."""
    assert project(budget={"amount": "0.10", "currency": "EUR"}).budget.amount == Decimal("0.10")


def test_a_budget_states_its_currency():
    with pytest.raises(ValidationError):
        project(budget={"amount": "1000"})


def test_an_organisation_is_listed_once_with_all_its_roles():
    p = project(participants=[{"organisation": "bmz", "roles": ["funding", "partner"]},
                              {"organisation": "bmz", "roles": ["accountable"]}])
    (problem,) = p.problems()
    assert problem.code == "duplicate-item" and problem.loc == ("participants", 1, "organisation")
    assert "roles: [" in problem.hint


def test_unnamed_participants_are_a_count():
    p = project(participants=[{"count": 12, "name": {"es": "12 municipios"}, "roles": ["partner"]}, {"count": 1, "roles": ["partner"]}])
    assert list(p.problems()) == []
    with pytest.raises(ValidationError):
        project(participants=[{"organisation": "x", "roles": ["leader"]}])


def test_percentages_are_optional_but_add_up_when_all_are_stated():
    assert list(project(countries=["CV", {"country": "PT", "percentage": "40"}]).problems()) == []
    (problem,) = project(countries=[{"country": "CV", "percentage": "60"}, {"country": "PT", "percentage": "30"}]).problems()
    assert problem.code == "percentages-sum"


def test_a_name_the_same_in_every_language_is_one_plain_text():
    p = project(title="SIforREF", original_language="it", summary={"it": "Un progetto."})
    assert p.title.invariant and p.title.get("en") == "SIforREF" and list(p.problems()) == []


def test_a_text_may_name_its_own_original_language():
    p = project(original_language="fr", title={"en": "Only in English", "original": "en"}, summary={"fr": "Seulement en français."})
    assert list(p.problems()) == []
    (problem,) = project(original_language="fr", title={"en": "Only in English"}, summary={"fr": "Résumé."}).problems()
    assert problem.code == "missing-original-language" and "original: en" in problem.hint


def test_language_tags_follow_bcp_47():
    p = project(original_language="pt-BR", title={"pt-BR": "Plano Municipal"}, summary={"pt-BR": "Um plano."})
    assert p.title.languages == ["pt-BR"]
    with pytest.raises(ValidationError):
        project(title={"pt-XX": "?"})


@pytest.mark.parametrize("text, first, last", [
    ("2010", date(2010, 1, 1), date(2010, 12, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2006-08-31", date(2006, 8, 31), date(2006, 8, 31)),
])
def test_partial_dates_span_their_precision(text, first, last):
    d = FuzzyDate.parse(text)
    assert (d.first_day(), d.last_day(), str(d)) == (first, last, text)


@pytest.mark.parametrize("text", ["2010-13", "2010-02-30", "2021-00", "2021-03-00", "10-2010", "2010/01", "soon"])
def test_impossible_dates_are_rejected(text):
    with pytest.raises(Exception):
        FuzzyDate.parse(text)


def test_country_and_currency_codes_are_checked():
    with pytest.raises(ValidationError):
        project(countries=["XX"])
    with pytest.raises(ValidationError):
        project(budget={"currency": "EURO", "amount": "1"})
    assert project(countries=["CV", "NO"]).country_codes == ["CV", "NO"]


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


def test_unnumbered_priorities_are_referred_to_by_position():
    s = strategy([{"title": {"fr": "Intégration"}, "objectives": [{"title": {"fr": "Éducation"}}]}, {"title": {"fr": "Cadre"}}])
    assert list(s.problems()) == [] and not s.numbered
    assert s.numbers() == {"1", "1.1", "2"}


def test_priorities_are_numbered_all_or_none():
    (problem,) = strategy([{"number": "1", "title": {"en": "a"}}, {"title": {"en": "b"}}]).problems()
    assert problem.code == "priority-numbering" and problem.loc == ("priorities", 1)
