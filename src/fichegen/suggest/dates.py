"""Dates as people write them ("March 2021", "mars 2021", "31.12.2021", "12/31/2021") read as YYYY-MM(-DD).

A day and month that could be either way round (03/04/2021) are ambiguous: both readings are given and
neither is chosen. Two-digit years are not read (which century?)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Mapping

from babel import Locale, localedata

from .guess import NOTHING, Guess, fold

#: Month names are taken from every CLDR language; where two languages give one abbreviation different
#: months ("mar" is March in Spanish, May in another), the earlier tier wins: the site's usual languages first.
MONTH_TIERS = (("en", "fr", "es", "pt"), ("de", "it", "nl", "ca", "gl", "ro"))
#: Words found around dates that say nothing about them: "31 de marzo de 2021", "1er mars", "March 1st, 2021".
FILLERS = frozenset({"de", "del", "of", "the", "le", "la", "el", "em", "er", "st", "nd", "rd", "th", "o", "a"})

_TIME = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


@cache
def month_names() -> Mapping[str, int]:
    """Folded month names and abbreviations ('mars', 'marco', 'mar', 'sept') → month number."""
    tiers: list[list[str]] = [list(t) for t in MONTH_TIERS]
    named = {lang for tier in MONTH_TIERS for lang in tier}
    tiers.append([i for i in localedata.locale_identifiers() if "_" not in i and i not in named])
    months: dict[str, int] = {}
    for tier in tiers:
        found: dict[str, set[int]] = defaultdict(set)
        for ident in tier:
            calendar = Locale.parse(ident).months
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for number, name in calendar[context][width].items():
                        key = fold(name)
                        if key and not key.isdigit():
                            found[key].add(number)
        for key, numbers in found.items():
            if key not in months and len(numbers) == 1:
                months[key] = next(iter(numbers))
    return MappingProxyType(months)


def _real(year: int, month: int, day: int | None = None) -> str | None:
    try:
        date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _english(year: int, month: int, day: int) -> str:
    return f"{day} {Locale('en').months['format']['wide'][month]} {year}"


def _day_month(a: int, b: int, year: int) -> Guess:
    """Two numbers before a year: day then month (31.12.2021), or month then day (12/31/2021)."""
    day_first, month_first = _real(year, b, a), _real(year, a, b)
    if day_first and month_first and a != b:
        return Guess((day_first, month_first), ambiguous=True,
                     note=f"{_english(year, b, a)} or {_english(year, a, b)}")
    found = day_first or month_first
    return Guess((found,)) if found else NOTHING


def _numbers(numbers: list[str]) -> Guess:
    values = [int(n) for n in numbers]
    if len(numbers) == 1 and len(numbers[0]) == 8:                   # 20211231
        found = _real(values[0] // 10000, values[0] // 100 % 100, values[0] % 100)
        return Guess((found,)) if found else NOTHING
    if len(numbers) == 2:
        if len(numbers[0]) == 4 and len(numbers[1]) <= 2:             # 2021/03
            found = _real(values[0], values[1])
        elif len(numbers[1]) == 4 and len(numbers[0]) <= 2:           # 03/2021
            found = _real(values[1], values[0])
        else:
            found = None
        return Guess((found,)) if found else NOTHING
    if len(numbers) == 3:
        if len(numbers[0]) == 4 and all(len(n) <= 2 for n in numbers[1:]):   # 2021/3/31
            found = _real(*values)
            return Guess((found,)) if found else NOTHING
        if len(numbers[2]) == 4 and all(len(n) <= 2 for n in numbers[:2]):   # 31.12.2021, 12/31/2021
            return _day_month(values[0], values[1], values[2])
    return NOTHING


def _named(words: list[str], numbers: list[str]) -> Guess:
    """A month name with a year and maybe a day: 'March 2021', '31 de março de 2021', 'March 31, 2021'."""
    names = month_names()
    months = [names[w] for w in words if w in names]
    if len(months) != 1 or len(words) != 1:
        return NOTHING
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return NOTHING
    found = _real(int(years[0]), months[0], int(days[0]) if days else None)
    return Guess((found,)) if found else NOTHING


def date_text(text: str) -> Guess:
    """The YYYY, YYYY-MM or YYYY-MM-DD meant by `text`, or nothing when it is not a date one can read."""
    raw = _TIME.sub("", text.strip())
    tokens = [t for t in _TOKEN.findall(fold(raw)) if t not in FILLERS]
    numbers = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    guess = _named(words, numbers) if words else _numbers(numbers)
    return NOTHING if guess.values == (text,) else guess
