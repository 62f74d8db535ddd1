"""data/iati-activities.xml: valid against the official IATI 2.03 schema, and saying what the fiches say."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from fichegen.build import build
from fichegen.models.project import IATI_ROLE, IATI_STATUS

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = Path(__file__).parent / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


@pytest.fixture(scope="module")
def edge_cases(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("iati") / "project"
    shutil.copytree(FIXTURES / "exports", root)
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return root / "site" / "data" / "iati-activities.xml"


@pytest.fixture(scope="module")
def activities(edge_cases) -> dict[str, etree._Element]:
    tree = etree.parse(str(edge_cases))
    return {a.findtext("iati-identifier").removeprefix("XM-EXAMPLE-42-"): a for a in tree.getroot()}


def narratives(element) -> dict[str, str]:
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def test_the_showcase_export_is_valid_iati_2_03(showcase_site, schema):
    tree = etree.parse(str(showcase_site / "data" / "iati-activities.xml"))
    schema.assertValid(tree)
    assert tree.getroot().get("version") == "2.03"
    identifiers = [a.findtext("iati-identifier") for a in tree.getroot()]
    assert identifiers == ["XX-FICHEGEN-NOT-SET-coop4int", "XX-FICHEGEN-NOT-SET-lecim", "XX-FICHEGEN-NOT-SET-migravalue"]


def test_the_edge_case_export_is_valid_iati_2_03(edge_cases, schema):
    schema.assertValid(etree.parse(str(edge_cases)))


def test_projects_iati_cannot_describe_are_left_out(activities):
    """IATI requires a status, a date and an organisation: no-dates and cancelled-alone lack one each."""
    assert sorted(activities) == ["full-project", "hostile-text", "planned-project", "year-only"]


def test_reporting_org_and_identifiers_come_from_the_configuration(activities):
    full = activities["full-project"]
    reporting = full.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("XM-EXAMPLE-42", "21")
    assert narratives(reporting) == {"en": "Example publisher", "fr": "Éditeur d'exemple"}
    assert full.findtext("iati-identifier") == "XM-EXAMPLE-42-full-project"


def test_titles_and_descriptions_are_multilingual_narratives(activities):
    full = activities["full-project"]
    assert full.get(XML_LANG) == "en"
    assert narratives(full.find("title")) == {"en": "A full project", "fr": "Un projet complet"}
    general = full.find("description[@type='1']")
    assert narratives(general) == {"en": "It has everything.", "fr": "Il a tout."}     # Markdown reduced to words
    objectives = full.find("description[@type='2']")
    assert narratives(objectives) == {"en": "Channel remittances\nOnly in English", "fr": "Orienter les transferts"}
    year_only = activities["year-only"]
    assert [n.get(XML_LANG) for n in year_only.find("title").findall("narrative")] == ["fr"]


def test_participating_orgs_carry_iati_roles_refs_and_types(activities):
    full = [(o.get("role"), o.get("ref"), o.get("type"), narratives(o)) for o in activities["full-project"].findall("participating-org")]
    assert full == [
        (IATI_ROLE["lead"], None, None, {"en": "North & South <Association>"}),
        (IATI_ROLE["funder"], "FR-GOV-LABOUR", "10", {"fr": "Ministère du Travail", "en": "Ministry of Labour"}),
    ]
    planned = [(o.get("role"), o.get("ref")) for o in activities["planned-project"].findall("participating-org")]
    assert planned == [(IATI_ROLE["funder"], "FR-GOV-LABOUR"), (IATI_ROLE["partner"], None)]   # the funder is not repeated


def test_a_programme_without_funder_organisation_is_named_as_the_funder(activities):
    orgs = activities["year-only"].findall("participating-org")
    assert len(orgs) == 1 and orgs[0].get("role") == IATI_ROLE["funder"] and orgs[0].get("ref") is None
    assert narratives(orgs[0]) == {"fr": "Programme sans bailleur", "en": "Programme <without> funder"}


@pytest.mark.parametrize("project, status, dates", [
    ("full-project", "closed", [("2", "2019-03-04"), ("4", "2021-02-28")]),
    ("year-only", "closed", [("2", "2010-01-01"), ("4", "2011-12-31")]),       # a year stands for its first/last day
    ("planned-project", "planned", [("1", "2025-01-01"), ("3", "2026-12-31")]),  # in the future: planned dates
    ("hostile-text", "ongoing", [("2", "2020-01-01")]),                          # no end date: none is invented
])
def test_status_and_dates_follow_the_build_date(activities, project, status, dates):
    activity = activities[project]
    assert activity.find("activity-status").get("code") == IATI_STATUS[status]
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == dates


def test_several_countries_share_exactly_one_hundred_percent(activities):
    countries = activities["full-project"].findall("recipient-country")
    assert [c.get("code") for c in countries] == ["SN", "ML", "FR"]
    assert sum(Decimal(c.get("percentage")) for c in countries) == Decimal(100)
    single = activities["year-only"].findall("recipient-country")
    assert [(c.get("code"), c.get("percentage")) for c in single] == [("SN", None)]


def test_budget_spans_the_project_in_its_currency_only_when_known(activities):
    budget = activities["full-project"].find("budget")
    assert budget.find("period-start").get("iso-date") == "2019-03-04"
    assert budget.find("period-end").get("iso-date") == "2021-02-28"
    value = budget.find("value")
    assert (value.get("currency"), value.get("value-date"), Decimal(value.text)) == ("EUR", "2019-03-04", Decimal("1000000"))
    assert activities["planned-project"].find("budget/value").get("currency") == "XOF"
    assert activities["planned-project"].get("default-currency") == "XOF"
    assert activities["year-only"].find("budget") is None        # no funding given
    assert activities["hostile-text"].find("budget") is None      # no end date


def test_part_of_relations_become_parent_and_child_activities(activities):
    assert [(r.get("ref"), r.get("type")) for r in activities["year-only"].findall("related-activity")] == [
        ("XM-EXAMPLE-42-full-project", "1")]
    assert [(r.get("ref"), r.get("type")) for r in activities["full-project"].findall("related-activity")] == [
        ("XM-EXAMPLE-42-year-only", "2")]


def test_hostile_text_is_escaped_and_reads_back_unchanged(edge_cases, activities):
    raw = edge_cases.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw
    title = narratives(activities["hostile-text"].find("title"))
    assert title["en"] == "</script><script>alert('x')</script> & \"quoted\""
