"""fichegen.codelists: the official IATI codelists shipped in the package, read as immutable data."""

from __future__ import annotations

import dataclasses
import fnmatch
import tomllib
from pathlib import Path

import pytest

import fichegen.codelists as codelists
from fichegen.codelists import Codelist, codelist, name, parse_codelist
from shared_data import shared_path

PACKAGE = Path(codelists.__file__).parent
REPO = Path(__file__).resolve().parents[1]
#: The codelists the content model and the IATI export need.
NEEDED = ("Sector", "SectorCategory", "SectorVocabulary", "Region", "RegionVocabulary", "OrganisationRole",
          "OrganisationType", "ActivityStatus", "ActivityDateType", "BudgetType", "BudgetStatus",
          "TransactionType", "RelatedActivityType", "ResultType", "IndicatorMeasure", "Currency", "Country",
          "Language", "GeographicVocabulary", "GeographicExactness", "GeographicLocationClass", "LocationType",
          "DescriptionType")


def test_the_sector_codelist_names_migration_codes_in_english_and_french():
    sector = codelist("Sector")
    assert sector.name("15190") == "Facilitation of orderly, safe, regular and responsible migration and mobility"
    assert sector.name("15190", "fr") == ("Faciliter la migration et la mobilité de façon ordonnée, sans danger, "
                                          "régulière et responsable")
    assert (sector.name("15136"), sector.name("15136", "fr")) == ("Immigration", "Immigration")
    item = sector["15190"]
    assert (item.code, item.category, item.withdrawn) == ("15190", "151", False)
    assert item.description().startswith("Assistance to developing countries that facilitates the orderly")
    assert item.description("fr").startswith("Aide apportée aux pays en développement")
    assert codelist("SectorCategory").name("151", "fr") == "Gouvernement & Société Civile-général"


def test_a_withdrawn_code_is_flagged_and_left_out_of_the_current_codes():
    sector = codelist("Sector")
    withdrawn = sector["11321"]                      # "Lower secondary education", withdrawn 2019-12-31
    assert withdrawn.withdrawn and withdrawn.name() == "Lower secondary education"
    assert "11321" not in sector.codes() and "11321" in sector.codes(withdrawn=True)
    assert "11321" in sector                         # old data may still use it
    assert codelist("Region")["380"].withdrawn and not codelist("Region")["1027"].withdrawn
    assert len(sector.codes(withdrawn=True)) == len(sector.items) > len(sector.codes())


def test_region_1027_and_the_region_vocabularies():
    assert codelist("Region").name("1027") == "Eastern Africa, regional"
    assert codelist("Region").name("1027", "fr") == "Afrique de l'est, régional"
    vocabulary = codelist("RegionVocabulary")
    assert vocabulary.codes() == ("1", "2", "99")
    assert vocabulary.name("1") == "OECD DAC" and vocabulary.name("2").startswith("UN")


def test_organisation_roles_1_to_4():
    roles = codelist("OrganisationRole")
    assert roles.codes() == ("1", "2", "3", "4")
    assert [roles.name(code) for code in roles.codes()] == ["Funding", "Accountable", "Extending", "Implementing"]
    assert [roles.name(code, "fr") for code in roles.codes()] == ["Financement", "Responsabilité", "Octroi",
                                                                   "Mise en œuvre"]
    assert roles["4"].description("fr") == "L'organisation qui exécute physiquement l'activité ou l'intervention."


def test_names_per_language_fall_back_to_english():
    status = codelist("ActivityStatus")
    assert status.languages() == ("en", "fr")
    assert status.name("2", "fr") == "Actif"
    assert status.name("2", "es") == status.name("2", "en") == status.name("2") == "Implementation"
    assert status.name("2", "FR-be") == "Actif"           # a regional tag falls back to its language
    country = codelist("Country")                                # English only: pages name countries from CLDR
    assert country.languages() == ("en",)
    assert country.name("SN", "fr") == country.name("SN") == "Senegal"
    assert name("BudgetType", "1", "fr") == "Original"
    # An unlabelled narrative is English, the codelist's own xml:lang; an explicit xml:lang="en" one too.
    assert codelist("BudgetType")["1"].names == {"en": "Original", "fr": "Original"}


def test_unknown_codes_and_codelists_are_key_errors_that_say_which():
    with pytest.raises(KeyError, match="'99999' is not a code of the IATI Sector codelist"):
        codelist("Sector").name("99999")
    with pytest.raises(KeyError, match="fichegen ships no IATI codelist named 'Sectors'; it has ActivityDateType"):
        codelist("Sectors")
    with pytest.raises(KeyError):
        codelist("../embedded/Sector")


def test_codelists_are_immutable_and_read_once():
    sector = codelist("Sector")
    assert codelist("Sector") is sector
    assert isinstance(sector.items, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sector.items = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        sector["15190"].withdrawn = True
    with pytest.raises(TypeError):
        sector.by_code["1"] = sector["15190"]
    with pytest.raises(TypeError):
        sector["15190"].names["de"] = "Migration"


def test_every_needed_codelist_is_shipped_and_every_shipped_file_parses():
    assert set(NEEDED) <= set(codelists.available())
    for codelist_name in codelists.available():
        parsed = codelist(codelist_name)
        assert isinstance(parsed, Codelist) and parsed.id == codelist_name
        assert parsed.items and len(parsed.by_code) == len(parsed.items), codelist_name
        assert all(item.names.get("en") for item in parsed.items), codelist_name
        if parsed.category_codelist:
            assert parsed.category_codelist in codelists.available(), codelist_name
    embedded = {p.stem for p in (PACKAGE / "embedded").glob("*.xml")}
    assert {n for n in codelists.available() if codelist(n).embedded} == embedded


def test_categories_are_codes_of_the_category_codelist():
    for codelist_name in ("Sector", "LocationType", "DocumentCategory"):
        parsed = codelist(codelist_name)
        categories = codelist(parsed.category_codelist)
        assert {item.category for item in parsed.items} <= set(categories.codes(withdrawn=True)), codelist_name


def test_a_file_with_a_dtd_is_refused_and_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    external = (f'<!DOCTYPE codelist [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
                '<codelist name="X"><codelist-items><codelist-item><code>1</code>'
                '<name><narrative>&e;</narrative></name></codelist-item></codelist-items></codelist>')
    with pytest.raises(ValueError, match="a codelist file has no DTD"):
        parse_codelist(external.encode())
    with pytest.raises(ValueError, match="not an IATI codelist: the root element is <html>"):
        parse_codelist(b"<html/>")


def test_parsing_is_a_pure_function_of_the_bytes():
    data = (PACKAGE / "embedded" / "OrganisationRole.xml").read_bytes()
    assert parse_codelist(data) == parse_codelist(data) == codelist("OrganisationRole")


def test_the_package_data_ships_every_codelist_file():
    """A file the package-data globs of pyproject.toml miss would be absent from the wheel."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["fichegen.codelists"]
    data_files = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert len(data_files) == len(codelists.available()) + 3         # two licences and the README
    assert [f for f in data_files if not any(fnmatch.fnmatch(f, g) for g in globs)] == []


def test_the_readme_says_where_the_files_come_from():
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    for fact in ("IATI/IATI-Codelists", "version-2.03, commit 75e827b", "2024-03-11",
                 "IATI/IATI-Codelists-NonEmbedded", "commit 7aeece7", "2026-06-22", "LICENSE-embedded",
                 "LICENSE-non-embedded", f"{len(codelists.available())} of the 70 codelists"):
        assert fact in readme


def test_the_shipped_files_are_verbatim_copies_of_the_official_ones():
    source = shared_path("iati-codelists")
    if source is None:
        pytest.skip("shared/iati-codelists is absent (neither ../shared beside the clone nor /work/shared)")
    for path in sorted(PACKAGE.glob("*/*.xml")) + sorted(PACKAGE.glob("LICENSE-*")):
        relative = path.relative_to(PACKAGE)
        assert path.read_bytes() == (source / relative).read_bytes(), relative
