"""The download page's description of each open data file: address, format, size, fields, licence.

Fields are read from the models (exports/fields.py), so the page follows the code: their descriptions
are the models' docstrings, in English; everything around them is in the page's language.
"""

from __future__ import annotations

from babel.units import format_unit

from ..models import FICHE_TYPES, FOLDERS, VOCABULARIES
from ..render.views import Views
from .fields import FieldDoc, model_fields
from .iati import PLACEHOLDER_REF
from .opendata import CSV_FILE, IATI_FILE, OpenData
from .table import columns, text_languages

#: What a record has beside the model's fields (records.py), and the keys of a collection file.
RECORD_KEYS = (("id", "text", True), ("urls", "object", True), ("derived", "record", True),
               ("derived.backlinks", "list", True))
PROJECT_DERIVED = (("derived.status", "text", False), ("derived.status_source", "text", False),
                   ("derived.status_date", "date", True), ("derived.end_date", "partial_date", False),
                   ("derived.funding", "record", True), ("derived.funding.budget", "record", False),
                   ("derived.funding.sources", "list", True), ("derived.funding.contributions_by_currency", "object", True))
COLLECTION_KEYS = (("kind", "text", True), ("build_date", "date", True), ("licence", "record", True),
                   ("records", "list", True))


def describe_downloads(views: Views, data: OpenData) -> list[dict]:
    """Each data file with its address, size, fields and notes (`data`: from the build that made the files)."""
    t = views.loc.t
    out = []
    for kind in FICHE_TYPES:
        folder = FOLDERS[kind]
        path = f"data/{folder}.json"
        fields = [_extra(views, name, kind_, req) for name, kind_, req in COLLECTION_KEYS]
        fields += [_extra(views, name, kind_, req) for name, kind_, req in RECORD_KEYS]
        if kind == "project":
            fields += [_extra(views, name, kind_, req) for name, kind_, req in PROJECT_DERIVED]
        fields += [_field(views, f) for f in model_fields(FICHE_TYPES[kind])]
        out.append(_download(views, data.sizes, path, "JSON", t(f"data.file.{folder}"), fields,
                             count=len(views.g.fiches[kind])))
    out.append(_download(views, data.sizes, CSV_FILE, "CSV", t("data.file.projects_csv"), _csv_fields(views),
                         count=len(views.g.projects)))
    per_fiche = [p for p in data.sizes if p.count("/") == 2 and p.endswith(".json")]
    out.append({"id": "fiche-json", "url": None, "pattern": views.urls.asset("data/") + "<kind>/<id>.json",
                "name": "<kind>/<id>.json", "format": "JSON",
                "size": human_size(views, sum(data.sizes[p] for p in per_fiche)),
                "description": t("data.file.fiche_json", folders=", ".join(FOLDERS[k] for k in FICHE_TYPES)),
                "count": counted(views, "data.file_count", len(per_fiche)), "fields": [], "notes": [],
                "examples": [_link(views, p) for p in per_fiche[:4]]})
    vocabulary_fields = [_extra(views, "vocabularies", "record", True)]
    for name, model in VOCABULARIES.items():
        vocabulary_fields += [_field(views, f, f"vocabularies.{name}.<term>.") for f in model_fields(model)]
    out.append(_download(views, data.sizes, "data/vocabularies.json", "JSON", t("data.file.vocabularies"),
                         vocabulary_fields, count=sum(len(terms) for terms in views.g.vocabularies.values())))
    if IATI_FILE in data.sizes or data.iati.left_out:
        out.append(_iati_download(views, data))
    return out


#: Projects named per reason on the download page (a reason may hold thousands on a large site).
LISTED_IDS = 100


def _iati_download(views: Views, data: OpenData) -> dict:
    """The IATI file, with what it leaves out and why: the projects it cannot hold and, for each, the facts
    its activity lacks, one note per reason. When it can hold no project there is no file, only the reasons."""
    t = views.loc.t
    iati = data.iati

    def listed(ids: list[str]) -> str:
        """The projects of a reason, the first LISTED_IDS of them: the page stays light at any size."""
        if len(ids) <= LISTED_IDS:
            return ", ".join(ids)
        return ", ".join(ids[:LISTED_IDS]) + " " + views.loc.t_count("data.iati.and_more", len(ids) - LISTED_IDS)

    notes = [t(f"data.iati.left_out.{reason}", projects=listed(ids)) for reason, ids in iati.left_out_by_reason().items()]
    notes += [t(f"data.iati.partial.{reason}", projects=listed(ids)) for reason, ids in iati.partial_by_reason().items()]
    if not views.g.config.iati_reporting_org_ref:
        notes.append(t("data.iati.placeholder", ref=PLACEHOLDER_REF))
    if IATI_FILE in data.sizes:
        item = _download(views, data.sizes, IATI_FILE, "XML (IATI 2.03)", t("data.file.iati"), [], count=len(iati.included))
    else:
        name = IATI_FILE.removeprefix("data/")
        item = {"id": "iati-activities-xml", "url": None, "pattern": name, "name": name, "format": "XML (IATI 2.03)",
                "size": "—", "description": t("data.file.iati"),
                "count": counted(views, "data.record_count", 0), "fields": [], "notes": [], "examples": []}
        notes.insert(0, t("data.iati.no_file"))
    item["notes"] = notes
    return item


def _link(views: Views, path: str) -> dict:
    return {"url": views.urls.asset(path), "name": path.removeprefix("data/")}


def _download(views: Views, sizes: dict[str, int], path: str, fmt: str, description: str, fields: list[dict],
              count: int) -> dict:
    return {"id": path.removeprefix("data/").replace(".", "-").replace("/", "-"), "url": views.urls.asset(path),
            "pattern": None, "name": path.removeprefix("data/"), "format": fmt,
            "size": human_size(views, sizes[path]), "description": description,
            "count": counted(views, "data.record_count", count),
            "fields": fields, "notes": [], "examples": []}


def counted(views: Views, key: str, count: int) -> str:
    """"1 record", "3 records": the UI string `key` for the plural form, `key`_one for the singular."""
    one = views.loc.locale.plural_form(count) == "one"
    return views.loc.t(key + "_one" if one else key, count=views.loc.number(count))


def human_size(views: Views, size: int) -> str:
    locale = views.loc.locale
    if size < 1000:
        return format_unit(size, "digital-byte", length="short", locale=locale)
    if size < 1_000_000:
        return format_unit(round(size / 1000, 1), "digital-kilobyte", length="short", locale=locale)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short", locale=locale)


def type_label(views: Views, f: FieldDoc) -> str:
    t = views.loc.t
    if f.type == "list" and f.item == "record":
        return t("datatype.list_record")
    if f.type == "list" and f.item == "choice":
        return t("datatype.list", item=t("datatype.choice", choices=", ".join(f.choices)))
    if f.type == "list":
        return t("datatype.list", item=t(f"datatype.{f.item or 'text'}"))
    if f.type == "choice":
        return t("datatype.choice", choices=", ".join(f.choices))
    return t(f"datatype.{f.type}")


def _field(views: Views, f: FieldDoc, prefix: str = "") -> dict:
    return {"name": prefix + f.name, "type": type_label(views, f), "required": f.required, "description": f.description,
            "lang": "en"}


def _extra(views: Views, name: str, kind: str, required: bool) -> dict:
    key = "data.key." + name.replace(".", "_")
    return {"name": name, "type": views.loc.t(f"datatype.{kind}") if kind != "list" else views.loc.t("datatype.list_plain"),
            "required": required, "description": views.loc.t(key), "lang": views.lang}


def _csv_fields(views: Views) -> list[dict]:
    by_name = {f.name: f for f in model_fields(FICHE_TYPES["project"])}
    t = views.loc.t
    out = []
    # Every project's texts are gone through for their languages: once for the download pages of every language.
    for column in columns(views.g.shared("csv-text-languages", lambda: text_languages(views.g))):
        source = by_name.get(column.source)
        if column.source == "id":
            out.append({"name": column.name, "type": t("datatype.text"), "required": True, "description": t("data.key.id"),
                        "lang": views.lang})
        elif column.source == "urls":
            out.append({"name": column.name, "type": t("datatype.url"), "required": True,
                        "description": t("data.key.url_lang", language=views.loc.language(column.lang or "")), "lang": views.lang})
        elif source is None:   # derived.…
            out.append({"name": column.name, "type": t("datatype.text"), "required": False,
                        "description": t("data.key." + column.source.replace(".", "_")), "lang": views.lang})
        else:
            kind = {"localized_text": "text", "localized_markdown": "markdown", "list": "joined_list"}.get(source.type)
            out.append({"name": column.name, "type": t(f"datatype.{kind}") if kind else type_label(views, source),
                        "required": source.required and column.lang is None, "description": source.description,
                        "lang": "en"})
    return out
