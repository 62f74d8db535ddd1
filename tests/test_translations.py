"""Translation status: every localized field of every fiche is present, missing or stale in each language,
stamps record what a translation was made from, and the site page says exactly what the command says."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from fichegen.build import build
from fichegen.check import check
from fichegen.cli import main
from fichegen.i18n import load_catalogues
from fichegen.overrides import Theme
from fichegen.translations import STAMP_COMMENT, source_hash, translation_report

RIVER = "content/projects/river.yaml"


def run(root: Path, *args: str) -> tuple[int, str]:
    """The command's exit code and everything it printed (stdout and stderr)."""
    result = CliRunner().invoke(main, ["translations", "--root", str(root), *args], catch_exceptions=False)
    return result.exit_code, result.output


def report_json(root: Path, *args: str) -> dict:
    result = CliRunner().invoke(main, ["translations", "--root", str(root), "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def cell(report: dict, fiche_id: str, lang: str) -> dict:
    fiche = next(f for f in report["fiches"] if f["id"] == fiche_id)
    return fiche["languages"][lang]


def statuses(report: dict, fiche_id: str, lang: str) -> dict[str, str]:
    return {f["field"]: f["status"] for f in cell(report, fiche_id, lang)["fields"]}


def stamp(root: Path, file: str, *langs: str, fields: tuple[str, ...] = ()) -> tuple[int, str]:
    args = ["--stamp", str(root / file)]
    for lang in langs:
        args += ["--lang", lang]
    for f in fields:
        args += ["--field", f]
    return run(root, *args)


def test_every_localized_field_is_counted_in_every_language(project_copy):
    """Nested texts (objectives, activity headings and texts) count as much as the title: each is a field to translate."""
    root = project_copy("translations")
    report = report_json(root)
    assert statuses(report, "river", "fr") == {
        "title": "present", "summary": "present", "objectives[0]": "present", "objectives[1]": "present",
        "activities[0].heading": "present", "activities[0].text": "missing"}
    assert statuses(report, "river", "es") == {
        "title": "present", "summary": "missing", "objectives[0]": "missing", "objectives[1]": "missing",
        "activities[0].heading": "missing", "activities[0].text": "missing"}
    river_en = cell(report, "river", "en")
    assert river_en["original"] and river_en["total"] == 0 and river_en["percent"] is None
    assert cell(report, "river", "fr")["percent"] == 83, "5 of 6 rounded down, so 100 % always means complete"
    by_lang = {l["lang"]: l for l in report["languages"]}
    assert (by_lang["es"]["present"], by_lang["es"]["missing"]) == (1, 6), "river 1/6 and the organisation's name 0/1"
    assert (by_lang["en"]["present"], by_lang["en"]["missing"]) == (1, 0), "the French organisation's English name"


def test_stamping_records_fingerprints_without_touching_the_rest_of_the_file(project_copy):
    """The stamp is added as a block at the end; comments, blank lines and layout above stay byte for byte."""
    root = project_copy("translations")
    before = (root / RIVER).read_text(encoding="utf-8")
    code, out = stamp(root, RIVER, "fr")
    assert code == 0, out
    after = (root / RIVER).read_text(encoding="utf-8")
    assert after.startswith(before), "every original line is kept as it was"
    added = after[len(before):]
    assert STAMP_COMMENT in added and "translations:" in added
    assert f'"{source_hash("Rivers of knowledge")}"' in added, "fingerprints are quoted so no YAML tool reads them as numbers"
    assert check(root).ok(strict=True), "the stamped fiche is still a valid fiche"
    code, out = stamp(root, RIVER, "fr")
    assert code == 0 and "Already up to date" in out
    assert (root / RIVER).read_text(encoding="utf-8") == after


def test_changing_an_original_text_makes_its_stamped_translation_stale(project_copy):
    """A translator stamps French; the English summary is then rewritten: only the French summary is stale."""
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    path = root / RIVER
    path.write_text(path.read_text(encoding="utf-8").replace("share their skills", "lend their skills"), encoding="utf-8")
    report = report_json(root)
    fr = statuses(report, "river", "fr")
    assert fr["summary"] == "stale"
    assert [k for k, v in fr.items() if v == "stale"] == ["summary"]
    assert cell(report, "river", "fr")["stale"] == 1
    assert statuses(report, "river", "es")["title"] == "present", "Spanish was never stamped: staleness is unknown there"
    line = next(f["line"] for f in cell(report, "river", "fr")["fields"] if f["field"] == "summary")
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip().startswith("fr:"), "the line points at the French text"


def test_restamping_one_field_clears_it_and_keeps_the_others(project_copy):
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    path = root / RIVER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("share their skills", "lend their skills").replace("Publish a handbook", "Publish two handbooks"),
                    encoding="utf-8")
    assert sorted(k for k, v in statuses(report_json(root), "river", "fr").items() if v == "stale") == ["objectives[1]", "summary"]
    code, out = stamp(root, RIVER, "fr", fields=("summary",))
    assert code == 0, out
    fr = statuses(report_json(root), "river", "fr")
    assert fr["summary"] == "present" and fr["objectives[1]"] == "stale"


def test_whitespace_changes_and_reordering_do_not_make_translations_stale(project_copy):
    """Re-wrapping a paragraph or moving an objective up is not a change of the text to translate."""
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    path = root / RIVER
    text = path.read_text(encoding="utf-8")
    first = "  - {en: Train fifty technicians, fr: Former cinquante techniciens}\n"
    second = "  - {en: Publish a handbook, fr: Publier un manuel}\n"
    text = text.replace(first + second, second + first)
    text = text.replace("share their skills with\n    water", "share their skills\n    with water")
    path.write_text(text, encoding="utf-8")
    report = report_json(root)
    assert "stale" not in statuses(report, "river", "fr").values()
    assert statuses(report, "river", "fr")["objectives[0]"] == "present"


def test_stamping_a_second_language_changes_only_its_own_lines(project_copy):
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    fr_block = (root / RIVER).read_text(encoding="utf-8")
    stamp(root, RIVER, "es")
    both = (root / RIVER).read_text(encoding="utf-8")
    assert both.startswith(fr_block.rstrip("\n")), "the French stamp stays where and as it was"
    assert f'  es: ["{source_hash("Rivers of knowledge")}"]' in both, "Spanish has only its title translated"
    path = root / RIVER
    path.write_text(both.replace("Rivers of knowledge", "Rivers of know-how"), encoding="utf-8")
    report = report_json(root)
    assert statuses(report, "river", "fr")["title"] == statuses(report, "river", "es")["title"] == "stale"
    stamp(root, RIVER, "es")
    after = path.read_text(encoding="utf-8")
    fr_lines = [l for l in both.splitlines() if l.startswith("  fr:") or l.startswith("      \"")]
    assert all(l in after for l in fr_lines), "re-stamping Spanish leaves the French lines alone"
    assert statuses(report_json(root), "river", "es")["title"] == "present"
    assert statuses(report_json(root), "river", "fr")["title"] == "stale"


def test_stamp_refuses_the_original_language_an_invalid_fiche_and_a_missing_lang(project_copy):
    """A stamp is refused with a reason, and the file is left untouched."""
    root = project_copy("translations")
    path = root / RIVER
    before = path.read_bytes()
    code, out = stamp(root, RIVER, "en")
    assert code == 1 and "original language" in out
    code, out = stamp(root, RIVER)
    assert code == 2 and "--lang" in out
    code, out = stamp(root, RIVER, "fr", fields=("objectives[7]",))
    assert code == 1 and "objectives[7]" in out
    path.write_text(before.decode().replace("original_language: en", "original_language: english"), encoding="utf-8")
    broken = path.read_bytes()
    code, out = stamp(root, RIVER, "fr")
    assert code == 1 and "errors" in out
    assert path.read_bytes() == broken
    path.write_bytes(before)
    assert path.read_bytes() == before


def test_a_hand_made_stamp_that_is_not_a_fingerprint_is_a_check_error(project_copy):
    """The translations block is part of the fiche model: typos in it are reported like any other mistake."""
    root = project_copy("translations")
    path = root / RIVER
    path.write_text(path.read_text(encoding="utf-8") + "translations:\n  fr: [not-a-hash]\n", encoding="utf-8")
    errors = check(root).errors
    assert [(e.path, e.line) for e in errors] == [(RIVER, len(path.read_text().splitlines()))]


def test_windows_line_ends_are_kept_when_stamping(project_copy):
    root = project_copy("translations")
    path = root / RIVER
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    code, out = stamp(root, RIVER, "fr")
    assert code == 0, out
    raw = path.read_bytes()
    assert b"translations:\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")


def test_ui_catalogues_are_part_of_the_report(project_copy):
    """Two UI strings a project adds for its own template, in every language but French: French UI
    completeness falls below 100 %."""
    root = project_copy("translations")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text(
        "{% extends 'theme/base.html' %}{% block footer_top %}{{ t('brand.motto') }} {{ t('brand.contact') }}{% endblock %}")
    (root / "i18n").mkdir()
    for lang in ("en", "es", "pt"):
        (root / "i18n" / f"{lang}.yaml").write_text(f"brand.motto: Motto {lang}\nbrand.contact: Contact {lang}\n", encoding="utf-8")
    by_lang = {l["lang"]: l["ui"] for l in report_json(root)["languages"]}
    assert by_lang["fr"]["missing"] == 2
    assert by_lang["es"]["missing"] == 0 and by_lang["es"]["percent"] == 100
    assert by_lang["en"]["reference"]


def test_lang_option_limits_the_report(project_copy):
    root = project_copy("translations")
    report = report_json(root, "--lang", "fr")
    assert [l["lang"] for l in report["languages"]] == ["fr"]
    assert all(list(f["languages"]) == ["fr"] for f in report["fiches"])
    code, out = run(root, "--lang", "de")
    assert code == 2 and "not a site language" in out


def test_markdown_is_a_job_summary_naming_stale_texts_by_file_and_line(project_copy):
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    path = root / RIVER
    path.write_text(path.read_text(encoding="utf-8").replace("Rivers of knowledge", "Rivers of know-how"), encoding="utf-8")
    code, out = run(root, "--format", "markdown")
    assert code == 0
    assert out.startswith("## Translation status")
    assert "| fr (French) | 66 % | 4 | 1 | 1 |" in out
    assert f"- `{RIVER}:6` title (fr)" in out, "the line of the French title"
    code, text = run(root)
    assert "fr stale: title (line 6)" in text and "es missing: summary (line 9)" in text


class Tables(HTMLParser):
    """The rows of the translation page's two tables, as text per cell, keyed by their data attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.languages: dict[str, list[str]] = {}
        self.fiches: dict[str, dict[str, str]] = {}
        self._row: tuple[str, str] | None = None
        self._cell: list[str] | None = None
        self._cell_lang = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-lang" in a:
            self._row = ("lang", a["data-lang"])
            self.languages[a["data-lang"]] = []
        elif tag == "tr" and "data-file" in a:
            self._row = ("file", a["data-file"])
            self.fiches[a["data-file"]] = {}
        elif tag in ("td", "th") and self._row:
            self._cell, self._cell_lang = [], a.get("data-lang", "")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            kind, key = self._row
            if kind == "lang":
                self.languages[key].append(text)
            elif self._cell_lang:
                self.fiches[key][self._cell_lang] = text
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_site_page_and_command_agree(project_copy, tmp_path):
    """The translation page of the built site shows the figures `fichegen translations` prints, fiche by fiche."""
    root = project_copy("translations")
    stamp(root, RIVER, "fr")
    path = root / RIVER
    path.write_text(path.read_text(encoding="utf-8").replace("Publish a handbook", "Publish two handbooks"), encoding="utf-8")
    report = report_json(root)
    result = build(root, tmp_path / "site", search=False)
    assert result.ok
    page = Tables((tmp_path / "site" / "en" / "translations" / "index.html").read_text(encoding="utf-8"))
    assert set(page.languages) == {l["lang"] for l in report["languages"]}
    for l in report["languages"]:
        name, percent, present, missing, stale, ui = page.languages[l["lang"]]
        assert (percent, present, missing, stale) == (f"{l['percent']}%", str(l["present"]), str(l["missing"]), str(l["stale"]))
        assert ui == ("reference" if l["ui"]["reference"] else f"{l['ui']['percent']}%")
    assert set(page.fiches) == {f["file"] for f in report["fiches"]}
    for f in report["fiches"]:
        for lang, c in f["languages"].items():
            shown = page.fiches[f["file"]][lang]
            if c["original"] and c["percent"] is None:
                assert shown == "original"
            else:
                expected = f"{c['percent']}%" + (f" stale: {c['stale']}" if c["stale"] else "")
                assert shown == expected, (f["file"], lang)
    assert page.fiches[RIVER]["fr"] == "66% stale: 1", "the case this test is about is really there"


def test_report_is_the_same_whether_computed_for_the_command_or_the_page():
    """Both read one graph and the theme's catalogues: on the showcase, every language adds up."""
    root = Path(__file__).resolve().parents[1]
    result = check(root)
    report = translation_report(result.graph, load_catalogues(Theme.of(root), result.config.languages))
    for lang, l in report.per_language.items():
        cells = [f.cells[lang].tally for f in report.fiches]
        assert l.fiches.present == sum(c.present for c in cells)
        assert l.fiches.total == sum(c.total for c in cells)
        assert not l.ui.missing, f"the showcase's {lang} UI catalogue is complete (check enforces it)"


def test_a_language_without_translations_left_loses_its_stamp_and_the_block_goes_with_the_last(project_copy):
    """Removing the only Spanish text and stamping Spanish again leaves the file exactly as it would be unstamped."""
    root = project_copy("translations")
    path = root / RIVER
    original = path.read_text(encoding="utf-8")
    stamp(root, RIVER, "es")
    assert "translations:" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("  es: Ríos de saber\n", ""), encoding="utf-8")
    code, out = stamp(root, RIVER, "es")
    assert code == 0, out
    assert path.read_text(encoding="utf-8") == original.replace("  es: Ríos de saber\n", "")
