"""Counts in words, in the plural form each language's CLDR rules call for ("1 file", "2 files"; French
"0 fichier", Portuguese of Portugal "0 ficheiros"; Russian "3 файла", "5 файлов").

A UI catalogue gives one message per plural category under the count's key: `list.count.one`,
`list.count.other` (and `few`, `many`… where the language has them); `other` is the one every language
has and the one used when the category of the count is missing. The command line speaks English and
uses `counted` directly."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from babel import Locale

#: The CLDR plural categories, in CLDR's order.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")

Number = int | float | Decimal


def category(count: Number, locale: Locale | str) -> str:
    """The CLDR plural category of `count` in `locale`: 'one', 'few', 'many', 'other'…"""
    locale = locale if isinstance(locale, Locale) else Locale.parse(locale)
    return locale.plural_form(abs(count))


def categories(locale: Locale | str) -> tuple[str, ...]:
    """The categories `locale` tells apart, in CLDR's order: ('one', 'other') for English, ('one', 'many', 'other') for French."""
    locale = locale if isinstance(locale, Locale) else Locale.parse(locale)
    tags = set(locale.plural_form.tags) | {"other"}
    return tuple(c for c in CATEGORIES if c in tags)


def counted(count: int, one: str, other: str | None = None) -> str:
    """'1 file', '2 files', '1024 files': a count (digits only, for scripts that read it) and an English noun in the form CLDR's English rules give."""
    noun = one if category(count, "en") == "one" else (other or one + "s")
    return f"{count} {noun}"


def message(messages: Mapping[str, str], key: str, count: Number, locale: Locale | str) -> str | None:
    """The message for `count` under `key` in a catalogue: `key.<category>`, else `key.other`, else `key` itself
    (a message written before it had plural forms). None when the catalogue has none of them."""
    for candidate in (f"{key}.{category(count, locale)}", f"{key}.other", key):
        if candidate in messages:
            return messages[candidate]
    return None


def missing_forms(messages: Mapping[str, str], locale: Locale | str) -> dict[str, list[str]]:
    """For each plural message of a catalogue (a key with `.other`), the categories `locale` needs that it lacks.

    A translator of Russian learns that `list.count` needs `few` and `many` beside `one` and `other`."""
    needed = categories(locale)
    keys = {k.rsplit(".", 1)[0] for k in messages if k.rsplit(".", 1)[-1] in CATEGORIES and "." in k}
    return {key: gaps for key in sorted(keys) if (gaps := [c for c in needed if f"{key}.{c}" not in messages])}
