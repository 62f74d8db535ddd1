"""JSON Schemas for editors' completion and checking, generated from the models (never written by hand).

A schema must say what `fichegen check` says. Two things stand between the models and an editor:

- **How the editor reads YAML.** fichegen keeps every plain scalar as the text it is (load.py) and converts it by
  field type; a YAML editor (yaml-language-server, check-jsonschema: YAML 1.2) sees `2021` as an integer,
  `1.10` as a number, `true` as a boolean. So every text field also accepts numbers and booleans, a date field a
  year written as an integer, an integer field a quoted number, a decimal field a number or a quoted plain
  decimal; and a date is refused unless it is a real calendar date, an amount written "1.532.558,68" unless it
  is a plain decimal.
- **What the project holds.** References (models/references.py) and codes become `enum`s with their names as
  descriptions (`enumDescriptions`, `markdownEnumDescriptions`: yaml-language-server shows them in completion):
  countries, currencies, languages, OECD DAC sectors and UN M49 / IATI regions always; and, for schemas
  generated inside a project (`fichegen schema`, `project_schemas`), its vocabulary terms and the ids of its
  organisations, strategies and projects. The schemas shipped in the package (PACKAGED, written by
  `fichegen init`) name no project content: ids are checked by their pattern there.

The models mark what they are in their JSON-Schema hooks (`x-fichegen`, `x-reference`: FuzzyDate, Reference,
the code types in models/common.py); this module turns the marks into what an editor checks, and removes them.
What a schema cannot say (rules across fields, figures that must agree) is listed in EXCEPTIONS, in each
schema's description and in the handbook's page on editing in VS Code.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from babel import Locale
from babel.numbers import get_currency_name, list_currencies

from .codelists import codelist
from .diagnostics import Diagnostic, Severity
from .models import FICHE_TYPES, VOCABULARIES, vocabulary_model
from .models.common import ORIGINAL, YEARS, _languages, _territories
from .models.references import FICHE_KINDS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
#: The schemas shipped in the package (content-independent: they name no vocabulary term or fiche), written into
#: a project by `fichegen init` and `fichegen new`; tests keep them equal to `all_schemas()`.
PACKAGED = Path(__file__).resolve().parent / "schemas"
#: The folder of a project's schemas, beside fichegen.toml.
FOLDER = "schemas"
#: The handbook page that lists what the schemas cannot check.
HANDBOOK_PAGE = "editing-in-vs-code.md"

#: What `fichegen check` refuses and a JSON Schema cannot: rules across fields or files, and what a YAML editor
#: reads differently from fichegen. Each is said in every schema's description and on the handbook page.
EXCEPTIONS: dict[str, str] = {
    "end-before-start": "an end date before its start date",
    "dates-disagree": "dates that span another number of months than `duration_months`",
    "funding-mismatch": "funding figures that disagree with the budget or add up to more than 100 %",
    "percentages-sum": "percentages of countries, regions or sectors that do not add up to 100 %",
    "duplicate-item": "an organisation listed twice among participants or contributors (other repeated list items are refused)",
    "unknown-priority": "a strategy priority number the strategy does not have",
    "cross-field": "rules between two fields of one record: organisation and name both given, a participant with none, "
                   "`phase` without `relation: part_of`, a currency or qualifier without an amount, an indicator without values, "
                   "a percentage indicator above 100, `original:` naming a language the text lacks, the fiche's "
                   "`original_language` missing from its title",
    "discussion-rounds": "discussion rounds numbered out of order, a contribution to a round or question that does not exist",
    "decimal-places": "an amount or a percentage written as a number with more decimals than the field keeps (12.345 for an amount)",
    "leading-zeros": "a code or an id written as an unquoted number with leading zeros (014 is read as the number 14 by the editor; "
                     "quote it: \"014\"), and, the other way, an unquoted number the editor cannot tell from it",
    "unusual-numbers": "a quoted number in an unusual form (\"1_000\", \"1e3\", \" 12\", \"+12\"): `check` reads it, the schema asks for plain digits",
    "references": "in the schemas shipped with fichegen (not those `fichegen schema` writes in a project): an id of a "
                  "fiche or term that does not exist",
}


# --- values the schemas list ------------------------------------------------------------------

@dataclass(frozen=True)
class Choices:
    """The values a set of schemas lists, by kind of reference (a fiche kind, a vocabulary name or a code kind):
    id → label in `language`. A kind missing from `values` is checked by its pattern only (content-independent
    schemas know no fiche or term); `languages` are the site's, offered first as keys of texts."""

    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    language: str = "en"

    @property
    def of_project(self) -> bool:
        return any(kind in self.values for kind in FICHE_KINDS)


def project_choices(language: str, languages: Iterable[str], fiches: Mapping[str, Mapping[str, str]],
                    terms: Mapping[str, Mapping[str, str]]) -> Choices:
    """The choices of a project: its fiches (kind → id → name) and vocabulary terms (vocabulary → id → label);
    every vocabulary fichegen knows is listed, empty when the project has no such file (check refuses its terms)."""
    values = {kind: dict(sorted(fiches.get(kind, {}).items())) for kind in FICHE_KINDS}
    values.update({name: dict(sorted(terms.get(name, {}).items())) for name in VOCABULARIES})
    return Choices(values, tuple(languages), language)


def _label(text: Any, lang: str, fallback: str) -> str:
    """A name in `lang`, else in the first language it has: a label shown beside an id in completion."""
    if text is None:
        return fallback
    return text.get(lang) or next(iter(text.texts.values()), None) or fallback


def choices_of(config: Any, fiches: Iterable[tuple[Any, Any]], terms: Mapping[str, Mapping[str, Any]],
               unvalidated: Iterable[Any] = ()) -> Choices:
    """The choices of a project as `check` read it: every fiche's id with its name (`unvalidated`: the kind and id of
    each fiche with mistakes, listed by id only: `check` accepts references to it), every vocabulary's terms with
    their labels (vocabulary → term id → term, None for a term with mistakes)."""
    lang = config.default_language
    ids: dict[str, dict[str, str]] = {kind: {} for kind in FICHE_KINDS}
    for fiche, source in fiches:
        name = _label(fiche.name, lang, source.id)
        acronym = _label(getattr(fiche, "acronym", None), lang, "")
        ids[source.kind][source.id] = f"{name} ({acronym})" if acronym and acronym not in name else name
    for kind, fiche_id in unvalidated:
        ids[kind].setdefault(fiche_id, fiche_id)
    labels = {name: {term_id: term_id if term is None else _label(term.label, lang, term_id) for term_id, term in listed.items()}
              for name, listed in terms.items()}
    return project_choices(lang, config.languages, ids, labels)


@cache
def _countries(lang: str) -> dict[str, str]:
    names = Locale.parse(lang).territories
    return {code: names.get(code, code) for code in sorted(_territories())}


@cache
def _m49_regions(lang: str) -> dict[str, str]:
    names = Locale.parse(lang).territories
    return {code: name for code, name in sorted(names.items()) if re.fullmatch(r"[0-9]{3}", code)}


@cache
def _currencies(lang: str) -> dict[str, str]:
    return {code: get_currency_name(code, locale=lang) for code in sorted(list_currencies())}


@cache
def _language_names(lang: str) -> dict[str, str]:
    names = Locale.parse(lang).languages
    return {code: names.get(code, code) for code in sorted(_languages())}


@cache
def _sectors(lang: str) -> dict[str, str]:
    sectors = codelist("Sector")
    return {item.code: item.name(lang) + (" (withdrawn)" if item.withdrawn else "") for item in sectors.items}


@cache
def _iati_regions(lang: str) -> dict[str, str]:
    return {item.code: item.name(lang) for item in codelist("Region").items}


# --- how a YAML 1.2 editor types a plain scalar ------------------------------------------------------

_YAML_INT = re.compile(r"[-+]?[0-9]+")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def yaml_value(text: str) -> Any:
    """What a YAML 1.2 editor reads an unquoted `text` as (the core schema): 2021 → int, 1.10 → float, else text."""
    if _YAML_INT.fullmatch(text):
        return int(text)
    if _YAML_FLOAT.fullmatch(text):
        return float(text)
    return text


#: Free texts: whatever a plain scalar is read as, fichegen reads its text.
_ANY_SCALAR = ["string", "number", "boolean"]


# --- patterns --------------------------------------------------------------------------------

def _range_parts(lo: int, hi: int) -> list[str]:
    """Regular expressions (without anchors) whose union matches the decimal integers lo..hi, lo ≥ 0."""
    def nines(n: int, count: int) -> int:
        s = str(n)
        return int(s[:-count] + "9" * count) if count <= len(s) else int("9" * count)

    def zeros(n: int, count: int) -> int:
        return n - n % 10 ** count

    stops = {hi}
    count = 1
    while lo <= (stop := nines(lo, count)) < hi:
        stops.add(stop)
        count += 1
    count = 1
    while lo < (stop := zeros(hi + 1, count) - 1) <= hi:
        stops.add(stop)
        count += 1
    parts, start = [], lo
    for stop in sorted(stops):
        a, b = str(start), str(stop)
        a = a.zfill(len(b))
        pattern, free = "", 0
        for x, y in zip(a, b):
            if x == y:
                pattern += x
            elif x == "0" and y == "9":
                free += 1
            else:
                pattern += f"[{x}-{y}]"
        if free:
            pattern += "[0-9]" + (f"{{{free}}}" if free > 1 else "")
        parts.append(pattern)
        start = stop + 1
    return parts


def integer_pattern(lo: int, hi: int | None) -> str:
    """A quoted whole number from lo to hi (no upper bound when None), as fichegen reads it ("12", "0012")."""
    if hi is None:
        return "^0*[0-9]+$" if lo <= 0 else f"^0*(?!0*({'|'.join(_range_parts(0, lo - 1))})$)[0-9]+$"
    return f"^0*({'|'.join(_range_parts(lo, hi))})$"


def decimal_pattern(minimum: float | None, maximum: float | None, positive: bool, places: int) -> str:
    """A quoted plain decimal ("1532558.68", "94.42") within the bounds, with at most `places` decimals; negative
    numbers only when `minimum` is below zero (the bounds fichegen has are symmetric: -90..90)."""
    sign = "-?" if minimum is not None and minimum < 0 else ""
    decimals = f"(\\.[0-9]{{1,{places}}})?" if places else ""
    if maximum is None:
        body = f"[0-9]+{decimals}"
    else:
        top = int(maximum)
        body = f"({'|'.join(_range_parts(0, top - 1))}){decimals}|{top}(\\.0{{1,{places}}})?"
    not_zero = "(?!0+(\\.0+)?$)" if positive else ""
    return f"^{sign}{not_zero}({body})$"


def _year() -> str:
    first, last = YEARS.start, YEARS.stop - 1
    assert (first, last) == (1800, 2199), "the date patterns below spell out the years 1800–2199"
    return "(1[89]|2[01])[0-9]{2}"


#: Leap years from 1800 to 2199: divisible by 4, but 1800, 1900 and 2100 are not (2000 is).
_LEAP = "((1[89]|2[01])(0[48]|[2468][048]|[13579][26])|2000)"
_MONTH = "(0[1-9]|1[0-2])"
_MONTH_DAY = "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"


def day_pattern() -> str:
    """A real calendar day, YYYY-MM-DD, in the years fichegen accepts (no 2021-02-30, no 2021-13-01)."""
    return f"^({_year()}-{_MONTH_DAY}|{_LEAP}-02-29)$"


def fuzzy_date_pattern() -> str:
    """A year, a month or a real day: 2021, 2021-03, 2021-03-31."""
    return f"^({_year()}(-{_MONTH})?|{_year()}-{_MONTH_DAY}|{_LEAP}-02-29)$"


@cache
def language_tag_pattern() -> str:
    """A BCP 47 tag as models/common.py reads one: a known language, optionally a script and a known region."""
    languages = "|".join(sorted(_languages(), key=lambda c: (-len(c), c)))
    regions = "|".join(sorted(k for k in Locale("en").territories if re.fullmatch(r"[A-Z]{2}|[0-9]{3}", k)))
    return f"^({languages})(-[A-Z][a-z]{{3}})?(-({regions}))?$"


# --- turning the models' marks into schemas -------------------------------------------------------------

def _enum(values: Mapping[str, str], *, typed_forms: bool = True) -> dict:
    """An enum of `values` with their labels, plus the forms a YAML editor reads unquoted digits as (15190, 14)."""
    ids = list(values)
    labels = [f"{values[i]}" for i in ids]
    out: dict[str, Any] = {"enum": ids, "enumDescriptions": labels, "markdownEnumDescriptions": labels}
    typed = [yaml_value(i) for i in ids if typed_forms and not isinstance(yaml_value(i), str)] if typed_forms else []
    if typed:
        return {"anyOf": [out, {"enum": sorted(set(typed), key=lambda v: (str(type(v)), v))}]}
    return out


def _code_values(kind: str, choices: Choices) -> dict[str, str] | None:
    lang = choices.language
    if kind == "countries":
        return _countries(lang)
    if kind == "currencies":
        return _currencies(lang)
    if kind == "languages":
        return _language_names(lang)
    if kind == "sectors":
        return _sectors(lang)
    if kind == "iati-regions":
        return _iati_regions(lang)
    if kind in ("world-regions", "world-region-codes"):
        if kind == "world-regions" and "world-regions" not in choices.values:
            return None   # content-independent: the codes, or any id of a term (schema._Converter.reference)
        codes = dict(_m49_regions(lang))
        codes.update({f"iati-{code}": f"{name} (IATI)" for code, name in _iati_regions(lang).items()})
        codes.update(choices.values.get("world-regions", {}))
        return codes
    return choices.values.get(kind)


#: Keys of a value's schema that say what it means, kept when its checks are replaced.
_WORDS = ("title", "description", "default", "examples")


def _words(node: dict) -> dict:
    return {k: node[k] for k in _WORDS if k in node}


def _strings(node: dict) -> dict:
    """The string branch of a value, with the numbers an editor reads when the pattern allows all-digit values."""
    pattern = node.get("pattern")
    branches: list[dict] = [{k: v for k, v in node.items() if k not in _WORDS}]
    if pattern:
        regex = re.compile(pattern)
        if any(regex.search(s) for s in ("1", "12", "2030", "15190")):
            branches.append({"type": "integer", "minimum": 0})
        if any(regex.search(s) for s in ("2.1", "1.10")):
            branches.append({"type": "number", "minimum": 0})
        if len(branches) == 1:
            return {**_words(node), **branches[0]}
        return {**_words(node), "anyOf": branches}
    if "enum" in node or "const" in node or "format" in node:
        return node
    return {**node, "type": _ANY_SCALAR}


class _Converter:
    """Rewrites a pydantic schema for YAML editors; lists of codes and ids go once into `defs`, referred to by $ref."""

    def __init__(self, choices: Choices):
        self.choices = choices
        self.defs: dict[str, dict] = {}

    def shared(self, name: str, schema: dict) -> dict:
        self.defs.setdefault(name, schema)
        return {"$ref": f"#/$defs/{name}"}

    def node(self, node: Any, keys: bool = False) -> Any:
        """`node` (a schema) as a YAML editor must check it; `keys`: inside propertyNames (keys are always texts)."""
        if isinstance(node, list):
            return [self.node(item, keys) for item in node]
        if not isinstance(node, dict):
            return node
        mark = node.get("x-fichegen")
        reference = node.get("x-reference")
        if reference is not None:
            return self.reference(node, reference, bool(node.get("x-reference-open")), keys)
        if mark is not None:
            return self.marked(node, mark, keys)
        if "x-decimal-places" in node or "anyOf" in node and _is_decimal(node["anyOf"]):
            return self.decimal(node)
        out = {}
        for key, value in node.items():
            if key in ("properties", "$defs", "patternProperties"):
                out[key] = {name: self.node(sub) for name, sub in value.items()}
            elif key == "propertyNames":
                out[key] = self.node(value, keys=True)
            elif key in ("examples", "default", "enum", "const", "enumDescriptions", "markdownEnumDescriptions"):
                out[key] = value
            else:
                out[key] = self.node(value, keys)
        if "patternProperties" in out and "additionalProperties" not in out and len(out["patternProperties"]) == 1:
            # a mapping whose keys have a pattern (translations: language tag → hashes): other keys are refused
            (pattern, values), = out.pop("patternProperties").items()
            names = out.pop("propertyNames", {})
            out["propertyNames"] = names if {"pattern", "anyOf", "$ref", "enum"} & set(names) else {**names, "pattern": pattern}
            out["additionalProperties"] = values
        if keys:
            return out
        if out.get("type") == "integer":
            return self.integer(out)
        if out.get("type") == "string":
            if out.get("format") == "date":
                return {**_words(out), "type": "string", "pattern": day_pattern()}
            return _strings(out)
        return out

    def marked(self, node: dict, mark: str, keys: bool) -> dict:
        words = _words(node)
        if mark == "fuzzy-date":
            return {**words, "anyOf": [{"type": "string", "pattern": fuzzy_date_pattern()},
                                       {"type": "integer", "minimum": YEARS.start, "maximum": YEARS.stop - 1}]}
        if mark == "language-tag":
            if keys:
                return {**{k: v for k, v in words.items() if k != "examples"}, **self.shared("language-tag", _language_tag())}
            return {**words, **self.shared("language-tag", _language_tag()), "examples": list(self.choices.languages or ("en", "fr", "pt-BR"))}
        if mark in ("countries", "currencies", "languages", "iati-regions"):
            return {**words, **self.listed(mark, keys)}
        if mark == "decimal":
            return self.decimal({k: v for k, v in node.items() if k != "x-fichegen"})
        raise ValueError(f"unknown schema mark {mark!r}")

    def enum(self, values: Mapping[str, str], keys: bool) -> dict:
        if keys:
            return {"enum": list(values)}
        return _enum(values)

    def listed(self, kind: str, keys: bool) -> dict:
        """The codes or ids of `kind`, as a shared definition."""
        values = _code_values(kind, self.choices) or {}
        if keys:
            return {"enum": list(values)}
        return self.shared(f"{kind}-list", _enum(values))

    def reference(self, node: dict, target: str, open_: bool, keys: bool) -> dict:
        words = {k: v for k, v in _words(node).items() if k != "examples"}
        values = _code_values(target, self.choices)
        rest = {k: v for k, v in node.items() if k not in _WORDS and not k.startswith("x-")}
        if values is None:    # no list of ids here: the id's pattern
            if target == "world-regions":   # codes, or a term of the world-regions vocabulary (letters, not iati-)
                term = {"type": "string", "pattern": "^(?![0-9]{3}$)(?!iati-)[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"}
                return {**words, "anyOf": [self.listed("world-region-codes", keys), term]}
            return {**_words(node), **(rest if keys else _strings(rest))}
        if open_:   # an id that may have no fiche yet (a warning): the known ones offered, any id accepted
            return {**words, "anyOf": [self.listed(target, keys), rest if keys else _strings(rest)]}
        return {**words, **self.listed(target, keys)}

    def integer(self, node: dict) -> dict:
        lo, hi = node.get("minimum", 0), node.get("maximum")
        number = {k: v for k, v in node.items() if k not in _WORDS}
        return {**_words(node), "anyOf": [number, {"type": "string", "pattern": integer_pattern(int(lo), None if hi is None else int(hi))}]}

    def decimal(self, node: dict) -> dict:
        places = node.get("x-decimal-places", 2)
        branches = node.get("anyOf") or [{"type": "number", **{k: v for k, v in node.items() if k in _BOUNDS}}]
        number = next(b for b in branches if b.get("type") == "number")
        minimum = number.get("minimum", number.get("exclusiveMinimum"))
        maximum = number.get("maximum")
        pattern = decimal_pattern(minimum, maximum, "exclusiveMinimum" in number, places)
        return {**_words(node), "anyOf": [number, {"type": "string", "pattern": pattern}]}


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _is_decimal(branches: list) -> bool:
    types = sorted(str(b.get("type", "")) for b in branches if isinstance(b, dict))
    return types == ["number", "string"]


# --- texts -----------------------------------------------------------------------------------------

def _text_mapping(choices: Choices, text: dict, words: dict) -> dict:
    """A mapping from language tag to text, `original:` naming the language the text was first written in; the
    site's languages offered as keys."""
    properties = {ORIGINAL: {"description": "The language this text was first written in, when it is not the fiche's "
                                            "original_language (one of the languages of this mapping).",
                             "$ref": "#/$defs/language-tag", "examples": list(choices.languages or ("en",))}}
    names = Locale.parse(choices.language).languages
    for lang in choices.languages:
        properties[lang] = {**text, "description": f"The text in {names.get(lang.split('-')[0], lang)} ({lang})."}
    return {**words, "type": "object", "minProperties": 1, "properties": properties,
            "propertyNames": {"anyOf": [{"const": ORIGINAL}, {"$ref": "#/$defs/language-tag"}]},
            "additionalProperties": text}


def _language_tag() -> dict:
    return {"description": "A language tag: en, fr, pt-BR.", "type": "string", "pattern": language_tag_pattern()}


def _texts(schema: dict, choices: Choices) -> None:
    """The localized-text definitions, written here: their keys are language tags, their values any scalar."""
    defs = schema.get("$defs", {})
    if any(name in defs for name in ("LocalizedText", "LocalizedMarkdown", "LocalizedName")):
        defs["language-tag"] = _language_tag()
    text = {"type": _ANY_SCALAR, "minLength": 1, "maxLength": 100_000}
    for name in ("LocalizedText", "LocalizedMarkdown"):
        if name in defs:
            defs[name] = _text_mapping(choices, text, _words(defs[name]) | {k: v for k, v in defs[name].items() if k.startswith("x-markdown")})
    if "LocalizedName" in defs:
        words = _words(defs["LocalizedName"])
        defs["LocalizedName"] = {**words, "anyOf": [text, _text_mapping(choices, text, {})]}


# --- schemas ---------------------------------------------------------------------------------

def _note(choices: Choices) -> str:
    said = [text for code, text in EXCEPTIONS.items() if code != "references" or not choices.of_project]
    where = "generated inside the project by `fichegen schema`" if choices.of_project else \
        "content-independent (ids are checked by their form only: run `fichegen schema` in a project to list its ids)"
    return (f"\n\nThis schema is {where}. It accepts what `fichegen check` accepts and refuses what it refuses, except "
            "(`fichegen check` reports these): " + "; ".join(said) + ".")


def _finish(schema: dict, choices: Choices) -> dict:
    _texts(schema, choices)
    converter = _Converter(choices)
    converted = converter.node(schema)
    if converter.defs:
        converted["$defs"] = {**converted.get("$defs", {}), **converter.defs}
    return _without_marks(converted)


def _without_marks(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_marks(v) for k, v in node.items() if not k.startswith("x-") or k == "x-markdown"}
    if isinstance(node, list):
        return [_without_marks(v) for v in node]
    return node


def fiche_schema(kind: str, choices: Choices | None = None) -> dict:
    choices = choices or Choices()
    schema = copy.deepcopy(FICHE_TYPES[kind].model_json_schema(mode="validation"))
    schema = _finish(schema, choices)
    schema["description"] = schema.get("description", "") + _note(choices)
    return {"$schema": DRAFT, "$id": f"{kind}.schema.json", **schema}


def vocabulary_schema(name: str, choices: Choices | None = None) -> dict:
    choices = choices or Choices()
    schema = copy.deepcopy(vocabulary_model(name).model_json_schema(mode="validation"))
    schema = _finish(schema, choices)
    schema["title"] = f"Vocabulary: {name}"
    schema["description"] = (f"content/vocabularies/{name}.yaml: a mapping from term id to term. "
                             + (VOCABULARIES[name].__doc__ or "").strip() + _note(choices))
    return {"$schema": DRAFT, "$id": f"vocabulary-{name}.schema.json", **schema}


def all_schemas(choices: Choices | None = None) -> dict[str, str]:
    """File name → JSON text, for every fiche type and vocabulary: content-independent without `choices` (the
    schemas shipped in the package), a project's with its `project_choices`."""
    out = {f"{kind}.schema.json": fiche_schema(kind, choices) for kind in FICHE_TYPES}
    out.update({f"vocabulary-{name}.schema.json": vocabulary_schema(name, choices) for name in VOCABULARIES})
    return {name: json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, schema in out.items()}


def write_schemas(folder: Path, choices: Choices | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas(choices).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def packaged_schemas() -> dict[str, str]:
    """File name → JSON text of the schemas shipped in the package."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(PACKAGED.glob("*.schema.json"))}


def schema_problems(root: Path, choices: Choices) -> list[Diagnostic]:
    """A warning when the project's schemas/ no longer say what `check` says (a fiche or term added or removed
    since `fichegen schema` wrote them, or another fichegen): editors would be offered ids that are gone, or
    see new ones underlined. None when the project keeps no schemas/."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    stale = stale_schemas(folder, all_schemas(choices))
    if not stale:
        return []
    shown = ", ".join(stale[:3]) + (f" and {len(stale) - 3} more" if len(stale) > 3 else "")
    return [Diagnostic(f"{FOLDER}/{stale[0]}", 1, 1, "schema-stale",
                       f"the JSON Schemas in {FOLDER}/ no longer match the content ({shown}): editors' completion and "
                       "checks would disagree with `fichegen check`",
                       "run `fichegen schema` and commit schemas/ with the change", Severity.warning)]


def stale_schemas(folder: Path, expected: Mapping[str, str]) -> list[str]:
    """The schema files in `folder` that differ from `expected` (missing ones count), none when the folder holds
    the content-independent schemas of this fichegen (as `fichegen init` wrote them: they stay right)."""
    present = {name: (folder / name).read_text(encoding="utf-8") if (folder / name).is_file() else None for name in expected}
    if present == dict(all_schemas()):
        return []
    return [name for name, text in expected.items() if present[name] != text]
