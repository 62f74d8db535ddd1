"""Open data records: each fiche as the model dumps it, plus its id, its page URLs and derived facts.

A record is `fiche.model_dump(mode="json")` (every field of the model, in every language) with three
more keys that are not fields of the model: `id`, `urls` (the fiche's page in each site language) and
`derived` (what fichegen computes rather than reads: a project's status on the build date, its
resolved funding figures, the fiches that point at this one). `fiche_from_record` reads a record back
into the model, which is how the tests prove nothing is lost on the way out.
"""

from __future__ import annotations

from typing import Any, Iterator

import orjson

from ..link import KINDS, Ref, SiteGraph
from ..models import FICHE_TYPES, FOLDERS, FicheBase, Project
from ..models.funding import summarize
from ..output import Output
from ..render.urls import Urls
from .pieces import Pieces, make_piece

#: Keys a record has beside the model's fields.
RECORD_EXTRAS = ("id", "urls", "derived")


def absolute(graph: SiteGraph, path: str) -> str:
    return graph.config.base_url.rstrip("/") + path


def page_urls(graph: SiteGraph, urls: Urls, ref: Ref) -> dict[str, str]:
    return {lang: absolute(graph, urls.fiche(lang, ref.kind, ref.id)) for lang in graph.config.languages}


def fiche_record(graph: SiteGraph, urls: Urls, ref: Ref) -> dict[str, Any]:
    fiche = graph.get(ref)
    assert fiche is not None, ref
    record = fiche.model_dump(mode="json")
    clash = set(RECORD_EXTRAS) & set(record)
    assert not clash, f"the {ref.kind} model has fields named like record extras: {clash}"
    record["id"] = ref.id
    record["urls"] = page_urls(graph, urls, ref)
    record["derived"] = derived(graph, ref)
    return record


def derived(graph: SiteGraph, ref: Ref) -> dict[str, Any]:
    """Facts computed from the fiches, never written in one: kept apart so nobody mistakes them for data."""
    out: dict[str, Any] = {
        "backlinks": sorted(({"kind": e.source.kind, "id": e.source.id, "relation": e.relation, "detail": e.detail}
                             for e in graph.backlinks(ref)),
                            key=lambda b: (b["kind"], b["id"], b["relation"], b["detail"] or "")),
    }
    fiche = graph.get(ref)
    if isinstance(fiche, Project):
        out["status"] = graph.status(fiche)
        out["status_source"] = "stated" if fiche.status else ("dates" if out["status"] else None)
        out["status_date"] = graph.today.isoformat()
        out["end_date"] = str(fiche.end) if fiche.end_is_derived else None
        summary = summarize(fiche.budget, fiche.funding)
        out["funding"] = {
            "budget": {"amount": _decimal(summary.budget.amount), "currency": summary.budget.currency,
                       "computed": summary.budget_derived} if summary.budget else None,
            "sources": [{"amount": _decimal(s.amount), "currency": s.currency, "share": _decimal(s.share),
                         "computed": sorted(s.derived)} for s in summary.sources],
            "contributions_by_currency": {c: _decimal(a) for c, a in sorted(summary.contributions_by_currency().items())},
        }
    return out


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def fiche_from_record(kind: str, record: dict[str, Any]) -> FicheBase:
    """The fiche a record was made from: the model's fields validated again, the id restored."""
    data = {k: v for k, v in record.items() if k not in RECORD_EXTRAS}
    fiche = FICHE_TYPES[kind].model_validate(data)
    fiche._id = record["id"]
    return fiche


def collection_head(graph: SiteGraph, kind: str) -> dict[str, Any]:
    """One kind's file without its records: the licence and the date statuses refer to."""
    return {"kind": kind, "build_date": graph.today.isoformat(), "licence": graph.config.data_licence.model_dump(mode="json")}


def vocabularies(graph: SiteGraph) -> dict[str, Any]:
    return {
        "build_date": graph.today.isoformat(),
        "licence": graph.config.data_licence.model_dump(mode="json"),
        "vocabularies": {name: {term_id: term.model_dump(mode="json") for term_id, term in sorted(terms.items())}
                         for name, terms in sorted(graph.vocabularies.items())},
    }


def json_text(value: Any) -> str:
    """Stable JSON: sorted keys, two-space indent, UTF-8 characters kept, one final newline.

    The same bytes as json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2), made by orjson:
    the standard library's C encoder does not indent, and its Python one was a fifth of the exports."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8") + "\n"


def add_json_files(output: Output, graph: SiteGraph, urls: Urls, pieces: Pieces | None = None) -> None:
    """data/<kind folder>.json, data/<kind folder>/<id>.json and data/vocabularies.json."""
    for kind in KINDS:
        output.add(f"data/{FOLDERS[kind]}.json", _collection_parts(output, graph, urls, kind, pieces))
    output.add("data/vocabularies.json", json_text(vocabularies(graph)))


def _collection_parts(output: Output, graph: SiteGraph, urls: Urls, kind: str, pieces: Pieces | None) -> Iterator[str]:
    """The text of json_text({**head, "records": [...]}) in parts, adding each record's own file on the way:
    every record is dumped once, for both files, and none is held longer than it takes to write it."""
    head = collection_head(graph, kind)
    ids = sorted(graph.fiches[kind])
    if not ids:
        yield json_text({**head, "records": []})
        return
    assert all(key < "records" for key in head), "records must be the last key"
    top = json_text(head)                    # '{\n  …\n}\n', reopened to add the records after its last key
    yield top[: -len("\n}\n")] + ',\n  "records": [\n'
    for i, fiche_id in enumerate(ids):
        ref = Ref(kind, fiche_id)
        text = make_piece(pieces, "record", ref, "", lambda: json_text(fiche_record(graph, urls, ref)))
        output.add(f"data/{FOLDERS[kind]}/{fiche_id}.json", text)
        yield (",\n    " if i else "    ") + text.rstrip("\n").replace("\n", "\n    ")
    yield "\n  ]\n}\n"
