"""Numbers as budgets are written in documents ("1.532.558,68", "1,532,558.68 €", "94,42%", "EUR 2 603 783,86")
read as the plain form fields take: digits, a dot before the decimals.

One separator followed by exactly three digits ("1.532", "1,532") is ambiguous, a thousands separator
or a decimal one: both readings are given and neither is chosen."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .guess import NOTHING, Guess

#: Words after a number that multiply it ("1,5 million", "2.3 M€"): the same in English, French, Spanish, Portuguese.
MILLIONS = frozenset({"million", "millions", "millón", "millon", "millones", "milhão", "milhao", "milhões", "milhoes",
                      "mio", "mln", "mn", "m"})

_SPACES = re.compile(r"[\s'’\u00a0\u202f]")                       # digit-group separators other than . and ,
_NUMBER = re.compile(r"[+-]?\d[\d\s'’\u00a0\u202f.,]*")
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:[.,]\d{3})+$")


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _groups_ok(integer: str, separator: str) -> bool:
    parts = integer.split(separator)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:]) and parts[0][0] != "0" or integer == "0"


def _readings(digits: str) -> tuple[tuple[str, ...], bool]:
    """The plain readings of digits with dots and commas (spaces already removed), and whether they are alternatives."""
    dots, commas = digits.count("."), digits.count(",")
    if dots and commas:
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
        group = "," if decimal == "." else "."
        integer, _, fraction = digits.rpartition(decimal)
        if digits.count(decimal) != 1 or not fraction or not _groups_ok(integer, group):
            return (), False
        return (integer.replace(group, "") + "." + fraction,), False
    separator = "." if dots else "," if commas else ""
    if not separator:
        return (digits,), False
    if digits.count(separator) > 1:
        return ((digits.replace(separator, ""),), False) if _GROUPED.match(digits) else ((), False)
    integer, fraction = digits.split(separator)
    if not integer or not fraction:
        return (), False
    if len(fraction) == 3 and _GROUPED.match(digits):
        return (integer + fraction, integer + "." + fraction), True
    return (integer + "." + fraction,), False


def plain_number(text: str) -> Guess:
    """The plain number meant by `text`; currency signs and codes, '%' and words around it are left out."""
    found = _NUMBER.findall(text)
    if len(found) != 1:
        return NOTHING
    number = found[0].strip(" .,'’\u00a0\u202f")
    start = text.index(number)
    after = text[start + len(number):].strip().lower()
    millions = bool(after) and re.split(r"[\s€$£¥.]", after)[0] in MILLIONS
    grouped = _SPACES.split(number)
    if len(grouped) > 1 and not (1 <= len(grouped[0].lstrip("+-")) <= 3 and all(len(g) == 3 for g in grouped[1:-1])
                                 and re.match(r"^\d{3}(?:[.,]\d*)?$", grouped[-1])):
        return NOTHING   # "1 5" is two numbers, not one in groups of three
    readings, ambiguous = _readings("".join(grouped))
    out = []
    for reading in readings:
        try:
            value = Decimal(reading)
        except InvalidOperation:
            return NOTHING
        out.append(_plain(value * 1_000_000) if millions else reading)
    guess = Guess(tuple(out), ambiguous=ambiguous and len(out) > 1)
    return NOTHING if guess.values == (text.strip(),) else guess


def outline_number(text: str) -> Guess:
    """A priority or objective number ("2.1") from '2,1', '2.1.', 'Priority 2', '2 - 1'."""
    parts = re.findall(r"\d+", text)
    if not parts or re.search(r"[^\W\d_]", re.sub(r"^\s*[^\W\d_]+\s*", "", text)):
        return NOTHING   # letters after the first word: not an outline number
    reading = ".".join(str(int(p)) for p in parts)
    return NOTHING if reading == text.strip() else Guess((reading,))
