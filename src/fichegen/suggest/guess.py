"""A reading of a mistaken value, and the folding that lets "Cap-Vert", "cap vert" and "CAP VERT" meet."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """`text` without accents, case or punctuation, words separated by one space: 'Côte d’Ivoire' → 'cote d ivoire'."""
    if text.isascii():   # most ids and codes: nothing to decompose
        return _NOT_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_WORD.sub(" ", bare).strip()


@dataclass(frozen=True)
class Guess:
    """What an editor probably meant by a value the field refused.

    `values` are readings in order of preference (a field keeps the first it accepts: pt-BR, else pt);
    when `ambiguous`, they are equally likely readings (is 1.532 a thousand and more, or one and a half?)
    and none may be chosen for the editor unless the field itself accepts only one."""

    values: tuple[str, ...]
    ambiguous: bool = False
    note: str = ""   # what the value was read as, for the hint: "Cabo Verde", "3 March 2021"

    def __bool__(self) -> bool:
        return bool(self.values)


NOTHING = Guess(())
