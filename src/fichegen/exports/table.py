"""projects.csv: one row per project, flat columns, for spreadsheets.

Localized fields get one column per language (`title_en`, `title_fr`…): the site's languages and every
other language a project's texts are written in, so a text in its original language is never dropped (an
Italian title on an English-French site has its `title_it` column). A name that is the same in every
language fills each of them. Lists are joined with "; ", nested records are written as short phrases
("aima (lead, implementing)"). Every column names the model field it comes from (`source`), so the
download page can describe it with that field's docstring, and a test can check that no field of the
model is left out. Cells that a spreadsheet would run as a formula get an apostrophe, which makes it text
(safe_cell: OWASP's CSV-injection guidance).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from pydantic import BaseModel, RootModel

from ..link import Ref, SiteGraph
from ..models import LocalizedText, Project
from ..models.funding import summarize
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


def _share(code: str, percentage) -> str:
    return f"{code} {percentage}%" if percentage is not None else code


def _source(f) -> str:
    parts = [f"{name}={getattr(f, name)}" for name in ("funder", "programme", "fund", "qualifier", "amount", "currency", "share")
             if getattr(f, name) is not None]
    return f"{' '.join(parts)} ({f.kind})"


def _participant(x) -> str:
    who = x.organisation or (x.name.name if x.name is not None and x.name.invariant else
                             next(iter(x.name.texts.values())) if x.name is not None else "")
    count = f"{x.count} × " if x.count else ""
    return f"{count}{who} ({', '.join(x.roles)})".strip()


def _phase(ph) -> str:
    name = ph.name.name if ph.name.invariant else next(iter(ph.name.texts.values()))
    budget = f" {ph.budget.qualifier + ' ' if ph.budget and ph.budget.qualifier else ''}{ph.budget.amount} {ph.budget.currency}" if ph.budget else ""
    return f"{name}: {_opt(ph.start_date)}/{_opt(ph.end_date)}{budget}"


def text_languages(graph: SiteGraph) -> list[str]:
    """The site's languages, then every other language a project's texts are written in (sorted)."""
    found: set[str] = set()
    for p in graph.projects.values():
        found.update(_languages_in(p))
    site = list(graph.config.languages)
    return site + sorted(found - set(site))


def _languages_in(value: Any) -> Iterable[str]:
    if isinstance(value, LocalizedText):
        yield from value.languages
    elif isinstance(value, BaseModel) and not isinstance(value, RootModel):
        for name in type(value).model_fields:
            yield from _languages_in(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            yield from _languages_in(item)


def columns(languages: list[str]) -> list[Column]:
    def per_language(name: str, read: Callable[[Project, str], str], source: str | None = None) -> list[Column]:
        return [Column(f"{name}_{lang}", source or name, lambda p, r, l=lang: read(p, l), lang) for lang in languages]

    def budget(attribute: str):
        return lambda p, r: _opt(getattr(p.budget, attribute)) if p.budget else ""

    def computed_budget(p: Project, r: Row) -> str:
        summary = summarize(p.budget, p.funding)
        return f"{summary.budget.amount} {summary.budget.currency}" if summary.budget and summary.budget_derived else ""

    return [
        Column("id", "id", lambda p, r: p.id),
        *[Column(f"url_{lang}", "urls", lambda p, r, l=lang: r.urls.get(l, ""), lang) for lang in languages],
        *per_language("acronym", lambda p, l: _text(p.acronym, l)),
        *per_language("title", lambda p, l: _text(p.title, l)),
        *per_language("summary", lambda p, l: _text(p.summary, l)),
        *per_language("description", lambda p, l: _text(p.description, l)),
        Column("original_language", "original_language", lambda p, r: p.original_language),
        Column("start_date", "start_date", lambda p, r: _opt(p.start_date)),
        Column("end_date", "end_date", lambda p, r: _opt(p.end_date)),
        Column("duration_months", "duration_months", lambda p, r: _opt(p.duration_months)),
        Column("derived_end_date", "derived.end_date", lambda p, r: _opt(p.end) if p.end_is_derived else ""),
        Column("status", "status", lambda p, r: _opt(p.status)),
        Column("derived_status", "derived.status", lambda p, r: _opt(r.graph.status(p))),
        Column("budget_amount", "budget.amount", budget("amount")),
        Column("budget_currency", "budget.currency", budget("currency")),
        Column("budget_kind", "budget.kind", budget("kind")),
        Column("derived_budget", "derived.funding.budget", computed_budget),
        Column("funding", "funding", lambda p, r: _join(_source(f) for f in p.funding)),
        Column("phases", "phases", lambda p, r: _join(_phase(ph) for ph in p.phases)),
        Column("participants", "participants", lambda p, r: _join(_participant(x) for x in p.participants)),
        Column("participants_total", "participants_total", lambda p, r: _opt(p.participants_total)),
        Column("countries", "countries", lambda p, r: _join(_share(c.country, c.percentage) for c in p.recipient_countries)),
        Column("world_regions", "world_regions", lambda p, r: _join(_share(x.region, x.percentage) for x in p.recipient_regions)),
        Column("other_countries", "other_countries", lambda p, r: _join(f"{o.country} ({o.relation})" for o in p.other_countries)),
        Column("regions", "regions", lambda p, r: _join(p.regions)),
        Column("places", "places", lambda p, r: _join(
            f"{place.name.name if place.name.invariant else next(iter(place.name.texts.values()))} ({place.country})" for place in p.places)),
        Column("sectors", "sectors", lambda p, r: _join(_share(x.code, x.percentage) for x in p.sector_shares)),
        Column("themes", "themes", lambda p, r: _join(p.themes)),
        Column("target_groups", "target_groups", lambda p, r: _join(p.target_groups)),
        *per_language("objectives", lambda p, l: _texts(p.objectives, l)),
        *per_language("activities", lambda p, l: _texts([a.heading for a in p.activities], l)),
        *per_language("expected_results", lambda p, l: _texts(p.expected_results, l)),
        *per_language("results", lambda p, l: _texts([x.title for x in p.results], l)),
        *per_language("outputs", lambda p, l: _texts(p.outputs, l)),
        Column("identifiers", "identifiers", lambda p, r: _join(f"{i.scheme}: {i.value}" for i in p.identifiers)),
        Column("related_projects", "related_projects", lambda p, r: _join(
            f"{x.relation}: {x.project}" + (f" (phase {x.phase})" if x.phase else "") for x in p.related_projects)),
        Column("strategies", "strategies",
               lambda p, r: _join(f"{s.strategy} ({s.priority})" if s.priority else s.strategy for s in p.strategies)),
        Column("milestones", "milestones", lambda p, r: _join(
            f"{m.date}{'/' + str(m.end) if m.end else ''} {m.event}" for m in p.milestones)),
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
    cols = columns(text_languages(graph))
    header = [c.name for c in cols]
    layout = hashlib.blake2b("\n".join(header).encode(), digest_size=8).hexdigest()   # rows depend on the columns
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)

    def row_text(project_id: str) -> str:
        project = graph.projects[project_id]
        row = Row(graph, page_urls(graph, urls, Ref("project", project_id)))
        line = io.StringIO(newline="")
        csv.writer(line, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow(
            [safe_cell(str(c.read(project, row))) for c in cols])
        return line.getvalue()

    for project_id in sorted(graph.projects):
        buffer.write(make_piece(pieces, "csv", Ref("project", project_id), layout, lambda i=project_id: row_text(i)))
    return buffer.getvalue()
