"""Country, language and currency codes from what editors write instead: names in any CLDR language,
codes in the wrong case, non-ISO codes (UK, EL), three-letter codes, currency signs (€, US$).

The names come from Babel's CLDR data, read once per process the first time a code is mistaken
(about a second for every CLDR locale), into immutable tables."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Mapping

from babel import Locale, localedata
from babel.core import get_global
from babel.numbers import list_currencies

from .guess import NOTHING, Guess, fold

#: Codes in common use that ISO 3166-1 gives to no country (the EU's own codes for Greece and the UK).
NON_ISO_COUNTRIES: Mapping[str, str] = MappingProxyType({"UK": "GB", "EL": "GR"})
#: The languages whose names are also matched when misspelt (exact names match in every CLDR language).
FUZZY_LANGUAGES = ("en", "fr", "es", "pt", "de", "it", "nl")
#: A currency sign is read as one currency when at least this share of CLDR locales writes it for that one.
DOMINANT_SIGN = 0.95

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:-([A-Za-z]{4}))?(?:-([A-Za-z]{2}|[0-9]{3}))?$")


@dataclass(frozen=True)
class _Names:
    """CLDR names of one kind of thing, folded (see guess.fold), and what each names."""

    exact: Mapping[str, frozenset[str]]   # 'cap vert' → {'CV'}, 'brazilian portuguese' → {'pt-BR'}, 'euros' → {'EUR'}
    fuzzy: tuple[str, ...]                # the folded names of FUZZY_LANGUAGES, matched when misspelt


def _base_locales() -> list[Locale]:
    """One locale per CLDR language: regional locales name things as their language does."""
    return [Locale.parse(ident) for ident in localedata.locale_identifiers() if "_" not in ident]


def _names(entries) -> _Names:
    """`entries`: (language, code, name) triples."""
    exact: dict[str, set[str]] = defaultdict(set)
    fuzzy: set[str] = set()
    folded: dict[str, str] = {}   # many names recur across languages ("Portugal"): fold each once
    for language, code, name in entries:
        key = folded.get(name)
        if key is None:
            key = folded[name] = fold(name)
        exact[key].add(code)
        if language in FUZZY_LANGUAGES:
            fuzzy.add(key)
    return _Names(MappingProxyType({k: frozenset(v) for k, v in exact.items() if k}), tuple(sorted(fuzzy)))


@cache
def _countries() -> _Names:
    return _names((locale.language, code, name) for locale in _base_locales()
                  for code, name in locale.territories.items() if len(code) == 2 and code.isalpha())


@cache
def _languages() -> _Names:
    return _names((locale.language, tag, name) for locale in _base_locales()
                  for code, name in locale.languages.items() if _TAG.match(tag := code.replace("_", "-")))


@cache
def _currency_names() -> _Names:
    return _names([(locale.language, code, name) for locale in _base_locales() for code, name in locale.currencies.items()]
                  + [(locale.language, code, name) for locale in _base_locales()
                     for code, forms in locale._data["currency_names_plural"].items() for name in forms.values()])


@cache
def _in_use() -> Mapping[str, frozenset[str]]:
    """Each currency in use today and the countries that use it: 'CVE' → {'CV'}."""
    users: dict[str, set[str]] = defaultdict(set)
    for territory, spans in get_global("territory_currencies").items():
        for code, _start, end, tender in spans:
            if end is None and tender and len(territory) == 2:
                users[code].add(territory)
    return MappingProxyType({k: frozenset(v) for k, v in users.items()})


@cache
def _signs() -> Mapping[str, Mapping[str, int]]:
    """How many CLDR locales (regional ones too: en_CA writes CAD as $) write each sign for each currency in use."""
    signs: dict[str, Counter] = defaultdict(Counter)
    in_use = _in_use()
    for ident in localedata.locale_identifiers():
        for code, sign in Locale.parse(ident).currency_symbols.items():
            if code in in_use:
                signs[re.sub(r"\s+", "", sign).upper()][code] += 1
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in signs.items()})


def country_name(code: str) -> str:
    """The English name of a country code, for hints: 'CV' → 'Cape Verde'."""
    return Locale("en").territories.get(code, code)


def _by_name(text: str, names: _Names) -> Guess:
    folded = fold(text)
    found = names.exact.get(folded)
    if not found and len(folded) >= 4:
        close = difflib.get_close_matches(folded, names.fuzzy, n=2, cutoff=0.85)
        found = frozenset().union(*(names.exact[c] for c in close)) if close else None
    if not found:
        return NOTHING
    return Guess(tuple(sorted(found)), ambiguous=len(found) > 1)


def country(text: str) -> Guess:
    """The ISO 3166-1 alpha-2 code meant by `text`: 'pt' → PT, 'UK' → GB, 'PRT' → PT, 'Cap-Vert' → CV, 'CVE' → CV."""
    raw = text.strip()
    upper = raw.upper()
    english = Locale("en").territories
    if upper != raw and len(upper) == 2 and upper in english:
        return Guess((upper,), note=country_name(upper))
    if upper in NON_ISO_COUNTRIES:
        code = NON_ISO_COUNTRIES[upper]
        return Guess((code,), note=f"{country_name(code)}; {upper} is not its ISO code")
    aliases = [c for c in get_global("territory_aliases").get(upper, ()) if len(c) == 2 and c in english]
    if len(aliases) == 1:
        return Guess((aliases[0],), note=country_name(aliases[0]))
    named = _by_name(raw, _countries())
    if named:
        return Guess(named.values, named.ambiguous, note=" or ".join(country_name(c) for c in named.values))
    users = _in_use().get(upper, ())
    if len(users) == 1:
        (code,) = users
        return Guess((code,), note=f"{upper} is the currency of {country_name(code)}")
    return NOTHING


def language(text: str) -> Guess:
    """The language code meant by `text`, most precise first: 'PT-br' → pt-BR (else pt), 'EN' → en,
    'eng' → en, 'English' or 'français' → en, fr."""
    raw = text.strip()
    tag = _TAG.match(raw.replace("_", "-"))
    if tag:
        lang, script, region = tag.groups()
        lang = get_global("language_aliases").get(lang.lower(), lang.lower())
        if "_" not in lang and "-" not in lang:
            full = "-".join(p for p in (lang, script and script.title(), region and region.upper()) if p)
            readings = tuple(dict.fromkeys((full, lang)))
            if readings != (raw,) and lang in Locale("en").languages:
                return Guess(readings)
    return _by_name(raw, _languages())


def currency(text: str) -> Guess:
    """The ISO 4217 code meant by `text`: 'eur' → EUR, '€' → EUR, 'US$' → USD, 'euros' → EUR; '$' is ambiguous."""
    raw = text.strip()
    upper = raw.upper()
    if upper != raw and upper in list_currencies():
        return Guess((upper,))
    signs = _signs().get(re.sub(r"\s+", "", raw).upper())
    if signs:
        total = sum(signs.values())
        ranked = sorted(signs, key=lambda c: (-signs[c], c))
        if signs[ranked[0]] >= DOMINANT_SIGN * total:
            return Guess((ranked[0],))
        return Guess(tuple(ranked[:4]), ambiguous=True)
    return _by_name(raw, _currency_names())
