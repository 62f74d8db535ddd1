"""Decap CMS fields from the Pydantic models: one widget per model field, with its label, its help text (the
field's docstring), its validation (required, patterns, ranges, list lengths) and, for fields that hold an id,
a relation widget over the real fiches or vocabulary terms.

Beside each field, the *shape* the editor's file format needs to write the file as fichegen's own files are
written (static/fichegen-editor.js): the key order of the model, the texts that may be one plain name, the
decimals kept as quoted strings, the records written in their short form (`CV` for `{country: CV}`).
Both are read from the models every time: a new or changed field shows in the editor without more code.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import annotated_types
from babel import Locale
from pydantic import BaseModel, RootModel
from pydantic.fields import FieldInfo
from pydantic.types import StringConstraints

from ..codelists import codelist
from ..models.common import ORIGINAL, FicheBase, FuzzyDate, LocalizedMarkdown, LocalizedName, LocalizedText
from ..models.common import _territories   # the countries the models accept, so the editor offers the same
from ..models.references import Reference, reference_of
from ..scaffold import _in_order

#: The key of a localized name's input for "the same in every language"; never a language tag (those have 2–3 letters).
INVARIANT = "invariant"
#: The key the editor's file format adds to every record it reads, for relation widgets to show (never written).
DISPLAY = "_fichegen_label"
#: The form-only field that names a new fiche (its file name); never written into the file.
ID_FIELD = "id"
#: What a FuzzyDate looks like, for the pattern check.
FUZZY_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
DAY = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
#: Folder collections of fiches and the vocabularies' file collection, by the name relation widgets use.
VOCABULARY_COLLECTION = "vocabularies"


@dataclass(frozen=True)
class Site:
    """What the generated fields depend on beside the models: the site's languages and where fiches live."""

    languages: tuple[str, ...]
    default_language: str
    fiche_collections: dict[str, str]          # fiche kind → collection name (organisation → organisations)
    vocabularies: tuple[str, ...]


@dataclass
class Constraints:
    """What the type of a field allows, gathered from its Annotated metadata."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    decimal_places: int | None = None

    def take(self, meta: object) -> None:
        if isinstance(meta, FieldInfo):
            for inner in meta.metadata:
                self.take(inner)
            return
        if isinstance(meta, StringConstraints):
            self.pattern = meta.pattern if isinstance(meta.pattern, str) else self.pattern
            self.min_length = meta.min_length if meta.min_length is not None else self.min_length
            self.max_length = meta.max_length if meta.max_length is not None else self.max_length
            return
        for name, kind in (("ge", annotated_types.Ge), ("gt", annotated_types.Gt), ("le", annotated_types.Le),
                           ("lt", annotated_types.Lt)):
            if isinstance(meta, kind):
                setattr(self, name, float(getattr(meta, name)))
        if isinstance(meta, annotated_types.MaxLen):
            self.max_length = meta.max_length
        if isinstance(meta, annotated_types.MinLen):
            self.min_length = meta.min_length
        places = getattr(meta, "decimal_places", None)
        if isinstance(places, int):
            self.decimal_places = places


@dataclass
class Typed:
    """A field's type with its wrappers taken off: the bare type, whether None is allowed, its constraints, and
    for a list the same of its items; `compact` is the plain form of a record (`CV` for a RecipientCountry)."""

    base: object
    optional: bool = False
    constraints: Constraints = field(default_factory=Constraints)
    item: "Typed | None" = None
    compact: object | None = None


def _is_shape_union(args: tuple) -> bool:
    return len(args) == 2 and all(typing.get_origin(a) is typing.Annotated for a in args)


def typed(annotation: object, metadata: list | tuple = ()) -> Typed:
    """Unwrap Annotated, Optional, `by_shape` unions and lists, keeping the constraints on the way."""
    out = Typed(annotation)
    for meta in metadata:
        out.constraints.take(meta)
    t = annotation
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            for meta in t.__metadata__:
                out.constraints.take(meta)
            t = typing.get_args(t)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(t) if a is not type(None)]
            out.optional = out.optional or len(args) < len(typing.get_args(t))
            if _is_shape_union(tuple(args)):        # by_shape(plain, mapping): the editor edits the mapping
                plain, mapping = (typing.get_args(a)[0] for a in args)
                out.compact = plain
                t = mapping
                continue
            t = args[0]
            continue
        break
    out.base = t
    if typing.get_origin(t) is list:
        out.item = typed(typing.get_args(t)[0])
    return out


def _is_model(t: object) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def label_of(name: str) -> str:
    """`start_date` → "Start date"."""
    words = name.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def hint_of(info: FieldInfo | None) -> str | None:
    return ((info.description or "").strip() or None) if info else None


def language_names(languages: tuple[str, ...]) -> dict[str, str]:
    """Each site language named in itself: fr → "français (fr)"."""
    out = {}
    for lang in languages:
        try:
            name = Locale.parse(lang).display_name or lang
        except Exception:   # a code Babel does not know: shown as the code
            name = lang
        out[lang] = f"{name} ({lang})"
    return out


def country_options() -> list[dict]:
    """Every ISO 3166-1 country fiches accept, named in English, as select options."""
    names = Locale("en").territories
    return [{"label": f"{names.get(code, code)} ({code})", "value": code}
            for code in sorted(_territories(), key=lambda c: names.get(c, c))]


def sector_options() -> list[dict]:
    """The OECD DAC purpose codes of IATI's Sector codelist still in use, as select options."""
    return [{"label": f"{item.code} {item.name('en')}", "value": item.code}
            for item in codelist("Sector").items if not item.withdrawn]


def _literal_options(t: object) -> list[str] | None:
    if typing.get_origin(t) is typing.Literal:
        return [str(v) for v in typing.get_args(t)]
    return None


class FieldBuilder:
    """Decap fields and format shapes for the models of one site."""

    def __init__(self, site: Site):
        self.site = site
        # One list each, shared by every field that offers them: config.yml writes it once and refers to it (a YAML alias).
        self.countries = country_options()
        self.sectors = sector_options()
        self.language_names = language_names(site.languages)

    # --- localized texts -------------------------------------------------------
    def localized(self, name: str, base: type, required: bool, info: FieldInfo | None) -> tuple[dict, dict]:
        names = self.language_names
        widget = "markdown" if issubclass(base, LocalizedMarkdown) else "string" if issubclass(base, LocalizedName) else "text"
        inputs: list[dict] = []
        if issubclass(base, LocalizedName):
            inputs.append({"name": INVARIANT, "label": "The same in every language (a proper name)", "widget": "string",
                           "required": False,
                           "hint": "Fill this in instead of the languages below when the name is never translated."})
        for lang in self.site.languages:
            text = {"name": lang, "label": names[lang], "widget": widget, "required": False}
            if widget == "markdown":
                text.update({"buttons": ["bold", "italic", "link", "bulleted-list", "numbered-list", "heading-three"],
                             "editor_components": [], "modes": ["rich_text", "raw"]})
            inputs.append(text)
        inputs.append({"name": ORIGINAL, "label": "Written first in", "widget": "select", "required": False,
                       "options": [{"label": names[l], "value": l} for l in self.site.languages],
                       "hint": "Only when this text was first written in another language than the fiche's original language."})
        config = {"name": name, "label": label_of(name), "widget": "object", "required": required, "collapsed": not required,
                  "hint": self._join(hint_of(info), "One input per language: write at least the fiche's original language "
                                                    "(original_language at the top); leave the others empty until translated."),
                  "fields": inputs}
        shape = {"t": "text", "name": issubclass(base, LocalizedName)}
        return config, shape

    @staticmethod
    def _join(*parts: str | None) -> str:
        return " ".join(p for p in parts if p)

    # --- one field ---------------------------------------------------------------
    def field(self, name: str, info: FieldInfo, required: bool = True) -> tuple[dict | None, dict | None]:
        """(Decap field, shape) for the model field `name`; (None, None) for a field not edited by hand."""
        t = typed(info.annotation, info.metadata)
        is_required = required and info.is_required()
        ref = self._reference(info, t)
        return self._for(name, t, is_required, info, ref)

    def _reference(self, info: FieldInfo, t: Typed) -> Reference | None:
        for meta in reversed(info.metadata):
            if isinstance(meta, Reference):
                return meta
        annotation = info.annotation
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        return reference_of(annotation)

    def _for(self, name: str, t: Typed, required: bool, info: FieldInfo | None, ref: Reference | None) -> tuple[dict | None, dict | None]:
        base = t.base
        hint = hint_of(info)
        common = {"name": name, "label": label_of(name), "required": required}
        if hint:
            common["hint"] = hint
        if t.item is not None:
            return self._list(name, t, common, info, ref)
        if _is_model(base) and issubclass(base, LocalizedText):
            return self.localized(name, base, required, info)
        if _is_model(base) and issubclass(base, RootModel):
            return None, None
        if _is_model(base):
            return self._record(base, common, required, compact=t.compact)
        if typing.get_origin(base) is dict:       # translation fingerprints: written by `fichegen translations --stamp`
            return None, None
        if ref is not None and base is str:
            return {**common, **self.reference_widget(ref)}, None
        options = _literal_options(base)
        if options:
            return {**common, "widget": "select", "options": options}, None
        if base is FuzzyDate:
            return {**common, "widget": "string", "pattern": [FUZZY_DATE, "a date written YYYY, YYYY-MM or YYYY-MM-DD"],
                    "hint": self._join(hint, "Write it as precisely as the source: 2021, 2021-12 or 2021-12-15.")}, None
        if base is date:
            return {**common, "widget": "string", "pattern": [DAY, "a day written YYYY-MM-DD"]}, None
        if base is int:
            return {**common, "widget": "number", "value_type": "int", "step": 1, **self._range(t.constraints)}, {"t": "int"}
        if base is Decimal:
            places = t.constraints.decimal_places
            step = 1 if places == 0 else float(Decimal(1).scaleb(-places)) if places else "any"
            return ({**common, "widget": "number", "value_type": "float", "step": step, **self._range(t.constraints)},
                    {"t": "decimal"})
        if base is bool:
            return {**common, "widget": "boolean"}, None
        if base is str:
            config = {**common, "widget": "string", **self._string_checks(t.constraints)}
            if name == "original_language":
                config["default"] = self.site.default_language
            return config, None
        return {**common, "widget": "string"}, None

    @staticmethod
    def _range(c: Constraints) -> dict:
        out: dict = {}
        low = c.ge if c.ge is not None else c.gt
        high = c.le if c.le is not None else c.lt
        if low is not None:
            out["min"] = int(low) if float(low).is_integer() else low
        if high is not None:
            out["max"] = int(high) if float(high).is_integer() else high
        return out

    @staticmethod
    def _string_checks(c: Constraints) -> dict:
        if c.pattern:
            return {"pattern": [c.pattern, f"must match {c.pattern}"]}
        if c.max_length:
            return {"pattern": [f"^[\\s\\S]{{{c.min_length or 0},{c.max_length}}}$", f"at most {c.max_length} characters"]}
        return {}

    def reference_widget(self, ref: Reference, multiple: bool = False) -> dict:
        """A relation widget that searches the real fiches or terms by name, or a select of the codes."""
        extra: dict = {"multiple": True} if multiple else {}
        if ref.target == "countries":
            return {"widget": "select", "options": self.countries, **extra}
        if ref.target == "sectors":
            return {"widget": "select", "options": self.sectors, **extra}
        if ref.target == "world-regions":
            return {"widget": "string", "pattern": [r"^([0-9]{3}|iati-[0-9]{2,4}|[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?)$",
                                                    "a UN M49 code (014), an IATI region (iati-1027) or a world-regions term"]}
        langs = self.site.languages
        if ref.is_fiche:
            names = ["name", "acronym"] if ref.target == "organisation" else ["title", "acronym"]
            search = [f"{n}.{k}" for n in names for k in (INVARIANT, *langs)]
            return {"widget": "relation", "collection": self.site.fiche_collections[ref.target], "value_field": "{{slug}}",
                    "search_fields": [DISPLAY, *search], "display_fields": [DISPLAY], "options_length": 50, **extra}
        return {"widget": "relation", "collection": VOCABULARY_COLLECTION, "file": ref.target, "value_field": "terms.*.id",
                "search_fields": ["terms.*.id", *(f"terms.*.label.{k}" for k in (INVARIANT, *langs))],
                "display_fields": [f"terms.*.{DISPLAY}"], "options_length": 100, **extra}

    def _list(self, name: str, t: Typed, common: dict, info: FieldInfo | None, ref: Reference | None) -> tuple[dict, dict | None]:
        item = t.item
        assert item is not None
        limit = {"max": t.constraints.max_length} if t.constraints.max_length else {}
        common = {**common, "required": False} if not common["required"] else common
        if ref is not None and item.base is str and not _is_model(item.base):
            config = {**common, **self.reference_widget(ref, multiple=True), **limit}
            if config["widget"] == "string":     # world regions: one per line in a list
                config = {**common, "widget": "list", "field": {"name": "region", "label": "Region", "widget": "string",
                                                                 "pattern": config["pattern"]}, **limit}
            return config, None
        options = _literal_options(item.base)
        if options:
            return {**common, "widget": "select", "multiple": True, "options": options, **limit}, None
        inner, shape = self._for(name, item, True, None, None)
        if inner is None:
            return None, None
        inner.pop("hint", None)
        if inner.get("widget") == "object":
            config = {**common, "widget": "list", "fields": inner["fields"], "collapsed": False, **limit}
            summary = self._summary(inner["fields"])
            if summary:
                config["summary"] = summary
        else:
            inner["label"] = label_of(name)
            config = {**common, "widget": "list", "field": inner, **limit}
        return config, ({"t": "list", "item": shape} if shape else None)

    def _summary(self, fields: list[dict]) -> str | None:
        """What a collapsed list item shows: its first plain value."""
        for f in fields:
            if f.get("widget") in ("string", "select", "relation") and f["name"] not in (INVARIANT, ORIGINAL):
                return "{{fields.%s}}" % f["name"]
            if f.get("widget") == "object" and f["fields"] and f["fields"][-1]["name"] == ORIGINAL:   # a localized text
                return "{{fields.%s.%s}}" % (f["name"], self.site.default_language)
        return None

    def _record(self, model: type[BaseModel], common: dict, required: bool, compact: object | None = None) -> tuple[dict, dict]:
        fields, shape = self.model_fields(model, required)
        config = {**common, "widget": "object", "collapsed": False, "fields": fields}
        if model.__doc__ and "hint" not in common:
            config["hint"] = model.__doc__.strip().split("\n\n")[0]
        if compact is not None:
            shape = {**shape, "compact": next(iter(model.model_fields))}
        return config, shape

    def model_fields(self, model: type[BaseModel], required: bool = True,
                     order: list[str] | None = None) -> tuple[list[dict], dict]:
        """The Decap fields of a model, in `order` (the model's by default), and its shape.

        The fields of a record that may be left out (a budget) are not required in the editor: an editor who gives
        no budget must be able to save, and `fichegen check` still says what a half-filled record lacks."""
        names = order or list(model.model_fields)
        fields, shapes = [], {}
        for name in names:
            info = model.model_fields[name]
            config, shape = self.field(name, info, required)
            if config is None:
                continue
            fields.append(config)
            if shape is not None:
                shapes[name] = shape
        return fields, {"t": "model", "keys": names, "fields": shapes}


def fiche_order(model: type[FicheBase]) -> list[str]:
    """The key order of the scaffold (`fichegen new`): the fiche's own fields, then those every fiche has."""
    return [name for name, _ in _in_order(model)]
