"""What Pagefind records about a fiche page: filter values, a sort key and result metadata.

Values are the localized labels the reader sees on the page ("Cap-Vert" on a French page),
so the filters of the French search read in French. Taxonomy terms come from the same
`graph.taxonomies` as the browse pages, so a filter and its term page always agree.
The fiche templates write these as <meta data-pagefind-*> elements (fichegen/theme/templates/_search_record.html).

A result shows the fiche's summary in the page's language (`summary` meta, with `summary_lang` for a variant such as
pt-BR on a pt page), not Pagefind's excerpt of whatever matched: an excerpt of the facts beside the text reads as a
list of names ("· Slovakia · Hungary ·"). A summary not yet translated is not recorded (Pagefind indexes meta
values, and the page would be found by words of another language): such a result shows Pagefind's excerpt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..link import Ref, SiteGraph
from ..models import Discussion, Project, Strategy
from .views import Views

#: Filter name → the taxonomy its values come from.
TAXONOMY_FILTERS = {"country": "countries", "theme": "themes", "programme": "programmes", "status": "statuses", "year": "years"}

#: The longest summary a result shows, in characters (cut at a word).
SUMMARY_CHARS = 320

#: Every filter, in the order the search page shows them.
FILTERS = ("kind", "country", "theme", "programme", "status", "organisation", "year")

#: Sort keys, one per order the search page offers: the start date as YYYY-MM-DD (text order is date
#: order). Pagefind leaves pages without the key out of sorted results, so a fiche without a start date
#: (an organisation) gets a value that sorts it last in that order instead of making it disappear.
SORT_KEYS = {"newest": "0000-00-00", "oldest": "9999-12-31"}


@dataclass
class SearchRecord:
    filters: list[tuple[str, str]] = field(default_factory=list)   # (filter, value), a filter may repeat
    sort: list[tuple[str, str]] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)


def organisations_of(v: Views, ref: Ref) -> list[Ref]:
    """The organisations a fiche names (partners, responsible bodies, organisers…); an organisation names itself."""
    found = [ref] if ref.kind == "organisation" else []
    for edge in v.g.links(ref):
        if edge.target.kind == "organisation" and edge.target not in found and v.g.get(edge.target):
            found.append(edge.target)
    return found


def start_of(fiche) -> object | None:
    if isinstance(fiche, Project):
        return fiche.start_date
    if isinstance(fiche, (Strategy, Discussion)):
        return fiche.period.start
    return None


def search_record(v: Views, ref: Ref) -> SearchRecord:
    fiche = v.g.get(ref)
    record = SearchRecord()
    record.filters.append(("kind", v.loc.t(f"kind.{ref.kind}")))
    terms = v.g.memberships.get(ref, {})
    for name in FILTERS:
        if name in TAXONOMY_FILTERS:
            taxonomy = TAXONOMY_FILTERS[name]
            record.filters += [(name, str(v.term_label(taxonomy, term))) for term in terms.get(taxonomy, [])]
        elif name == "organisation":
            record.filters += [(name, str(v.name(o))) for o in organisations_of(v, ref)]
    start = start_of(fiche)
    for key, undated in SORT_KEYS.items():
        record.sort.append((key, start.first_day().isoformat() if start else undated))
    record.meta.append(("title", str(v.name(ref))))
    record.meta.append(("kind", v.loc.t(f"kind.{ref.kind}")))
    acronym = v.plain(getattr(fiche, "acronym", None))
    if acronym:
        record.meta.append(("acronym", acronym))
    period = getattr(fiche, "period", None)
    when = v.period(period.start, period.end) if period else v.period(getattr(fiche, "start_date", None), getattr(fiche, "end", None))
    if when:
        record.meta.append(("period", when))
    summary = getattr(fiche, "summary", None)
    shown = v.loc.pick(summary) if summary else None
    if shown is not None and not shown.fallback:   # meta is indexed: a text in another language would be found here
        record.meta.append(("summary", v.plain(summary, SUMMARY_CHARS)))
        if shown.lang and shown.lang != v.lang:
            record.meta.append(("summary_lang", shown.lang))
    return record
