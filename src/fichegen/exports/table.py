"""projects.csv: one row per project, flat columns, for spreadsheets.

Localized fields get one column per site language (`title_en`, `title_fr`…), lists are joined with
"; ", nested records are written as short phrases ("aima (lead)"). Every column names the model field
it comes from (`source`), so the download page can describe it with that field's docstring, and a test
can check that no field of the model is left out. Cells that a spreadsheet would run as a formula get an
apostrophe, which makes it text (safe_cell: OWASP's CSV-injection guidance).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..link import Ref, SiteGraph
from ..models import LocalizedText, Project
from ..render.urls import Urls
from .pieces import Pieces, make_piece
from .records import page_urls

SEPARATOR = "; "
#: What a cell must not start with: a spreadsheet runs = + - @ as a formula, and some skip a leading tab or line break.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Where a spreadsheet may start a new cell inside ours: the separators Excel and LibreOffice use by locale (a comma
#: in English, a semicolon in French, Spanish, Portuguese or German settings, a tab when pasted) and a line break,
#: for a reader that does not honour quotes. After one of them, past spaces and the quotes that would open a
#: quoted cell, a formula character gets an apostrophe too.
_FORMULA_AFTER_SEPARATOR = re.compile(r"""([,;\t\r\n][\s"]*)(?=[=+\-@])""")


@dataclass(frozen=True)
class Column:
    """A CSV column: its header, the model field it comes from, and how to read it from a project."""

    name: str
    source: str                      # a field of Project, or "derived.…" / "urls" for what is not one
    read: Callable[[Project, "Row"], Any]
    lang: str | None = None          # for one language's column of a localized field


@dataclass(frozen=True)
class Row:
    """What a column may need beside the project: the graph (status, funding) and the page URLs."""

    graph: SiteGraph
    urls: dict[str, str]


def _text(value: LocalizedText | None, lang: str) -> str:
    return value.get(lang) or "" if value is not None else ""


def _texts(values: list[LocalizedText], lang: str) -> str:
    return SEPARATOR.join(v.get(lang) for v in values if v.get(lang))


def _join(values) -> str:
    return SEPARATOR.join(str(v) for v in values)


def _opt(value) -> str:
    return "" if value is None else str(value)


def columns(languages: list[str]) -> list[Column]:
    def per_language(name: str, read: Callable[[Project, str], str], source: str | None = None) -> list[Column]:
        return [Column(f"{name}_{lang}", source or name, lambda p, r, l=lang: read(p, l), lang) for lang in languages]

    def resolved(attribute: str):
        def read(p: Project, r: Row) -> str:
            return _opt(getattr(p.funding.resolved(), attribute)) if p.funding else ""
        return read

    def contribution(attribute: str):
        def read(p: Project, r: Row) -> str:
            c = p.funding.contribution if p.funding else None
            return _opt(getattr(c, attribute)) if c else ""
        return read

    return [
        Column("id", "id", lambda p, r: p.id),
        *[Column(f"url_{lang}", "urls", lambda p, r, l=lang: r.urls[l], lang) for lang in languages],
        Column("acronym", "acronym", lambda p, r: _opt(p.acronym)),
        *per_language("title", lambda p, l: _text(p.title, l)),
        *per_language("summary", lambda p, l: _text(p.summary, l)),
        *per_language("description", lambda p, l: _text(p.description, l)),
        Column("original_language", "original_language", lambda p, r: p.original_language),
        Column("start_date", "start_date", lambda p, r: _opt(p.start_date)),
        Column("end_date", "end_date", lambda p, r: _opt(p.end_date)),
        Column("status", "status", lambda p, r: _opt(p.status)),
        Column("derived_status", "derived.status", lambda p, r: _opt(r.graph.status(p))),
        Column("programme", "programme", lambda p, r: _opt(p.programme)),
        Column("funding_currency", "funding.currency", lambda p, r: p.funding.currency if p.funding else ""),
        Column("funding_total", "funding.total", lambda p, r: _opt(p.funding.total) if p.funding else ""),
        Column("funding_contribution_amount", "funding.contribution.amount", contribution("amount")),
        Column("funding_contribution_rate", "funding.contribution.rate", contribution("rate")),
        Column("funding_contribution_fund", "funding.contribution.fund", contribution("fund")),
        Column("derived_total", "derived.funding.total", resolved("total")),
        Column("derived_contribution", "derived.funding.contribution", resolved("contribution")),
        Column("derived_rate", "derived.funding.rate", resolved("rate")),
        Column("partners", "partners", lambda p, r: _join(f"{x.organisation} ({x.role})" for x in p.partners)),
        Column("partner_count", "partner_count", lambda p, r: _opt(p.partner_count)),
        Column("countries", "countries", lambda p, r: _join(p.countries)),
        Column("regions", "regions", lambda p, r: _join(p.regions)),
        Column("themes", "themes", lambda p, r: _join(p.themes)),
        Column("target_groups", "target_groups", lambda p, r: _join(p.target_groups)),
        *per_language("objectives", lambda p, l: _texts(p.objectives, l)),
        *per_language("activities", lambda p, l: _texts([a.heading for a in p.activities], l)),
        *per_language("expected_results", lambda p, l: _texts(p.expected_results, l)),
        *per_language("outputs", lambda p, l: _texts(p.outputs, l)),
        Column("identifiers", "identifiers", lambda p, r: _join(f"{i.scheme}: {i.value}" for i in p.identifiers)),
        Column("related_projects", "related_projects", lambda p, r: _join(f"{x.relation}: {x.project}" for x in p.related_projects)),
        Column("strategies", "strategies",
               lambda p, r: _join(f"{s.strategy} ({s.priority})" if s.priority else s.strategy for s in p.strategies)),
        Column("links", "links", lambda p, r: _join(link.url for link in p.links)),
        Column("sources", "sources", lambda p, r: _join(s.title for s in p.sources)),
        Column("published", "published", lambda p, r: _opt(p.published)),
        Column("updated", "updated", lambda p, r: _opt(p.updated)),
        Column("translations", "translations",
               lambda p, r: _join(f"{lang}: {' '.join(hashes)}" for lang, hashes in sorted(p.translations.items()))),
    ]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text whatever separator it splits on: an apostrophe before a formula character
    (or a leading tab or line break) at the start of the cell, and before one that starts a cell a `;`, `,`, tab or
    line break inside it would make. `x;=1+1` stays one cell in English settings and is two in French ones, the
    second a formula, so it becomes `x;'=1+1`."""
    value = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)
    lead = len(value) - len(value.lstrip(' "'))    # ` =1` and `"=1` are formulas to some readers too
    if value[lead:].startswith(FORMULA_STARTS) and not (lead and value[lead] in "\t\r\n"):
        return value[:lead] + "'" + value[lead:]
    return value


def projects_csv(graph: SiteGraph, urls: Urls, pieces: Pieces | None = None) -> str:
    cols = columns(graph.config.languages)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in cols])

    def row_text(project_id: str) -> str:
        project = graph.projects[project_id]
        row = Row(graph, page_urls(graph, urls, Ref("project", project_id)))
        line = io.StringIO(newline="")
        csv.writer(line, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(
            [safe_cell(str(c.read(project, row))) for c in cols])
        return line.getvalue()

    for project_id in sorted(graph.projects):
        buffer.write(make_piece(pieces, "csv", Ref("project", project_id), "", lambda i=project_id: row_text(i)))
    return buffer.getvalue()
