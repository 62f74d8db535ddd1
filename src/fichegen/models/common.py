"""Value types shared by every fiche: localized text, partial dates, money, codes, links."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Iterator, Literal
from urllib.parse import urlsplit

from babel import Locale
from babel.numbers import list_currencies
from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, GetCoreSchemaHandler,
                      GetJsonSchemaHandler, RootModel, StringConstraints, model_validator)
from pydantic_core import PydanticCustomError, core_schema


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
        raise PydanticCustomError("invalid-value", "'{value}' is not an ISO 3166-1 alpha-2 country code", {"value": value})
    return value


def _language(value: str) -> str:
    if value not in _languages():
        raise PydanticCustomError("unknown-language", "'{value}' is not an ISO 639 language code", {"value": value})
    return value


def _currency(value: str) -> str:
    if value not in list_currencies():
        raise PydanticCustomError("invalid-value", "'{value}' is not an ISO 4217 currency code", {"value": value})
    return value


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() or ord(c) < 32 for c in value):
        raise PydanticCustomError("invalid-value", "'{value}' is not a web address starting with https:// or http://", {"value": value[:80]})
    return value


CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_country),
                        Field(examples=["PT", "CV"])]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$"), AfterValidator(_language),
                         Field(examples=["en", "fr"])]
CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), AfterValidator(_currency),
                         Field(examples=["EUR"])]
WebUrl = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_web_url),
                   Field(json_schema_extra={"format": "uri", "pattern": "^https?://"}, examples=["https://example.org/"])]
Ref = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$"),
                Field(examples=["aima"])]
TermRef = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9])?$"),
                    Field(examples=["remittances"])]
Text = Annotated[str, StringConstraints(min_length=1, max_length=100_000)]
Number = Annotated[str, StringConstraints(pattern=r"^[0-9]+(\.[0-9]+)*$"), Field(examples=["2.1"])]


# --- localized text ------------------------------------------------------------------

class LocalizedText(RootModel[dict[LanguageCode, Text]]):
    """A text in one or more languages: a mapping from language code to text."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "examples": [{"en": "Text in English", "fr": "Texte en français"}]})

    @model_validator(mode="after")
    def _in_some_language(self):
        if not self.root:   # every page shows a text in some language: an empty mapping has none to fall back on
            raise PydanticCustomError("invalid-value", "the text is empty: write it in at least one language, e.g. 'en: …'")
        return self

    def get(self, lang: str) -> str | None:
        return self.root.get(lang)

    @property
    def languages(self) -> list[str]:
        return list(self.root)

    def __contains__(self, lang: str) -> bool:
        return lang in self.root

    def items(self):
        return self.root.items()


class LocalizedMarkdown(LocalizedText):
    """Like LocalizedText, each text written in Markdown (paragraphs, lists, **bold**, [links](https://…))."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "x-markdown": True,
                                                 "examples": [{"en": "A paragraph with a [link](https://example.org/)."}]})


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
        year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
        try:
            date(year, month or 1, day or 1)
        except ValueError:
            raise PydanticCustomError("invalid-value", "'{value}' is not a real calendar date", {"value": str(value)}) from None
        _plausible_year(year, str(value))
        return cls(year, month or None, day or None)

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
        return {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                "description": "A date: YYYY, YYYY-MM or YYYY-MM-DD.", "examples": ["2021-12", "2006-08-31"]}


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

Amount = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2, examples=["1532558.68"])]


class Money(Strict):
    """An amount of money in one currency."""

    amount: Amount
    """The amount, as a decimal number: 1532558.68."""
    currency: CurrencyCode = "EUR"
    """ISO 4217 currency code (EUR by default)."""


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


class FicheBase(Strict):
    """Fields every fiche has."""

    original_language: LanguageCode
    """The language the fiche's facts were first written in; its texts must exist in that language."""
    published: Day | None = None
    """When the fiche was first published on the site (YYYY-MM-DD); used by the feeds."""
    updated: Day | None = None
    """When the fiche was last changed in substance (YYYY-MM-DD); used by the feeds."""
    sources: list[Source] = []
    """Documents the facts were taken from."""
    translations: dict[LanguageCode, list[SourceHash]] = {}
    """Fingerprints of the original texts each language's translations were made from; a translation whose original text has changed since is reported as stale. Written by `fichegen translations --stamp FILE --lang xx` after a translator has updated the fiche, not by hand."""

    _id: str = ""

    @property
    def id(self) -> str:
        # straight from the private-attribute dict: `self._id` goes through pydantic's __getattr__, 10× slower
        return self.__pydantic_private__["_id"]

    def check_original_language(self, fields: dict[str, LocalizedText | None]) -> Iterator[Problem]:
        for name, text in fields.items():
            if text is not None and self.original_language not in text:
                yield Problem((name,), "missing-original-language",
                              f"'{name}' has no text in the original language '{self.original_language}'",
                              f"add '{self.original_language}:' under '{name}', or correct original_language")

    def problems(self) -> Iterator[Problem]:
        return iter(())
