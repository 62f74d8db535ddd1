"""Open data records: each fiche as the model dumps it, plus its id, its page URLs and derived facts.

A record is `fiche.model_dump(mode="json")` (every field of the model, in every language) with three
more keys that are not fields of the model: `id`, `urls` (the fiche's page in each site language) and
`derived` (what fichegen computes rather than reads: a project's status on the build date, its
resolved funding figures, the fiches that point at this one). `fiche_from_record` reads a record back
into the model, which is how the tests prove nothing is lost on the way out.
"""

from __future__ import annotations

from typing import Any

import orjson

from ..link import KINDS, Ref, SiteGraph
from ..models import FICHE_TYPES, FOLDERS, FicheBase, Project
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
        out["status_date"] = graph.today.isoformat()
        out["funding"] = None
        if fiche.funding:
            f = fiche.funding.resolved()
            out["funding"] = {"currency": f.currency, "total": _decimal(f.total), "contribution": _decimal(f.contribution),
                              "rate": _decimal(f.rate), "fund": f.fund, "computed": sorted(f.derived)}
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


def collection_text(head: dict[str, Any], records: list[str]) -> str:
    """json_text({**head, "records": records}) joined from each record's own json_text, so each record is
    dumped once, for its own file and for its kind's (and, in an incremental build, only when it changed)."""
    if not records:
        return json_text({**head, "records": []})
    assert all(key < "records" for key in head), "records must be the last key"
    top = json_text(head)                       # '{\n  …\n}\n': reopened to add the records after the last key
    body = ",\n".join("    " + text.rstrip("\n").replace("\n", "\n    ") for text in records)
    return top[: -len("\n}\n")] + ',\n  "records": [\n' + body + "\n  ]\n}\n"


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


def json_files(graph: SiteGraph, urls: Urls, pieces: Pieces | None = None) -> dict[str, str]:
    """data/<kind folder>.json, data/<kind folder>/<id>.json and data/vocabularies.json."""
    out: dict[str, str] = {}
    for kind in KINDS:
        folder = FOLDERS[kind]
        texts = []
        for fiche_id in sorted(graph.fiches[kind]):
            ref = Ref(kind, fiche_id)
            text = make_piece(pieces, "record", ref, "", lambda ref=ref: json_text(fiche_record(graph, urls, ref)))
            out[f"data/{folder}/{fiche_id}.json"] = text
            texts.append(text)
        out[f"data/{folder}.json"] = collection_text(collection_head(graph, kind), texts)
    out["data/vocabularies.json"] = json_text(vocabularies(graph))
    return out
