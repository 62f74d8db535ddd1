"""Open data under /data/: complete records that read back into the models, a flat CSV, a download page."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html as lxml_html

from fichegen.build import build
from fichegen.check import check
from fichegen.exports.records import RECORD_EXTRAS, fiche_from_record
from fichegen.exports.table import columns, safe_cell
from fichegen.models.funding import FundingSource
from fichegen.models import FICHE_TYPES, FOLDERS, Project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The edge-case fixture, copied out of the repository (so no git history applies) and built."""
    root = tmp_path_factory.mktemp("exports") / "project"
    shutil.copytree(FIXTURES / "exports", root)
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return result


def data(site: Path, name: str):
    return json.loads((site / "data" / name).read_text(encoding="utf-8"))


def csv_rows(site: Path) -> list[dict]:
    text = (site / "data" / "projects.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- JSON records ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(FICHE_TYPES))
def test_every_showcase_fiche_survives_model_to_json_to_model(showcase_site, kind):
    """What a reuser downloads is the fiche itself: reading a record back gives the very same model."""
    graph = check(REPO).graph
    records = data(showcase_site, f"{FOLDERS[kind]}.json")["records"]
    assert [r["id"] for r in records] == sorted(graph.fiches[kind])
    for record in records:
        assert fiche_from_record(kind, record) == graph.fiches[kind][record["id"]]


def test_edge_case_fiches_survive_the_round_trip_too(exports):
    """Decimals, partial dates, empty optional fields and hostile text come back unchanged."""
    graph = exports.check.graph
    for kind in FICHE_TYPES:
        for record in data(exports.out, f"{FOLDERS[kind]}.json")["records"]:
            again = fiche_from_record(kind, record)
            assert again == graph.fiches[kind][record["id"]]
            assert again.model_dump(mode="json") == graph.fiches[kind][record["id"]].model_dump(mode="json")


def test_a_record_holds_every_model_field_plus_id_urls_and_derived(exports):
    """Complete means every field, even empty ones, so columns do not come and go between records."""
    for kind, model in FICHE_TYPES.items():
        for record in data(exports.out, f"{FOLDERS[kind]}.json")["records"]:
            assert set(record) == set(model.model_fields) | set(RECORD_EXTRAS)


def test_derived_facts_are_kept_apart_and_say_what_was_computed(exports):
    records = {r["id"]: r for r in data(exports.out, "projects.json")["records"]}
    full = records["full-project"]
    assert full["budget"] is None                                      # the fiche states no budget…
    budget = full["derived"]["funding"]["budget"]
    assert budget == {"amount": "1000000.00", "currency": "EUR", "computed": True}  # …derived from 750000 at 75 %
    assert full["derived"]["funding"]["sources"] == [{"amount": "750000.00", "currency": "EUR", "share": "75", "computed": []}]
    assert full["derived"]["funding"]["contributions_by_currency"] == {"EUR": "750000.00"}
    assert full["derived"]["status"] == "closed"
    assert full["derived"]["status_date"] == "2024-06-15"
    assert records["planned-project"]["derived"]["status"] == "planned"
    assert records["no-dates"]["derived"]["status"] is None
    assert records["no-dates"]["derived"]["funding"]["budget"] is None
    assert {"kind": "project", "id": "year-only", "relation": "part_of", "detail": None} in full["derived"]["backlinks"]


def test_urls_are_absolute_and_lead_to_built_pages(exports):
    base = "https://data.example.org/kb/"
    for kind in FICHE_TYPES:
        for record in data(exports.out, f"{FOLDERS[kind]}.json")["records"]:
            assert set(record["urls"]) == {"en", "fr"}
            for url in record["urls"].values():
                assert url.startswith(base)
                assert (exports.out / url.removeprefix(base) / "index.html").is_file()


def test_each_fiche_has_its_own_file_equal_to_its_record(exports):
    for kind in FICHE_TYPES:
        for record in data(exports.out, f"{FOLDERS[kind]}.json")["records"]:
            assert data(exports.out, f"{FOLDERS[kind]}/{record['id']}.json") == record


def test_collections_carry_licence_and_build_date(exports):
    projects = data(exports.out, "projects.json")
    assert projects["licence"] == {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    assert projects["build_date"] == "2024-06-15" and projects["kind"] == "project"


def test_vocabularies_file_has_every_term_in_every_language(exports):
    vocabularies = data(exports.out, "vocabularies.json")["vocabularies"]
    assert sorted(vocabularies) == ["organisation-types", "programmes", "themes"]
    assert vocabularies["programmes"]["fund-with-funder"]["funder"] == "ministry-of-labour"
    assert vocabularies["themes"]["remittances"]["label"] == {"en": "Remittances", "fr": "Transferts de fonds"}


def test_json_files_are_stable_text_with_sorted_keys(exports):
    """Same input, same bytes: keys sorted, fixed indentation, one final newline."""
    for path in sorted((exports.out / "data").rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, indent=2) + "\n", path


def test_building_twice_gives_the_same_bytes(exports, tmp_path):
    again = build(exports.check.root, tmp_path / "again", search=False)
    assert again.ok
    produced = [p for p in exports.out.rglob("*") if p.is_file() and (p.suffix in (".json", ".csv", ".xml") or p.name == "robots.txt")]
    assert len(produced) > 20
    for path in produced:
        rel = path.relative_to(exports.out)
        assert (tmp_path / "again" / rel).read_bytes() == path.read_bytes(), rel


# --- CSV -----------------------------------------------------------------------------------

def test_csv_has_one_row_per_project_with_a_column_per_language(exports):
    rows = csv_rows(exports.out)
    assert [r["id"] for r in rows] == sorted(exports.check.graph.projects)
    full = next(r for r in rows if r["id"] == "full-project")
    assert (full["title_en"], full["title_fr"]) == ("A full project", "Un projet complet")
    assert full["countries"] == "SN; ML; FR"
    assert full["objectives_en"] == "Channel remittances; Only in English"
    assert full["objectives_fr"] == "Orienter les transferts"
    assert full["participants"] == "ngo-north (lead)"
    assert full["derived_budget"] == "1000000.00 EUR" and full["budget_amount"] == ""
    assert full["funding"] == "programme=fund-with-funder amount=750000.00 currency=EUR share=75 (contribution)"
    assert full["url_fr"] == "https://data.example.org/kb/fr/projects/full-project/"
    assert full["description_en"] == "First paragraph.\n\nSecond paragraph."


def test_csv_cells_never_start_a_spreadsheet_formula(exports):
    """Fiche text is untrusted: = + - @ at the start of a cell would run in a spreadsheet."""
    hostile = next(r for r in csv_rows(exports.out) if r["id"] == "hostile-text")
    assert hostile["acronym_en"] == "'=1+2"
    assert hostile["title_fr"] == "'@SUM(A1) <b>gras</b>"
    assert hostile["summary_en"].startswith("'-2+3 ")
    for row in csv_rows(exports.out):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_safe_cell_leaves_ordinary_text_alone():
    assert safe_cell("2021-12") == "2021-12"
    assert safe_cell("a = b") == "a = b"
    assert safe_cell("+33 1 23") == "'+33 1 23"
    assert safe_cell("\t=cmd") == "'\t'=cmd"   # a reader splitting on tabs sees the second cell too


def test_csv_is_utf8_with_crlf_rows_and_a_header(exports):
    raw = (exports.out / "data" / "projects.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    header = raw.split(b"\r\n", 1)[0].decode("utf-8")
    assert header.startswith("id,url_en,url_fr,acronym_en,acronym_fr,title_en,title_fr")
    assert "Projet connu à l'année près" in raw.decode("utf-8")


def test_every_project_field_has_a_csv_column():
    """Adding a field to the model without a column would silently drop it from the spreadsheet."""
    sources = {c.source.split(".")[0] for c in columns(["en", "fr"])}
    assert set(Project.model_fields) <= sources


# --- download page ---------------------------------------------------------------------------

def download_page(site: Path, lang: str):
    return lxml_html.fromstring((site / lang / "data" / "index.html").read_bytes())


def test_download_page_lists_each_file_with_its_real_address_and_size(exports):
    page = download_page(exports.out, "en")
    links = {a.text_content(): a.get("href") for a in page.xpath("//main//h2/a[@download]")}
    assert set(links) == {"projects.json", "strategies.json", "organisations.json", "discussions.json",
                          "projects.csv", "vocabularies.json", "iati-activities.xml"}
    for name, href in links.items():
        assert href == f"/kb/data/{name}"
        size = (exports.out / "data" / name).stat().st_size
        section = page.xpath(f"//section[.//h2/a[@href='{href}']]")[0]
        shown = section.xpath(".//dl/dd")[1].text_content()
        number, unit = re.fullmatch(r"([\d.,]+)\s*(\S+)", shown).groups()
        scale = {"byte": 1, "kB": 1000, "MB": 1_000_000}[unit]
        assert abs(float(number.replace(",", "")) * scale - size) <= 0.05 * scale, (name, shown, size)


def test_download_page_describes_fields_from_the_model_docstrings(exports):
    page = download_page(exports.out, "en")
    section = page.xpath("//section[@id='projects-json']")[0]
    rows = {tr.xpath("./th")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
            for tr in section.xpath(".//tbody/tr")}
    share = FundingSource.model_fields["share"]
    assert rows["funding[].share"][2] == " ".join(share.description.split())
    assert rows["funding[].kind"][0].startswith("one of: contribution, allocated, disbursed, unspecified")
    assert rows["title"][:2] == ["name per language, or one name", "yes"]
    assert rows["participants[].organisation"][2] == "The id of the organisation's fiche (content/organisations/ID.yaml)."
    assert rows["derived.status"][0] == "text"
    assert "lead, partner, associated, beneficiary" in rows["participants[].roles"][0]


def test_download_page_chrome_is_localized_and_names_the_configured_licence(exports):
    page = download_page(exports.out, "fr")
    assert page.xpath("//section[@id='projects-json']//thead//th/text()")[:3] == ["Champ", "Type", "Obligatoire"]
    licence = page.xpath("//section[@id='projects-csv']//a[@rel='license']")[0]
    assert (licence.text_content(), licence.get("href")) == ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
    field_description = page.xpath("//section[@id='projects-json']//tbody/tr[th/code='title']/td")[2]
    assert field_description.get("lang") == "en"        # docstrings stay English, and say so


def test_download_page_says_which_projects_iati_leaves_out(exports):
    notes = " ".join(download_page(exports.out, "en").xpath("//section[@id='iati-activities-xml']//p[@class='note']//text()"))
    assert "IATI requires a start date and their fiches give none: no-dates." in notes
    assert "IATI requires an organisation with a funding, accountable, extending or implementing role, and their fiches name none: cancelled-alone, year-only." in notes
    assert "placeholder" not in notes          # the fixture configures its IATI identifier


def test_showcase_download_page_warns_that_the_iati_identifier_is_a_placeholder(showcase_site):
    notes = " ".join(download_page(showcase_site, "en").xpath("//section[@id='iati-activities-xml']//p[@class='note']//text()"))
    assert "XX-FICHEGEN-NOT-SET" in notes


def test_a_site_with_no_exportable_project_has_no_iati_file(tmp_path):
    """IATI files must hold at least one activity: a dateless project gives none, and no file is listed."""
    out = tmp_path / "site"
    assert build(FIXTURES / "minimal", out, search=False).ok
    assert not (out / "data" / "iati-activities.xml").exists()
    assert (out / "data" / "projects.json").is_file()
    assert not download_page(out, "en").xpath("//a[contains(@href, 'iati')]")


def test_amounts_in_records_are_exact_decimals(exports):
    record = data(exports.out, "projects/full-project.json")
    assert Decimal(record["funding"][0]["amount"]) == Decimal("750000.00")
    assert record["funding"][0]["share"] == "75"
