"""Pydantic's validation errors told the way an editor needs them: what is wrong with the value in plain words
(never a regular expression), and what it should probably be.

The field's own type is found in the model at the error's location. Its kind (a country code, a date,
an amount…) chooses the words and the reader of suggest/ that guesses what was meant; a guess is only
offered when the field's own type accepts it, so the suggestions follow the models as they change."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from difflib import get_close_matches
from typing import Any, Literal

from pydantic import BaseModel, RootModel, Tag, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from .models.common import SHAPE_TAGS
from .models.common import TextKey
from .models.geography import WorldRegionId
from .models.project import SectorCode
from .models.references import Reference
from .models.vocabulary import IatiRegionCode
from .models.common import (CountryCode, CurrencyCode, FuzzyDate, LanguageCode, LanguageTag, LocalizedText, Number, Ref,
                            SourceHash, TermRef, WebUrl)
from .suggest import codes, dates, numbers, synonyms
from .suggest.guess import NOTHING, Guess, fold

#: The value types of models/common.py, told apart by the constraint and validator objects they carry.
NAMED_KINDS = {CountryCode: "country", LanguageCode: "language", LanguageTag: "language", TextKey: "language", CurrencyCode: "currency",
               Ref: "id", TermRef: "term", WorldRegionId: "world-region", SectorCode: "sector", IatiRegionCode: "iati-region",
               Number: "outline-number", SourceHash: "fingerprint", WebUrl: "web-address"}
#: The synonym tables, by the name of the field they are for.
SYNONYMS = {"role": synonyms.ROLES, "roles": synonyms.ROLES, "status": synonyms.STATUSES}
#: Error types about the form of a value rather than what it says.
_TYPE_ERRORS = ("_type", "_parsing", "is_instance_of", "model_attributes_type", "dict_type", "list_type", "string_type")


@dataclass(frozen=True)
class FieldSite:
    """Where an error stands in a model: the type of the value there, and the model field holding it."""

    annotation: Any
    field: FieldInfo | None
    name: str | None

    @property
    def kind(self) -> str | None:
        return kind_of(self.annotation)


@dataclass(frozen=True)
class Explained:
    code: str
    message: str
    hint: str


# --- the type at a location -----------------------------------------------------------------

def _optional_removed(t: Any) -> Any:
    if typing.get_origin(t) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(t) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return t


def _split(t: Any) -> tuple[Any, list]:
    """(the base type, its Annotated metadata, FieldInfo's own metadata included)."""
    meta: list = []
    t = _optional_removed(t)
    while typing.get_origin(t) is typing.Annotated:
        args = typing.get_args(t)
        t = _optional_removed(args[0])
        for m in args[1:]:
            meta.append(m)
            if isinstance(m, FieldInfo):
                meta += m.metadata
    return t, meta


def field_site(model: type[BaseModel], loc: tuple) -> FieldSite | None:
    """The type of the value at `loc` in `model` (with its constraints), or None when the location leads nowhere."""
    if loc and loc[-1] == "[key]":   # a mapping's key was refused: ('title', 'FR', '[key]') is the key FR of title
        holder = field_site(model, loc[:-2])
        base = _split(holder.annotation)[0] if holder else None
        if isinstance(base, type) and issubclass(base, RootModel):
            base = _split(base.model_fields["root"].annotation)[0]
        arms = _shape_arms(base)
        if arms:    # a name written as a mapping of languages
            base = _split(arms[1])[0]
        if typing.get_origin(base) is not dict:
            return None
        return FieldSite(typing.get_args(base)[0], holder.field, holder.name)
    current: Any = model
    field, name = None, None
    for part in loc:
        base, _ = _split(current)
        if isinstance(base, type) and issubclass(base, RootModel):
            base, _ = _split(base.model_fields["root"].annotation)
        arms = _shape_arms(base)
        if arms:   # a code or a record (models.common.by_shape): a key leads into the record
            base, _ = _split(arms[1])
            if isinstance(base, type) and issubclass(base, RootModel):
                base, _ = _split(base.model_fields["root"].annotation)
        if isinstance(base, type) and issubclass(base, BaseModel):
            if part not in base.model_fields:
                return None
            field, name = base.model_fields[part], part
            current = field.rebuild_annotation()
        elif typing.get_origin(base) is list and isinstance(part, int):
            current = typing.get_args(base)[0]
        elif typing.get_origin(base) is dict:
            key, value = typing.get_args(base)
            current = key if part == "[key]" else value
        else:
            return None
    arms = _shape_arms(_split(current)[0])
    return FieldSite(arms[0] if arms else current, field, name)   # a value where a code or a record goes: the code


def _shape_arms(t: Any) -> tuple[Any, Any] | None:
    """(plain, mapping) of a union written either way (models.common.by_shape), else None."""
    if typing.get_origin(t) not in (typing.Union, types.UnionType):
        return None
    arms = {tag.tag: arm for arm in typing.get_args(t) if typing.get_origin(arm) is typing.Annotated
            for tag in typing.get_args(arm)[1:] if isinstance(tag, Tag)}
    return (arms["plain"], arms["mapping"]) if set(arms) == set(SHAPE_TAGS) else None


def kind_of(annotation: Any) -> str | None:
    base, meta = _split(annotation)
    for named, kind in NAMED_KINDS.items():
        marks = [m for m in typing.get_args(named)[1:] if not isinstance(m, FieldInfo)]
        if any(m is n for m in meta for n in marks):
            return kind
    reference = next((m for m in reversed(meta) if isinstance(m, Reference)), None)
    if reference is not None and (reference.is_fiche or reference.is_term):   # fiche_id(…), term_id(…)
        return "id" if reference.is_fiche else "term"
    if isinstance(base, type):
        if issubclass(base, LocalizedText):
            return "localized-text"
        if issubclass(base, BaseModel):
            return "group"
        for python, kind in ((FuzzyDate, "date"), (date, "day"), (Decimal, "decimal"), (bool, None), (int, "integer"), (str, "text")):
            if issubclass(base, python):
                return kind
    origin = typing.get_origin(base)
    return {Literal: "choice", list: "list", dict: "mapping"}.get(origin)


def accepted_values(annotation: Any) -> tuple[str, ...]:
    """The values a Literal field takes, read from the model as it is now."""
    base, _ = _split(annotation)
    return tuple(typing.get_args(base)) if typing.get_origin(base) is Literal else ()


def accepts(annotation: Any, value: str) -> bool:
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError:
        return False
    return True


def kept(guess: Guess, annotation: Any) -> Guess:
    """The readings of `guess` the field accepts: the first one, or every one when the guess is ambiguous."""
    readings = tuple(v for v in guess.values if accepts(annotation, v))
    if not guess.ambiguous:
        readings = readings[:1]
    return Guess(readings, guess.ambiguous and len(readings) > 1, guess.note)


# --- words ------------------------------------------------------------------------------------

def quoted(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping of keys"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


def _either(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


def _suggestion(guess: Guess, value: Any, *, reading: bool) -> str:
    """'did you mean X?' for a value read as something else, 'write it as X' for a form put right."""
    if not guess:
        return ""
    if guess.ambiguous:
        what = f" ({guess.note})" if guess.note else ""
        return f"{quoted(value)} could mean {_either(guess.values)}{what}: write the one you mean"
    (value_meant,) = guess.values
    note = f" ({guess.note})" if guess.note else ""
    return f"did you mean '{value_meant}'{note}?" if reading else f"write it as {value_meant}{note}"


#: What each kind of value is, and an example, for the message "'x' is not a country code: write … e.g. PT".
_WHAT = {
    "country": ("a country code", "write the two-letter ISO 3166-1 code in capitals", "PT"),
    "language": ("a language code", "write the ISO 639-1 code in lower case", "en"),
    "currency": ("a currency code", "write the three-letter ISO 4217 code in capitals", "EUR"),
    "id": ("an id", "write the fiche's file name, in lower-case letters, digits and hyphens", "aima"),
    "term": ("a term id", "write the term's id as in content/vocabularies/, letters, digits, '-', '_' or '.'", "remittances"),
    "outline-number": ("a priority number", "write numbers joined by dots", "2.1"),
    "fingerprint": ("a translation fingerprint", "let `fichegen translations --stamp FILE --lang xx` write it", "3f2a9c1e"),
    "world-region": ("a world region", "write a UN M49 code (014 Eastern Africa), an IATI region (iati-1027) or the id of a term of "
                     "content/vocabularies/world-regions.yaml", "014"),
    "sector": ("an OECD DAC purpose code", "write the five-digit code of the IATI Sector codelist", "15190"),
    "iati-region": ("an IATI region code", "write the code of the IATI Region codelist, digits only", "1027"),
}


def _code_like(kind: str, value: Any, site: FieldSite, original_language: str = "en") -> Explained:
    """A country, language or currency code, an id, a term or a priority number that is not written as one."""
    what, how, example = _WHAT[kind]
    text = str(value) if isinstance(value, str) else ""
    guess = NOTHING
    if kind == "country":
        guess = codes.country(text)
    elif kind == "language":
        guess = codes.language(text)
    elif kind == "currency":
        guess = codes.currency(text)
    elif kind == "outline-number":
        guess = numbers.outline_number(text)
    elif kind in ("id", "term") and len(text.split()) == 1:
        guess = Guess((re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-"),)) if kind == "id" else Guess((fold(text).replace(" ", "-"),))
    read = guess
    guess = kept(guess, site.annotation)
    if kind == "language" and guess and not guess.ambiguous and guess.values[0] != read.values[0]:
        guess = Guess(guess.values, note=f"the field takes the language without its region or script, not {read.values[0]}")
    shown = guess.values[0] if guess and not guess.ambiguous else example
    code = "unknown-language" if kind == "language" else "invalid-value"
    message = f"{quoted(value)} is not {what}: {how}, e.g. {shown}"
    only_form = guess and not guess.ambiguous and fold(guess.values[0]) == fold(text)
    hint = _suggestion(guess, value, reading=not only_form)
    if not hint and kind == "language" and site.name and " " in text.strip():
        hint = (f"a comma inside {{ }} starts a new key: put a text that holds a comma in quotes, "
                f"e.g. {site.name}: {{{original_language}: \"…, {text.strip()}\"}}")
    if not hint and kind == "id" and len(text.split()) > 1:
        hint = "a fiche is named by its id (the file name without .yaml), not by its title; `check` then suggests the id of a name it knows"
    if not hint and kind == "term" and len(text.split()) > 1:
        hint = "a term is named by its id (its key in the vocabulary file), not by its label"
    return Explained(code, message, hint or _UNREAD.get(kind, how))


#: The hint when a value could not be read as anything: what fichegen tried, so the editor knows what is left.
_UNREAD = {
    "country": "no country has that name or code in any language fichegen knows: check the spelling, or write the code itself",
    "language": "no language has that name or code in any language fichegen knows: check the spelling, or write the code itself",
    "currency": "no currency is written so: write its code, e.g. EUR, USD or CVE",
}


def _choice(value: Any, site: FieldSite, path: str) -> Explained:
    allowed = accepted_values(site.annotation)
    text = str(value) if isinstance(value, str) else ""
    table = SYNONYMS.get(site.name or "", {})
    guess = synonyms.meaning(text, table, allowed)
    message = f"{path}: {quoted(value)} is not one of the values it takes: {_either(allowed)}"
    if not guess:
        close = get_close_matches(fold(text), list(allowed), n=1, cutoff=0.6)
        guess = Guess(tuple(close))
    hint = _suggestion(guess, value, reading=True) or f"use one of {_either(allowed)}, spelt exactly"
    return Explained("invalid-value", message, hint)


def _when(value: Any, site: FieldSite, path: str, err: dict) -> Explained:
    """A date that is not written YYYY(-MM(-DD)): read it as people write dates, in any site language."""
    full = site.kind == "day"
    form = "YYYY-MM-DD" if full else "YYYY, YYYY-MM or YYYY-MM-DD"
    if err["type"] in _OWN_TYPES:
        message = f"{path}: {err['msg']}"
    else:
        message = f"{path}: {quoted(value)} is not a date written {form}"
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):   # start_date: [2010]
        value = value[0]
        guess = Guess((value,)) if accepts(site.annotation, value) else dates.date_text(value)
    else:
        guess = dates.date_text(value) if isinstance(value, str) else NOTHING
    fits = kept(guess, site.annotation)
    hint = _suggestion(fits, value, reading=False)
    if not hint and guess and full:
        hint = f"a full date is needed here, day included: {form}"
    if not hint:
        hint = "write the date as YYYY-MM-DD, e.g. 2021-12-31" if full else f"write the date as {form}: 2021-03 for March 2021"
    return Explained(err["type"] if err["type"] in _OWN_TYPES else "invalid-value", message, hint)


def _amount(value: Any, site: FieldSite, path: str, err: dict) -> Explained:
    """A number written as in a document: thousands separators, a decimal comma, a currency, a '%'."""
    kind, ctx = err["type"], err.get("ctx") or {}
    text = value if isinstance(value, str) else ""
    guess = numbers.plain_number(text) if text else NOTHING
    fits = kept(guess, site.annotation)
    whole = site.kind == "integer"
    if kind == "decimal_max_places":
        problem = f"has more decimals than the {ctx.get('decimal_places')} allowed"
    elif kind in ("decimal_max_digits", "decimal_whole_digits"):
        problem = "has more digits than an amount can have"
    elif kind.startswith(("greater_than", "less_than")):
        return Explained("invalid-value", f"{path}: {quoted(value)} {_bound(ctx)}", "check the number against the source")
    else:
        problem = "is not a whole number" if whole else "is not a plain number"
    message = f"{path}: {quoted(value)} {problem}"
    if guess.ambiguous and len(fits.values) == 1:
        (fit,) = fits.values
        other = next(v for v in guess.values if v != fit)
        separator = "','" if "," in text else "'.'"
        role = "marks the decimals" if "." in fit else "separates thousands"
        hint = f"if the {separator} {role}, write {fit} ({quoted(value)} could also mean {other}, which does not fit here)"
    else:
        hint = _suggestion(fits, value, reading=False)
    example = _example(site) or ("12" if whole else "1532558.68")
    plain = f"a whole number in digits, e.g. {example}" if whole else f"a plain number, digits and a dot before the decimals, e.g. {example}"
    return Explained("wrong-type" if "parsing" in kind or kind.endswith("_type") else "invalid-value", message,
                     hint or f"write {plain}, without thousands separators, currency or %")


def _example(site: FieldSite) -> str | None:
    """The field's own example (a rate's is 94.42, an amount's 1532558.68), from the model."""
    _, meta = _split(site.annotation)
    for m in [*meta, site.field]:
        if isinstance(m, FieldInfo) and m.examples:
            return str(m.examples[0])
    return None


def _bound(ctx: dict) -> str:
    for key, words in (("gt", "must be more than {}"), ("ge", "must be {} or more"), ("lt", "must be less than {}"),
                       ("le", "must be {} at most")):
        if key in ctx:
            return words.format(ctx[key])
    return "is out of the range allowed"


def _web_address(value: Any, site: FieldSite, path: str, err: dict) -> Explained:
    text = value if isinstance(value, str) else ""
    guess = Guess((f"https://{text.strip()}",)) if re.fullmatch(r"[\w.-]+\.[A-Za-z]{2,}(/\S*)?", text.strip()) else NOTHING
    hint = _suggestion(kept(guess, site.annotation), value, reading=False)
    return Explained("invalid-value", f"{path}: {err['msg']}", hint or "write the whole address, starting with https://")


def _shape(value: Any, site: FieldSite, path: str, err: dict, original_language: str) -> Explained:
    """A text where a list or a mapping is expected, or the other way round."""
    kind = err["type"]
    if kind == "list_type":
        hint = "write a list, one item per line starting with '- '"
        if isinstance(value, str) and value.strip():
            items = [i.strip() for i in re.split(r"[,;]", value) if i.strip()]
            hint = f"write it as a list: [{', '.join(items)}]"
        return Explained("wrong-type", f"{path}: expected a list, not {quoted(value)}", hint)
    if site.kind == "localized-text" and isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return Explained("wrong-type", f"{path}: a text is written under its language code, not directly",
                         f"write it as {{{original_language}: {shown}}}, or on the next lines '  {original_language}: …'")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Explained("wrong-type", f"{path}: expected keys and values indented below it, not {quoted(value)}",
                         "write the keys below it, indented, e.g. 'en: …' for a text")
    if kind == "string_type":
        if value is None:
            return Explained("wrong-type", f"{path}: the value is empty", "write the value after the colon, or delete the line if the field is optional")
        return Explained("wrong-type", f"{path}: expected a text, not {quoted(value)}", "write a single text on the line of the key")
    return Explained("wrong-type", f"{path}: {_lower(err['msg'])}, not {quoted(value)}",
                     "write the value in the form the field reference of the handbook gives")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


#: The error types raised by fichegen's own validators (models/common.py): their messages are already for editors.
_OWN_TYPES = ("invalid-value", "unknown-language", "wrong-type")

#: Every other error type the models can raise, in words; {value} is the value quoted, {field} the path.
_MESSAGES = {
    "string_too_short": ("{field} is empty", "write a text, or delete the line if the field is optional"),
    "string_too_long": ("{field} is longer than the {max_length} characters allowed",
                        "shorten it: the limit keeps a runaway paste out of the site"),
    "too_short": ("{field} needs at least {min_length} items", "add the missing items"),
    "too_long": ("{field} has more than the {max_length} items allowed", "remove some items"),
    "bool_parsing": ("{field}: {value} is not true or false", "write true or false"),
}


def explain(err: dict, site: FieldSite | None, path: str, original_language: str = "en") -> Explained:
    """The diagnostic's code, message and hint for one Pydantic error at `path` (already without the value)."""
    kind = err["type"]
    value = err.get("input")
    field_kind = site.kind if site else None
    if site and field_kind in _WHAT and kind not in ("string_type", "missing"):
        explained = _code_like(field_kind, value, site, original_language)
        return Explained(explained.code, f"{path}: {explained.message}", explained.hint)
    if site and field_kind in ("date", "day") and kind not in ("string_type",) and not kind.startswith("list"):
        return _when(value, site, path, err)
    if site and field_kind in ("decimal", "integer") and isinstance(value, str):
        return _amount(value, site, path, err)
    if site and field_kind == "choice" and kind == "literal_error":
        return _choice(value, site, path)
    if site and field_kind == "web-address" and kind in _OWN_TYPES:
        return _web_address(value, site, path, err)
    if kind.endswith(_TYPE_ERRORS) or any(t in kind for t in _TYPE_ERRORS):
        return _shape(value, site or FieldSite(None, None, None), path, err, original_language)
    if kind in _OWN_TYPES:
        return Explained(kind, f"{path}: {err['msg']}" if path else err["msg"], "")
    if kind.startswith(("greater_than", "less_than")):
        return Explained("invalid-value", f"{path}: {quoted(value)} {_bound(err.get('ctx') or {})}", "check the number against the source")
    if kind == "string_pattern_mismatch":   # a constrained text fichegen has no reader for: say what the field is
        about = site.field.description if site and site.field and site.field.description else ""
        return Explained("invalid-value", f"{path}: {quoted(value)} is not written the way this field takes it",
                         about.split(". ")[0].rstrip(".") if about else "see the field in the handbook's field reference")
    if kind in _MESSAGES:
        message, hint = _MESSAGES[kind]
        values = {"field": path, "value": quoted(value), **(err.get("ctx") or {})}
        return Explained("invalid-value", message.format(**values), hint)
    text = _lower(err["msg"]).removeprefix("value error, ")
    return Explained("invalid-value", f"{path}: {text}" if path else text, "")
