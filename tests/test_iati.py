"""data/iati-activities.xml: valid against the IATI 2.03 schema, passing the IATI Standard's rules, and saying
only what the fiches say (exports/iati.py lists the decisions).

tests/fixtures/iati/ has one project per branch of the exporter: `ten-months` (stated to the day, a budget, a
stated contribution, results, places, several roles, a beneficiary; USD), `month-start` (dates to the month,
stated shares, participants without a fiche, an associated partner, allocated and disbursed amounts, a region
without a code, a donor country; CHF), `year-only` (dates to the year, a UN M49 region only, an unspecified
amount; EUR), `iati-regions` (IATI regions, a derived end, eligible costs, phases), `phase-one` (its phase with a
fiche, a budget over 18 months), `component` (part of it, planned), `hostile-text`, and five projects IATI cannot take.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from fichegen.build import build
from fichegen.check import check
from fichegen.codelists import codelist
from fichegen.exports.iati import ORGANISATION_TYPE, iati_activities
from fichegen.exports.iati_facts import LEFT_OUT, PARTIAL, project_facts
from fichegen.i18n import Localizer, load_catalogues
from fichegen.overrides import Theme
from fichegen.models.common import FuzzyDate
from iati_rules import iati_rule_failures, report

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = Path(__file__).parent / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PLACEHOLDER = "XX-FICHEGEN-NOT-SET-"
BUILD_DATE = datetime(2024, 6, 15, tzinfo=timezone.utc)      # tests/fixtures/iati/fichegen.toml
LANGUAGES = ("en", "fr", "es", "pt")
EXPORTED = ["component", "hostile-text", "iati-regions", "month-start", "phase-one", "ten-months", "year-only"]
LEFT_OUT_PROJECTS = {
    "associated-only": ("organisation",),
    "no-sector": ("sector",),
    "no-start": ("start-date",),
    "other-countries-only": ("recipient",),
    "shares-missing": ("sector-shares", "recipient-shares"),
}
PARTIAL_PROJECTS = {
    "iati-regions": ("budget", "funding", "relation"),
    "month-start": ("budget", "funding", "uncoded", "associated"),
    "phase-one": ("budget",),
    "ten-months": ("funding", "result", "indicator"),
}


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def build_copy(tmp_path_factory, name: str, source: Path, **config: str):
    root = tmp_path_factory.mktemp(name) / "project"
    shutil.copytree(source, root)
    for key, value in config.items():
        with (root / "fichegen.toml").open("a", encoding="utf-8") as toml:
            toml.write(f'{key} = "{value}"\n')
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return result


@pytest.fixture(scope="module")
def iati_site(tmp_path_factory):
    return build_copy(tmp_path_factory, "iati", FIXTURES / "iati")


@pytest.fixture(scope="module")
def iati_file(iati_site) -> Path:
    return iati_site.out / "data" / "iati-activities.xml"


@pytest.fixture(scope="module")
def activities(iati_file) -> dict[str, etree._Element]:
    tree = etree.parse(str(iati_file))
    return {a.findtext("iati-identifier").removeprefix(PLACEHOLDER): a for a in tree.getroot()}


@pytest.fixture(scope="module")
def projects(iati_site):
    return iati_site.check.graph.projects


def narratives(element) -> dict[str, str]:
    return {n.get(XML_LANG): n.text for n in element.findall("narrative")}


def download_notes(site: Path, lang: str) -> list[str]:
    page = lxml_html.fromstring((site / lang / "data" / "index.html").read_bytes())
    return [p.text_content() for p in page.xpath("//section[@id='iati-activities-xml']//p[@class='note']")]


def localizer(graph, lang: str) -> Localizer:
    return Localizer(lang, graph.config, load_catalogues(Theme(), graph.config.languages))


# --- the IATI schema and the IATI Standard's rules ----------------------------------------------------

def test_the_fixture_export_passes_the_schema_and_every_rule(iati_file, schema):
    """0 schema errors, 0 rule errors. The only warnings (rule 1.14.8, one per activity) say the reporting
    organisation's ref does not start with a registration agency's code: the site configures none, so the file
    uses the placeholder XX-FICHEGEN-NOT-SET, which the download page says must not be registered."""
    schema.assertValid(etree.parse(str(iati_file)))
    for now in (BUILD_DATE, datetime.now(timezone.utc)):     # the rules on dates hold on the build date and since
        failures = iati_rule_failures(iati_file, now=now)
        print(f"\nIATI rule failures of the fixture export ({len(failures)}):\n{report(failures)}")
        assert [f for f in failures if f.severity != "warning"] == []
        assert [(f.rule_id, f.identifier) for f in failures] == [("1.14.8", PLACEHOLDER + p) for p in EXPORTED]


def test_with_a_publisher_identifier_the_file_has_no_warning_either(tmp_path_factory, schema):
    result = build_copy(tmp_path_factory, "iati-ref", FIXTURES / "iati", iati_reporting_org_ref="XM-DAC-99-EXAMPLE")
    path = result.out / "data" / "iati-activities.xml"
    schema.assertValid(etree.parse(str(path)))
    assert iati_rule_failures(path, now=BUILD_DATE) == []
    root = etree.parse(str(path)).getroot()
    assert root.xpath("iati-activity/iati-identifier/text()") == [f"XM-DAC-99-EXAMPLE-{p}" for p in EXPORTED]
    assert set(root.xpath("iati-activity/reporting-org/@ref")) == {"XM-DAC-99-EXAMPLE"}
    assert set(root.xpath("//related-activity/@ref")) == {"XM-DAC-99-EXAMPLE-iati-regions", "XM-DAC-99-EXAMPLE-component",
                                                          "XM-DAC-99-EXAMPLE-phase-one"}
    assert not any("XX-FICHEGEN" in note for note in download_notes(result.out, "en"))


def test_every_code_comes_from_its_iati_codelist(iati_file):
    """The IATI Validator checks codes against the codelists as well as the rules."""
    root = etree.parse(str(iati_file)).getroot()
    checks = {
        "//activity-status/@code": "ActivityStatus", "//activity-date/@type": "ActivityDateType",
        "//participating-org/@role": "OrganisationRole", "//participating-org/@type": "OrganisationType",
        "//reporting-org/@type": "OrganisationType", "//description/@type": "DescriptionType",
        "//recipient-country/@code": "Country", "//recipient-region/@vocabulary": "RegionVocabulary",
        "//recipient-region[@vocabulary='1']/@code": "Region", "//sector/@vocabulary": "SectorVocabulary",
        "//sector[@vocabulary='1']/@code": "Sector", "//location-id/@vocabulary": "GeographicVocabulary",
        "//administrative/@vocabulary": "GeographicVocabulary", "//related-activity/@type": "RelatedActivityType",
        "//result/@type": "ResultType", "//indicator/@measure": "IndicatorMeasure", "//@currency": "Currency",
        "//@default-currency": "Currency",
    }
    for path, name in checks.items():
        values = root.xpath(path)
        assert values, path                      # the fixture exercises every coded attribute
        assert [v for v in values if v not in codelist(name).codes()] == [], (path, name)


# --- which projects, and why --------------------------------------------------------------------------

def test_each_project_is_in_the_file_or_left_out_with_its_reasons(iati_site, activities):
    assert sorted(activities) == EXPORTED
    graph = iati_site.check.graph
    export = iati_activities(graph, {lang: localizer(graph, lang) for lang in LANGUAGES})
    assert export.included == EXPORTED
    assert export.left_out == LEFT_OUT_PROJECTS
    assert export.partial == PARTIAL_PROJECTS
    assert {r for reasons in export.left_out.values() for r in reasons} == set(LEFT_OUT)       # every reason is tested
    assert {r for reasons in export.partial.values() for r in reasons} == set(PARTIAL)


def test_the_download_page_lists_each_left_out_project_and_reason_in_every_language(iati_site):
    graph = iati_site.check.graph
    by_reason: dict[str, list[str]] = {}
    for project, reasons in LEFT_OUT_PROJECTS.items():
        for reason in reasons:
            by_reason.setdefault(f"data.iati.left_out.{reason}", []).append(project)
    for project, reasons in PARTIAL_PROJECTS.items():
        for reason in reasons:
            by_reason.setdefault(f"data.iati.partial.{reason}", []).append(project)
    for lang in LANGUAGES:
        loc = localizer(graph, lang)
        notes = download_notes(iati_site.out, lang)
        expected = [loc.t(key, projects=", ".join(sorted(ids))) for key, ids in by_reason.items()]
        assert sorted(notes[:-1]) == sorted(expected), lang
        assert notes[-1] == loc.t("data.iati.placeholder", ref="XX-FICHEGEN-NOT-SET")
        assert len(set(notes)) == len(notes) == len(by_reason) + 1      # each reason its own sentence, in this language
        if lang != "en":
            assert not set(notes) & set(download_notes(iati_site.out, "en"))


def test_a_project_with_nothing_iati_can_take_is_left_out_not_patched(activities, projects):
    """No sector, shares, start date, recipient or IATI role is made up for the five projects left out."""
    assert not set(LEFT_OUT_PROJECTS) & set(activities)
    assert projects["shares-missing"].countries == ["SN", "ML"] and projects["no-start"].start_date is None


# --- no invented fact ---------------------------------------------------------------------------------

def test_no_percentage_unless_the_fiche_states_it(activities, projects):
    for project_id, activity in activities.items():
        p = projects[project_id]
        stated_countries = {c.country: c.percentage for c in p.recipient_countries}
        for country in activity.findall("recipient-country"):
            percentage = country.get("percentage")
            assert (Decimal(percentage) if percentage else None) == stated_countries[country.get("code")]
        stated_sectors = {s.code: s.percentage for s in p.sector_shares}
        for sector in activity.findall("sector"):
            percentage = sector.get("percentage")
            assert (float(percentage) if percentage else None) == stated_sectors[sector.get("code")]
        stated_regions = [r.percentage for r in p.recipient_regions]
        for region in activity.findall("recipient-region"):
            assert region.get("percentage") is None or Decimal(region.get("percentage")) in stated_regions
    month = activities["month-start"]
    assert [(c.get("code"), c.get("percentage")) for c in month.findall("recipient-country")] == [("CV", "70"), ("SN", "30")]
    assert [(s.get("code"), s.get("percentage")) for s in month.findall("sector")] == [("15190", "60"), ("16020", "40")]
    assert [(c.get("code"), c.get("percentage")) for c in activities["ten-months"].findall("recipient-country")] == [("SN", None)]
    assert [(s.get("code"), s.get("percentage"), s.get("vocabulary")) for s in activities["ten-months"].findall("sector")] == [
        ("16020", None, "1")]


def test_no_budget_over_twelve_months_nor_between_days_the_fiche_does_not_state(activities, projects):
    budgets = {}
    for project_id, activity in activities.items():
        p = projects[project_id]
        stated = {(p.start_date, p.end_date)} | {(ph.start_date, ph.end_date) for ph in p.phases}
        for budget in activity.findall("budget"):
            start = date.fromisoformat(budget.find("period-start").get("iso-date"))
            end = date.fromisoformat(budget.find("period-end").get("iso-date"))
            assert (end - start).days <= 365
            assert (FuzzyDate.parse(start.isoformat()), FuzzyDate.parse(end.isoformat())) in stated   # days as stated
            value = budget.find("value")
            assert value.get("value-date") == start.isoformat()
            assert (budget.get("type"), budget.get("status")) == (None, None)    # original? indicative? not stated
            budgets.setdefault(project_id, []).append((start.isoformat(), end.isoformat(), value.get("currency"), Decimal(value.text)))
    assert budgets == {
        "ten-months": [("2023-03-01", "2023-12-31", "USD", Decimal("250000"))],       # ten months stated to the day
        "component": [("2024-09-01", "2025-08-31", "EUR", Decimal("50000"))],          # 364 days
        "iati-regions": [("2023-07-01", "2024-06-30", "EUR", Decimal("300000"))],      # its phase 2; not eligible costs, not phase 3 (months)
    }                                                            # not phase-one's: 18 months, though stated to the day
    # month-start's CHF 1,200,000 over 2021-12 to 2025-05 is only in words, as is iati-regions' eligible costs
    assert "Budget: CHF\u00a01,200,000.00." in narratives(activities["month-start"].find("description[@type='4']"))["en"]
    assert "Eligible costs: €900,000.00." in narratives(activities["iati-regions"].find("description[@type='4']"))["en"]


def test_default_currency_is_the_budgets_and_every_value_names_its_own(activities):
    currencies = {p: a.get("default-currency") for p, a in activities.items()}
    assert currencies == {"component": "EUR", "hostile-text": None, "iati-regions": "EUR", "month-start": "CHF",
                          "phase-one": "EUR", "ten-months": "USD", "year-only": None}
    for activity in activities.values():
        assert all(v.get("currency") for v in activity.iter("value"))


def test_no_date_more_precise_than_stated_without_a_narrative_saying_so(activities, projects):
    for project_id, activity in activities.items():
        p = projects[project_id]
        for element in activity.findall("activity-date"):
            stated = p.start_date if element.get("type") in ("1", "2") else p.end
            said = narratives(element)
            if stated.precision == "day" and not (element.get("type") in ("3", "4") and p.end_is_derived):
                assert element.get("iso-date") == str(stated) and said == {}
            else:
                assert set(said) == set(LANGUAGES) and all(str(stated) in text for text in said.values()), said
    year = activities["year-only"].findall("activity-date")
    assert [(d.get("type"), d.get("iso-date")) for d in year] == [("2", "2010-01-01"), ("4", "2011-12-31")]
    assert narratives(year[0])["en"] == "The source gives only the year: 2010."
    month = activities["month-start"].findall("activity-date")
    assert [(d.get("type"), d.get("iso-date")) for d in month] == [("2", "2021-12-01"), ("3", "2025-05-31")]
    assert narratives(month[0])["fr"] == "La source ne donne que le mois : décembre 2021 (2021-12)."
    derived = activities["iati-regions"].findall("activity-date")[1]
    assert (derived.get("type"), derived.get("iso-date")) == ("3", "2025-06-30")       # planned: derived from 42 months
    assert narratives(derived)["en"] == ("The source gives a duration of 42 months from the start: this end, "
                                         "June 2025 (2025-06), is derived from it.")


@pytest.mark.parametrize("project, status, dates", [
    ("ten-months", "4", [("2", "2023-03-01"), ("4", "2023-12-31")]),     # closed: actual start and end
    ("component", "1", [("1", "2024-09-01"), ("3", "2025-08-31")]),      # planned: in the future
    ("hostile-text", "2", [("2", "2020-01-01")]),                        # no end date: none is invented
    ("month-start", "2", [("2", "2021-12-01"), ("3", "2025-05-31")]),    # stated ongoing
])
def test_status_and_dates_follow_the_fiche_and_the_build_date(activities, project, status, dates):
    activity = activities[project]
    assert activity.find("activity-status").get("code") == status
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == dates


def test_recipients_only_as_stated_never_other_countries(activities, projects):
    for project_id, activity in activities.items():
        p = projects[project_id]
        assert [c.get("code") for c in activity.findall("recipient-country")] == p.country_codes
        assert not {o.country for o in p.other_countries} & {c.get("code") for c in activity.findall("recipient-country")}
    assert activities["ten-months"].xpath("recipient-country/@code") == ["SN"]          # FR is its donor
    assert activities["month-start"].xpath("recipient-country/@code") == ["CV", "SN"]   # CH is its donor


def test_regions_by_their_vocabulary_and_none_without_a_code(activities):
    def regions(project_id):
        return [(r.get("vocabulary"), r.get("code"), r.get("percentage")) for r in activities[project_id].findall("recipient-region")]

    assert regions("year-only") == [("2", "014", None)]                               # UN M49, the only recipient
    assert regions("iati-regions") == [("1", "1027", "40"), ("1", "289", "60")]        # iati-1027, and sahel's iati_region
    assert regions("month-start") == []                                                # mediterranean has no code


def test_the_stated_contribution_is_in_the_file_with_its_provider(activities):
    """IATI would take the contribution as an incoming commitment (TransactionType 11), but a transaction needs a
    date and a value-date and the fiche gives none: the amount is said in words, its funder is a funding org."""
    activity = activities["ten-months"]
    funders = [(o.get("ref"), o.get("type"), narratives(o)["en"]) for o in activity.findall("participating-org[@role='1']")]
    assert funders == [("XM-EXAMPLE-MFA", "10", "Ministry of Foreign Affairs")]
    words = narratives(activity.find("description[@type='4']"))
    assert words["en"] == ("Budget: $250,000.00.\n"
                           "Funding: Ministry of Foreign Affairs – contributes $200,000.00; “Grant of USD 200,000”.")
    assert "Ministère des Affaires étrangères – contribue à hauteur de 200\u202f000,00\xa0$US" in words["fr"]
    for a in activities.values():
        assert a.find("transaction") is None and a.find("planned-disbursement") is None


def test_allocated_and_disbursed_amounts_are_said_as_such(activities):
    words = narratives(activities["month-start"].find("description[@type='4']"))["en"].splitlines()
    assert words == ["Budget: CHF\u00a01,200,000.00.",
                     "Funding: Swiss Development Agency, Mobility Facility – CHF\u00a0500,000.00 allocated so far.",
                     "Funding: Swiss Development Agency – CHF\u00a0200,000.00 disbursed so far.",
                     "Funding: Mobility Facility, Solidarity Fund – 10% of the budget."]
    # the funder named by funding sources, once, with its IATI id (written with spaces in its fiche) and type
    assert [(o.get("role"), o.get("ref"), o.get("type")) for o in activities["month-start"].findall("participating-org")
            if o.get("ref")] == [("1", "XM-EXAMPLE-SDA", "10")]


def test_an_unspecified_amount_is_never_a_budget_or_a_commitment(activities):
    activity = activities["year-only"]
    assert activity.find("budget") is None and activity.find("transaction") is None
    assert activity.get("default-currency") is None
    assert narratives(activity.find("description[@type='4']"))["en"] == (
        "Funding: European Commission – €300,000.00, which the source does not say is the total or this source's share.")


# --- organisations ------------------------------------------------------------------------------------

def test_participating_orgs_for_each_of_their_iati_roles(activities):
    orgs = [(o.get("role"), o.get("ref"), o.get("type"), narratives(o)) for o in activities["ten-months"].findall("participating-org")]
    assert orgs == [
        ("2", None, None, {"fr": "Association Kaolack Solidarité"}),     # lead → accountable; a name in one language
        ("4", None, None, {"fr": "Association Kaolack Solidarité"}),     # implementing
        ("4", None, "80", {"en": "University of Dakar", "fr": "Université de Dakar"}),    # partner → implementing
        ("3", None, "80", {"en": "University of Dakar", "fr": "Université de Dakar"}),    # extending
        ("1", "XM-EXAMPLE-MFA", "10", {"fr": "Ministère des Affaires étrangères", "en": "Ministry of Foreign Affairs"}),
    ]                                                                      # the funder is not repeated for its source
    assert ORGANISATION_TYPE["higher-education"] == "80"
    both = [(o.get("role"), o.get("type")) for o in activities["iati-regions"].findall("participating-org")]
    assert both == [("1", "40"), ("2", "40")]


def test_participants_without_a_fiche_are_narrative_only(activities):
    orgs = activities["month-start"].findall("participating-org")
    assert [(o.get("role"), o.get("ref"), narratives(o)) for o in orgs[:3]] == [
        ("4", None, {"fr": "Réseau des municipalités du Sénégal"}),       # a name the same in every language
        ("4", None, {"en": "12 organisations the source does not name", "fr": "12 organisations que la source ne nomme pas",
                     "es": "12 organizaciones que la fuente no nombra", "pt": "12 organizações que a fonte não nomeia"}),
        ("4", None, {"fr": "Communes rurales (8)", "en": "Rural municipalities (8)"}),
    ]


def test_associated_partners_are_left_out_and_beneficiaries_are_target_groups(activities):
    assert "Diaspora Network" not in etree.tostring(activities["month-start"], encoding="unicode")
    groups = narratives(activities["month-start"].find("description[@type='3']"))
    assert groups["en"] == "Organisations the project supports: Village groups (30).\nTarget groups: Migrants; Returnees."
    assert groups["fr"] == ("Organisations que le projet soutient : Groupements villageois (30).\n"
                            "Groupes cibles : Personnes migrantes ; Personnes de retour.")
    ten = narratives(activities["ten-months"].find("description[@type='3']"))
    assert ten["fr"].startswith("Organisations que le projet soutient : Coopérative des femmes de Thiès.")
    assert "Thiès Women's Cooperative" not in [narratives(o).get("en") for o in activities["ten-months"].findall("participating-org")]


# --- texts ---------------------------------------------------------------------------------------------

def test_titles_and_descriptions_in_every_language_they_are_written_in(activities):
    ten = activities["ten-months"]
    assert ten.get(XML_LANG) == "en"
    assert narratives(ten.find("title")) == {"en": "Ten months & <one> budget", "fr": "Dix mois et un budget"}
    assert narratives(ten.find("description[@type='1']")) == {
        "en": "A ten-month project in Kaolack.\n\nIt has a budget for one period.\n\nAnd results.",   # Markdown reduced to words
        "fr": "Un projet de dix mois à Kaolack."}
    assert narratives(ten.find("description[@type='2']")) == {"en": "Train entrepreneurs\nOnly in English",
                                                               "fr": "Former des entrepreneurs"}
    year = activities["year-only"]
    assert year.get(XML_LANG) == "es"
    assert [n.get(XML_LANG) for n in year.find("title").findall("narrative")] == ["es", "en"]      # the original first
    assert narratives(year.find("reporting-org")) == {"en": "IATI test site", "fr": "Site de test IATI",
                                                       "es": "Sitio de prueba IATI", "pt": "Sítio de teste IATI"}


def test_hostile_text_is_escaped_and_reads_back_unchanged(iati_file, activities):
    raw = iati_file.read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw and "<b>" not in raw
    assert narratives(activities["hostile-text"].find("title"))["en"] == "</script><script>alert('x')</script> & \"quoted\""
    assert narratives(activities["hostile-text"].find("participating-org"))["en"] == "<b>Unnamed</b> & co"


# --- relations, results, places -----------------------------------------------------------------------

def test_phases_and_parts_are_parent_and_child_activities(activities):
    def related(project_id):
        return [(r.get("ref").removeprefix(PLACEHOLDER), r.get("type")) for r in activities[project_id].findall("related-activity")]

    assert related("iati-regions") == [("component", "2"), ("phase-one", "2")]   # part_of, and its phase with a fiche
    assert related("phase-one") == [("iati-regions", "1")]
    assert related("component") == [("iati-regions", "1")]
    assert related("year-only") == []                        # iati-regions follows it: IATI has no such relation


def test_results_with_indicators_and_only_faithful_periods(activities):
    results = activities["ten-months"].findall("result")
    assert len(results) == 1                                  # the result without level or indicator is left out
    result = results[0]
    assert result.get("type") == "1" and narratives(result.find("title"))["fr"] == "Entrepreneurs formés"
    trained, women = result.findall("indicator")
    assert trained.get("measure") == "1"
    assert [(b.get("year"), b.get("value")) for b in trained.findall("baseline")] == [("2022", "10")]
    assert [(p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"), p.find("target").get("value"),
             p.find("actual").get("value")) for p in trained.findall("period")] == [("2023-03-01", "2023-12-31", "100", "80")]
    # a percentage: its baseline has no year and its actual value is known only to the month: both left out
    assert women.get("measure") == "2" and women.find("baseline") is None
    assert [(p.find("target").get("value"), p.find("actual")) for p in women.findall("period")] == [("50", None)]


def test_places_are_locations_with_their_gazetteer_and_coordinates(activities):
    kaolack, thies = activities["ten-months"].findall("location")
    assert kaolack.find("location-id").attrib == {"vocabulary": "G1", "code": "2250805"}
    assert narratives(kaolack.find("name")) == {"en": "Kaolack"}
    assert kaolack.find("administrative").attrib == {"vocabulary": "A4", "code": "SN"}
    point = kaolack.find("point")
    assert point.get("srsName") == "http://www.opengis.net/def/crs/EPSG/0/4326" and point.findtext("pos") == "14.146 -16.0726"
    assert thies.find("location-id") is None and thies.find("point") is None     # Wikidata has no IATI vocabulary


# --- the showcase --------------------------------------------------------------------------------------

def test_the_showcase_export_is_faithful_or_says_why_not(showcase_site, schema):
    """Every showcase project is in the file, which then passes the schema and the rules without error, or listed
    on the download page, in each language, with the reasons exports/iati_facts.py gives. (Today's showcase
    states no sector, so no project is in the file yet, and there is no file.)"""
    graph = check(REPO).graph
    facts = {p: project_facts(graph, graph.projects[p], ORGANISATION_TYPE) for p in graph.projects}
    path = showcase_site / "data" / "iati-activities.xml"
    included = sorted(p for p, f in facts.items() if not f.left_out)
    if included:
        schema.assertValid(etree.parse(str(path)))
        assert [f for f in iati_rule_failures(path) if f.severity != "warning"] == []
        assert etree.parse(str(path)).getroot().xpath("iati-activity/iati-identifier/text()") == [
            f"XX-FICHEGEN-NOT-SET-{p}" for p in included]
    else:
        assert not path.exists()
    for lang in LANGUAGES:
        loc = localizer(graph, lang)
        notes = download_notes(showcase_site, lang)
        for reason in LEFT_OUT:
            ids = sorted(p for p, f in facts.items() if reason in f.left_out)
            assert (loc.t(f"data.iati.left_out.{reason}", projects=", ".join(ids)) in notes) == bool(ids), (lang, reason)
        assert loc.t("data.iati.placeholder", ref="XX-FICHEGEN-NOT-SET") in notes



# --- incremental builds ----------------------------------------------------------------------------------

def test_an_incremental_build_ends_with_the_file_and_notes_a_cold_build_makes(tmp_path):
    """Activities are kept as pieces between builds: an edited fiche's is made again, and a project that leaves the
    file changes the related activities of the others."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "iati", root)
    cache = root / ".fichegen-cache"
    assert build(root, search=False, cache_dir=cache).ok

    def rebuild_and_compare(name: str) -> Path:
        result = build(root, search=False, cache_dir=cache)
        assert result.ok and result.incremental
        cold = build(root, tmp_path / name, search=False)
        assert cold.ok
        made = root / "site" / "data" / "iati-activities.xml"
        assert made.read_bytes() == (tmp_path / name / "data" / "iati-activities.xml").read_bytes()
        for lang in LANGUAGES:
            assert download_notes(root / "site", lang) == download_notes(tmp_path / name, lang)
        return made

    project = root / "content" / "projects" / "ten-months.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace("Ten months & <one> budget", "Ten months, one budget"),
                       encoding="utf-8")
    assert "Ten months, one budget" in rebuild_and_compare("cold-title").read_text(encoding="utf-8")

    component = root / "content" / "projects" / "component.yaml"
    component.write_text(component.read_text(encoding="utf-8").replace('sectors: ["15190"]\n', ""), encoding="utf-8")
    made = rebuild_and_compare("cold-left-out").read_text(encoding="utf-8")
    assert "NOT-SET-component" not in made            # neither its activity nor iati-regions' link to it
    assert any(note.endswith(": component, no-sector.") for note in download_notes(root / "site", "en"))
