"""Value types shared by every fiche: localized text, partial dates, money, codes, links."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Iterator, Literal, Union
from urllib.parse import urlsplit

from babel import Locale
from babel.numbers import list_currencies
from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, GetCoreSchemaHandler, Tag,
                      GetJsonSchemaHandler, RootModel, StringConstraints, model_validator)
from pydantic_core import PydanticCustomError, core_schema

from .references import Reference


class Strict(BaseModel):
    """Base of every model read from YAML: unknown keys are errors, docstrings document fields."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=False,
                              str_strip_whitespace=False, validate_default=False)


@dataclass(frozen=True)
class Problem:
    """A rule broken inside one fiche, at a location inside it (keys and list indices)."""

    loc: tuple
    code: str
    message: str
    hint: str = ""


# --- codes ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    not_countries = {"EU", "EZ", "UN", "QO", "ZZ"}
    return frozenset(k for k in Locale("en").territories if len(k) == 2 and k.isalpha() and k not in not_countries)


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    return frozenset(k for k in Locale("en").languages if re.fullmatch(r"[a-z]{2,3}", k))


def _country(value: str) -> str:
    if value not in _territories():
        raise PydanticCustomError("invalid-value", "'{value}' is not a country code: write the two-letter ISO 3166-1 code in capitals, e.g. PT", {"value": value})
    return value


def _language(value: str) -> str:
    if value not in _languages():
        raise PydanticCustomError("unknown-language", "'{value}' is not a language code: write the ISO 639-1 code in lower case, e.g. en", {"value": value})
    return value


_TAG = re.compile(r"([a-z]{2,3})(?:-([A-Z][a-z]{3}))?(?:-([A-Z]{2}|[0-9]{3}))?")


def _language_tag(value: str) -> str:
    """A BCP 47 tag of the forms texts need: a language, optionally a script and a region (pt-BR, sr-Latn, es-419)."""
    m = _TAG.fullmatch(value)
    if not m or m[1] not in _languages() or (m[3] and m[3] not in Locale("en").territories):
        raise PydanticCustomError("unknown-language", "'{value}' is not a language tag such as en, fr or pt-BR", {"value": value[:40]})
    return value


def primary_language(tag: str) -> str:
    """The language of a tag without its script or region: pt-BR → pt."""
    return tag.split("-", 1)[0]


def _currency(value: str) -> str:
    if value not in list_currencies():
        raise PydanticCustomError("invalid-value", "'{value}' is not a currency code: write the three-letter ISO 4217 code in capitals, e.g. EUR", {"value": value})
    return value


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() or ord(c) < 32 for c in value):
        raise PydanticCustomError("invalid-value", "'{value}' is not a web address starting with https:// or http://", {"value": value[:80]})
    return value


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_country), Reference("countries"),
                        Field(examples=["PT", "CV"])]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$"), AfterValidator(_language),
                         Field(examples=["en", "fr"], json_schema_extra={"x-fichegen": "languages"})]
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"),
                        AfterValidator(_language_tag), Field(examples=["en", "pt-BR"], json_schema_extra={"x-fichegen": "language-tag"})]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency),
                         Field(examples=["EUR"], json_schema_extra={"x-fichegen": "currencies"})]
WebUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_web_url),
                   Field(json_schema_extra={"pattern": r"^https?://[^/?#\s]+\.[^/?#\s]+([/?#]\S*)?$"},
                         examples=["https://www.icmpd.org/"])]
Ref = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"),
                Field(examples=["aima"])]
TermRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9])?$"),
                    Field(examples=["remittances"])]
#: Examples of ids, from the showcase, for the schemas and the handbook.
ID_EXAMPLES = {"organisation": "aima", "project": "coop4int", "strategy": "valencian-migration-strategy-2021-2026",
               "discussion": "territorial-approach-migration-development-2013", "themes": "integration",
               "target-groups": "migrants", "organisation-types": "public-agency", "programmes": "migration-partnership-facility",
               "regions": "ES-VC", "funds": "amif", "world-regions": "014"}


def fiche_id(kind: str, *, relation: str | None = None, relations_from: str | None = None, detail_from: str | None = None,
             may_be_missing: bool = False) -> Any:
    """The type of a field holding the id of a fiche of `kind`: an id, and the reference it makes."""
    return Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"),
                     Reference(kind, relation, relations_from, detail_from, may_be_missing),
                     Field(examples=[ID_EXAMPLES[kind]])]


def term_id(vocabulary: str, *, relation: str | None = None) -> Any:
    """The type of a field holding the id of a term of the vocabulary `vocabulary`."""
    return Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9])?$"),
                     Reference(vocabulary, relation), Field(examples=[ID_EXAMPLES[vocabulary]])]
Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000)]
#: A number as a document writes it: 2, 2.1, a Roman numeral (IV, IV.2) or a letter (a, 2.b).
Number = Annotated[str, StringConstraints(pattern=r"^([0-9]+|[IVXLCDM]+|[a-z])(\.([0-9]+|[IVXLCDM]+|[a-z]))*$"), Field(examples=["2.1"])]
#: How a source qualifies a figure: "about €1 million", "more than 4,653".
Qualifier = Literal["about", "at_least", "more_than", "at_most", "less_than"]


# --- localized text ------------------------------------------------------------------

#: The key of a localized text that names the language it was first written in, when that is not the fiche's.
ORIGINAL = "original"


def _text_key(value: str) -> str:
    return value if value == ORIGINAL else _language_tag(value)


TextKey = Annotated[str, AfterValidator(_text_key)]


class LocalizedText(RootModel[dict[TextKey, Text]]):
    """A text in one or more languages: a mapping from language tag (en, fr, pt-BR) to text.

    `original: en` inside the mapping says which of its languages the text was first written in, when that
    is not the fiche's `original_language` (a title known only in English on a fiche written in French)."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "examples": [{"en": "Text in English", "fr": "Texte en français"}]})

    @model_validator(mode="after")
    def _in_some_language(self):
        texts = self.texts
        if not texts:   # every page shows a text in some language: an empty mapping has none to fall back on
            raise PydanticCustomError("invalid-value", "the text is empty: write it in at least one language, e.g. 'en: …'")
        original = self.original
        if original is not None and original not in texts:
            raise PydanticCustomError("missing-original-language",
                                      "'original: {original}' names a language this text is not written in",
                                      {"original": original})
        return self

    @property
    def texts(self) -> dict[str, str]:
        """Language tag → text, without the `original` key."""
        root = self.root
        return root if ORIGINAL not in root else {k: v for k, v in root.items() if k != ORIGINAL}

    @property
    def original(self) -> str | None:
        """The language this text was first written in, when it says so itself."""
        return self.root.get(ORIGINAL)

    @property
    def invariant(self) -> bool:
        """A name that is the same in every language (never translated, never missing)."""
        return False

    def get(self, lang: str) -> str | None:
        return None if lang == ORIGINAL else self.root.get(lang)

    @property
    def languages(self) -> list[str]:
        return list(self.texts)

    def __contains__(self, lang: str) -> bool:
        return lang != ORIGINAL and lang in self.root

    def items(self):
        return self.texts.items()


class LocalizedMarkdown(LocalizedText):
    """Like LocalizedText, each text written in Markdown (paragraphs, lists, **bold**, [links](https://…))."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "x-markdown": True,
                                                 "examples": [{"en": "A paragraph with a [link](https://example.org/)."}]})


#: The tags of `by_shape` unions; validate.py leaves them out of the locations it shows.
SHAPE_TAGS = ("plain", "mapping")


def _shape(value: Any) -> str:
    return "mapping" if isinstance(value, (dict, BaseModel)) else "plain"


def by_shape(plain: Any, mapping: Any) -> Any:
    """A value written either plainly (a code, a name) or as a mapping (a record with more detail): validated as
    the one its shape says, so a mistake in one form is not also reported as a mismatch with the other."""
    return Annotated[Union[Annotated[plain, Tag("plain")], Annotated[mapping, Tag("mapping")]], Discriminator(_shape)]


class LocalizedName(LocalizedText):
    """A name: a mapping from language tag to the name in that language, or one plain text when the name is
    the same in every language (a proper name such as "SIforREF" or "Kulturno društvo Gmajna": never
    translated, never counted as missing, shown without a "not translated" note)."""

    root: by_shape(Text, dict[TextKey, Text])  # type: ignore[assignment]
    model_config = ConfigDict(json_schema_extra={"examples": ["SIforREF", {"en": "Name in English", "fr": "Nom en français"}]})

    @model_validator(mode="after")
    def _in_some_language(self):
        if isinstance(self.root, str):
            return self
        return LocalizedText._in_some_language(self)

    @property
    def texts(self) -> dict[str, str]:
        return {} if isinstance(self.root, str) else super().texts

    @property
    def original(self) -> str | None:
        return None if isinstance(self.root, str) else self.root.get(ORIGINAL)

    @property
    def invariant(self) -> bool:
        return isinstance(self.root, str)

    @property
    def name(self) -> str | None:
        """The name itself, when it is the same in every language."""
        return self.root if isinstance(self.root, str) else None

    def get(self, lang: str) -> str | None:
        if isinstance(self.root, str):
            return self.root
        return super().get(lang)

    def __contains__(self, lang: str) -> bool:
        return isinstance(self.root, str) or super().__contains__(lang)


# --- partial dates -------------------------------------------------------------------

#: The years a date may have: a typo such as 0202 or 9999 would otherwise stretch every timeline (and date
#: arithmetic past year 9999 fails).
YEARS = range(1800, 2200)


def _plausible_year(year: int, value: str) -> None:
    if year not in YEARS:
        raise PydanticCustomError("invalid-value", "'{value}' lies outside the years {first}–{last}: is it a typo?",
                                  {"value": value[:40], "first": YEARS.start, "last": YEARS.stop - 1})


def _plausible_day(value: date) -> date:
    _plausible_year(value.year, value.isoformat())
    return value


Day = Annotated[date, AfterValidator(_plausible_day)]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to the year, the month or the day: 2010, 2010-01, 2010-01-15."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: Any) -> "FuzzyDate":
        if isinstance(value, FuzzyDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        if not isinstance(value, (str, int)):
            raise PydanticCustomError("wrong-type", "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, not a list or mapping")
        m = _DATE.fullmatch(str(value))   # whole: `$` alone would also match before a final newline
        if not m:
            raise PydanticCustomError("invalid-value", "'{value}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD", {"value": str(value)[:40]})
        year = int(m[1])
        month, day = (None if part is None else int(part) for part in (m[2], m[3]))
        try:
            date(year, 1 if month is None else month, 1 if day is None else day)   # month or day 00 is no date
        except ValueError:
            raise PydanticCustomError("invalid-value", "'{value}' is not a real calendar date: no such month or day", {"value": str(value)}) from None
        _plausible_year(year, str(value))
        return cls(year, month, day)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def plus_months(self, months: int) -> "FuzzyDate":
        """The last month of a span of `months` starting in this date's month ("2010-01" + 24 → "2011-12"), as
        precise as this date (a span from a year counts from its January: the result is a month)."""
        index = self.year * 12 + (self.month or 1) - 1 + months - 1
        return FuzzyDate(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        s = f"{self.year:04d}"
        if self.month:
            s += f"-{self.month:02d}"
        if self.day:
            s += f"-{self.day:02d}"
        return s

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema, handler: GetJsonSchemaHandler):
        # schema.py spells out the real calendar dates (and a year written as a number) this mark stands for
        return {"x-fichegen": "fuzzy-date", "description": "A date: YYYY, YYYY-MM or YYYY-MM-DD.",
                "examples": [2021, "2021-12", "2006-08-31"]}


class Period(Strict):
    """A span of time; either end may be unknown."""

    start: FuzzyDate | None = None
    """First day (or month, or year) of the period."""
    end: FuzzyDate | None = None
    """Last day (or month, or year) of the period."""

    def problems(self, loc: tuple = ()) -> Iterator[Problem]:
        if self.start and self.end and self.end.last_day() < self.start.first_day():
            yield Problem(loc + ("end",), "end-before-start", f"the end ({self.end}) is before the start ({self.start})",
                          "swap the two dates or correct the end date")


# --- money ---------------------------------------------------------------------------

Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, examples=[1532558.68],
                                  json_schema_extra={"x-decimal-places": 2})]


class Money(Strict):
    """An amount of money in one currency."""

    amount: Amount
    """The amount, as a plain decimal number: 1532558.68."""
    currency: CurrencyCode
    """ISO 4217 currency code, as the source gives it: EUR, USD, CHF…"""
    qualifier: Qualifier | None = None
    """When the source qualifies the amount: about ("circa un milione"), at_least, more_than, at_most, less_than."""


# --- links, identifiers, sources -----------------------------------------------------

class Link(Strict):
    """A web page about the fiche."""

    url: WebUrl
    """The full address, starting with https://."""
    kind: Literal["website", "record", "document", "other"] = "website"
    """website: the fiche's own site; record: a record in a database such as keep.eu; document: a report or PDF."""
    label: LocalizedText | None = None
    """What the link leads to, shown as its text."""


class Identifier(Strict):
    """A code that identifies the fiche in another system."""

    scheme: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    """The system the code belongs to, e.g. 'grant-agreement', 'keep.eu', 'iati', 'vat'."""
    value: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    """The code itself, exactly as the system writes it."""


class Source(Strict):
    """A document the fiche's facts were taken from."""

    title: Text
    """Title of the source document or web page."""
    url: WebUrl | None = None
    """Where it can be read."""
    accessed: FuzzyDate | None = None
    """When it was read."""
    note: Text | None = None
    """What was taken from it, or how it was interpreted."""


SourceHash = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$"),
                       Field(description="The first 8 hex digits of the SHA-256 of an original text (whitespace collapsed).",
                             examples=["3f2a9c1e"])]


# --- lists ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Unique:
    """The list holds each item once; `key` names the field of its records that must differ (an organisation)."""

    key: str | None = None
    hint: str = "remove the repeat"


def items(item: Any, max_items: int, unique: bool | str = False, hint: str = "remove the repeat") -> Any:
    """The type of a list field: at most `max_items` items (a documented budget: one fiche cannot flood the
    site), and, with `unique`, each item (or each record's `unique` field) once, a repeat reported where it is."""
    extra = {"uniqueItems": True} if unique is True else None
    marks = [Unique(None if unique is True else unique, hint)] if unique else []
    return Annotated[list[item], Field(max_length=max_items, json_schema_extra=extra), *marks]


def _unique_mark(model: type[BaseModel], name: str) -> Unique | None:
    return next((m for m in model.model_fields[name].metadata if isinstance(m, Unique)), None)


def repeats(model: BaseModel, loc: tuple = ()) -> Iterator[Problem]:
    """Repeated items in every list declared unique, in `model` and the records nested in it."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel) and not isinstance(value, RootModel):
            yield from repeats(value, loc + (name,))
        if not isinstance(value, list):
            continue
        mark = _unique_mark(type(model), name)
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            if isinstance(item, BaseModel) and not isinstance(item, RootModel):
                yield from repeats(item, loc + (name, i))
            if mark is None:
                continue
            key = getattr(item, mark.key, None) if mark.key else (item.model_dump_json() if isinstance(item, BaseModel) else item)
            if key is None:
                continue
            if key in seen:
                what = f"'{key}'" if isinstance(key, str) and len(key) < 80 else "the same item"
                yield Problem(loc + (name, i) + ((mark.key,) if mark.key else ()), "duplicate-item",
                              f"{what} is listed twice in {name} (items {seen[key] + 1} and {i + 1})",
                              mark.hint)
            else:
                seen[key] = i


class FicheBase(Strict):
    """Fields every fiche has."""

    original_language: LanguageTag
    """The language the fiche's facts were first written in (en, fr, pt-BR…); its texts exist in that language, unless a text names its own with `original:`."""
    published: Day | None = None
    """When the fiche was first published on the site (YYYY-MM-DD); used by the feeds."""
    updated: Day | None = None
    """When the fiche was last changed in substance (YYYY-MM-DD); used by the feeds."""
    sources: items(Source, 50) = []
    """Documents the facts were taken from."""
    translations: dict[LanguageTag, list[SourceHash]] = {}
    """Fingerprints of the original texts each language's translations were made from; a translation whose original text has changed since is reported as stale. Written by `fichegen translations --stamp FILE --lang xx` after a translator has updated the fiche, not by hand."""

    _id: str = ""

    @property
    def id(self) -> str:
        # straight from the private-attribute dict: `self._id` goes through pydantic's __getattr__, 10× slower
        return self.__pydantic_private__["_id"]

    def listed_date(self) -> str:
        """The date lists of fiches are sorted by (newest, oldest): when it started; '' for a fiche without one."""
        return ""

    def original_of(self, text: LocalizedText) -> str | None:
        """The language `text` was first written in: its own `original:`, else the fiche's; None for a name
        that is the same in every language."""
        if text.invariant:
            return None
        return text.original or self.original_language

    def check_original_language(self, fields: dict[str, LocalizedText | None]) -> Iterator[Problem]:
        for name, text in fields.items():
            if text is None or text.invariant or text.original:
                continue   # a name is the same in every language; a text with `original:` was checked when read
            if self.original_language not in text:
                yield Problem((name,), "missing-original-language",
                              f"'{name}' has no text in the original language '{self.original_language}'",
                              f"add '{self.original_language}:' under '{name}', say which language it was written in with "
                              f"'original: {text.languages[0]}', or correct original_language")

    def problems(self) -> Iterator[Problem]:
        yield from repeats(self)

