"""schema.org JSON-LD in every fiche page: parseable, typed by kind, localized, and unable to break the page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from fichegen.build import build
from fichegen.render.jsonld import script_json
from fichegen.models import FOLDERS

FIXTURES = Path(__file__).parent / "fixtures"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
TYPES = {"project": {"Project"}, "strategy": {"CreativeWork"}, "discussion": {"DiscussionForumPosting"},
         "organisation": {"Organization", "GovernmentOrganization", "NGO", "CollegeOrUniversity",
                          "ResearchOrganization", "EducationalOrganization"}}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("jsonld") / "project"
    shutil.copytree(FIXTURES / "exports", root)
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return root / "site"


def jsonld(site: Path, lang: str, kind: str, fiche_id: str) -> dict:
    html = (site / lang / FOLDERS[kind] / fiche_id / "index.html").read_text(encoding="utf-8")
    blocks = BLOCK.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_every_showcase_fiche_page_has_one_parseable_block_of_its_type(showcase_site):
    seen = 0
    for kind, folder in FOLDERS.items():
        for page in sorted((showcase_site / "en" / folder).glob("*/index.html")):
            for lang in ("en", "fr", "es", "pt"):
                path = showcase_site / lang / folder / page.parent.name / "index.html"
                blocks = BLOCK.findall(path.read_text(encoding="utf-8"))
                assert len(blocks) == 1, path
                data = json.loads(blocks[0])
                assert data["@context"] == "https://schema.org"
                assert data["@type"] in TYPES[kind], (path, data["@type"])
                assert data["mainEntityOfPage"] == {"@type": "WebPage", "inLanguage": lang,
                                                    "@id": f"https://fichegen.example.org/{lang}/{folder}/{page.parent.name}/"}
                seen += 1
    assert seen >= 4 * 25


def test_list_pages_have_no_fiche_json_ld(showcase_site):
    assert not BLOCK.findall((showcase_site / "en" / "projects" / "index.html").read_text(encoding="utf-8"))


def test_a_project_names_its_funder_members_countries_and_dates(site):
    data = jsonld(site, "fr", "project", "full-project")
    assert data["name"] == "Un projet complet" and data["alternateName"] == "FULL"
    assert data["description"] == "Il a tout."
    assert (data["startDate"], data["endDate"]) == ("2019-03-04", "2021-02-28")
    assert [o["@id"] for o in data["funder"]] == ["https://data.example.org/kb/en/organisations/ministry-of-labour/#organisation"]
    assert data["funder"][0]["@type"] == "GovernmentOrganization"
    assert [(o["@type"], o["url"]) for o in data["member"]] == [("NGO", "https://data.example.org/kb/fr/organisations/ngo-north/")]
    assert [(c["identifier"], c["name"]) for c in data["areaServed"]] == [("SN", "Sénégal"), ("ML", "Mali"), ("FR", "France")]
    assert [g["amount"] for g in data["funding"]] == [{"@type": "MonetaryAmount", "currency": "EUR", "value": 750000.0}]
    assert data["sameAs"] == ["https://full.example.org/"]
    assert data["identifier"] == [{"@type": "PropertyValue", "propertyID": "grant-agreement", "value": "GA-1"}]


def test_the_same_fiche_has_one_identity_in_every_language(site):
    assert jsonld(site, "en", "project", "full-project")["@id"] == jsonld(site, "fr", "project", "full-project")["@id"]


def test_text_from_another_language_is_tagged_with_its_own(site):
    """The English page of a French-only fiche shows French text, and says so to machines too."""
    data = jsonld(site, "en", "project", "year-only")
    assert data["name"] == {"@value": "Projet connu à l'année près", "@language": "fr"}
    assert data["description"]["@language"] == "fr"


def test_an_organisation_gets_its_address_type_and_identifiers(site):
    data = jsonld(site, "en", "organisation", "ngo-north")
    assert data["@type"] == "NGO"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "SN", "addressLocality": "Dakar"}
    assert data["name"] == "North & South <Association>" and data["alternateName"] == ["NSA"]
    ministry = jsonld(site, "en", "organisation", "ministry-of-labour")
    assert ministry["@type"] == "GovernmentOrganization"
    assert ministry["identifier"] == [{"@type": "PropertyValue", "propertyID": "iati", "value": "FR-GOV-LABOUR"}]


def test_a_strategy_is_a_creative_work_with_coverage_and_publisher(site):
    data = jsonld(site, "fr", "strategy", "national-strategy")
    assert data["@type"] == "CreativeWork" and data["inLanguage"] == "fr"
    assert data["temporalCoverage"] == "2018/2025"
    assert data["spatialCoverage"] == [{"@type": "Country", "name": "Sénégal", "identifier": "SN"}]
    assert [o["@id"].rsplit("/", 2)[-2] for o in data["publisher"]] == ["ministry-of-labour"]
    assert data["about"] == [{"@type": "DefinedTerm", "name": "Transferts de fonds", "termCode": "remittances"}]


def test_a_discussion_carries_its_contributions_as_comments(site):
    data = jsonld(site, "en", "discussion", "online-debate")
    assert data["@type"] == "DiscussionForumPosting" and data["commentCount"] == 2
    first, second = data["comment"]
    assert first["inLanguage"] == "fr" and first["text"] == "Les transferts comptent."
    assert first["author"]["@type"] == "Person" and first["author"]["name"] == "Awa Diop"
    assert first["author"]["affiliation"]["url"] == "https://data.example.org/kb/en/organisations/ngo-north/"
    assert first["dateCreated"] == "2013-07-10"
    assert first["url"].endswith("/online-debate/#contribution-1")
    assert second["inLanguage"] == "en" and "author" not in second
    assert second["text"] == "Unsigned </script> contribution."   # the words the page shows: raw HTML as text


def test_fiche_text_cannot_close_the_script_element(site):
    html = (site / "en" / "projects" / "hostile-text" / "index.html").read_text(encoding="utf-8")
    block = BLOCK.findall(html)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["name"] == "</script><script>alert('x')</script> & \"quoted\""
    assert html.count("<script") == html.count("</script>")


def test_script_json_escapes_markup_characters_and_line_separators():
    text = str(script_json({"a": "</script>&<!--\u2028"}))
    assert text == '{"a": "\\u003c/script\\u003e\\u0026\\u003c!--\\u2028"}'
    assert json.loads(text) == {"a": "</script>&<!--\u2028"}
