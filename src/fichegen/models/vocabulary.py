"""Vocabularies: the controlled terms fiches refer to, kept in content/vocabularies/."""

from __future__ import annotations

from typing import Literal

from pydantic import RootModel

from .common import CountryCode, LocalizedMarkdown, LocalizedText, Period, Ref, Strict, TermRef, WebUrl


class Term(Strict):
    """A vocabulary term: its labels in every language and an optional description."""

    label: LocalizedText
    """The term's name in each language; the default language is required."""
    description: LocalizedMarkdown | None = None
    """What the term covers."""


class Programme(Term):
    """A funding programme."""

    funder: Ref | None = None
    """The id of the organisation fiche of the programme's funder or managing body."""
    period: Period | None = None
    """The programming period, e.g. 2000–2006."""
    website: WebUrl | None = None
    """The programme's website."""


class Region(Term):
    """A sub-national region, by its code in a coding scheme."""

    scheme: Literal["iso-3166-2", "nuts"]
    """The coding scheme of the term's id: iso-3166-2 (ES-VC) or nuts (ES52)."""
    country: CountryCode
    """The country it lies in."""


class Fund(Term):
    """A fund that money comes from (e.g. AMIF, ERDF)."""


#: Each vocabulary file (content/vocabularies/NAME.yaml) and the model of its terms.
VOCABULARIES: dict[str, type[Term]] = {
    "themes": Term,
    "target-groups": Term,
    "organisation-types": Term,
    "programmes": Programme,
    "regions": Region,
    "funds": Fund,
}


def vocabulary_model(name: str) -> type[RootModel]:
    term = VOCABULARIES[name]
    return RootModel[dict[TermRef, term]]  # type: ignore[valid-type]
