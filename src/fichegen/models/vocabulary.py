"""Vocabularies: the controlled terms fiches refer to, kept in content/vocabularies/."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, RootModel, StringConstraints

from .common import CountryCode, LocalizedMarkdown, LocalizedName, Money, Period, Source, Strict, TermRef, WebUrl, fiche_id, items


#: A code of the IATI (OECD DAC) Region codelist, checked against the codelist.
IatiRegionCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$"),
                          Field(examples=["1027"], json_schema_extra={"x-fichegen": "iati-regions"})]


class Term(Strict):
    """A vocabulary term: its labels in every language and an optional description."""

    label: LocalizedName
    """The term's name in each language; the default language is required (one plain text for a name the same in every language)."""
    description: LocalizedMarkdown | None = None
    """What the term covers."""
    sources: items(Source, 20) = []
    """Documents what is said of the term was taken from (a programme's budget, period…)."""


class Programme(Term):
    """A funding programme."""

    funder: fiche_id("organisation", relation="funder") | None = None
    """The id of the organisation fiche of the programme's funder or managing body."""
    period: Period | None = None
    """The programming period, e.g. 2000–2006."""
    budget: Money | None = None
    """The programme's whole budget, when the source states it."""
    website: WebUrl | None = None
    """The programme's website."""


class Region(Term):
    """A sub-national region, by its code in a coding scheme."""

    scheme: Literal["iso-3166-2", "nuts"]
    """The coding scheme of the term's id: iso-3166-2 (ES-VC) or nuts (ES52)."""
    country: CountryCode
    """The country it lies in."""


class WorldRegion(Term):
    """A supranational region that neither UN M49 nor the IATI region codelist names (e.g. the Horn of Africa).

    UN M49 codes (014, 419) and IATI regions (iati-1027) need no term: fiches use them directly."""

    countries: items(CountryCode, 250, unique=True) = []
    """The countries it is made of, when they are known (to draw it on the map)."""
    iati_region: IatiRegionCode | None = None
    """The IATI (OECD DAC) region code that covers it, for the IATI export (e.g. 1027 Eastern Africa, regional)."""


class Fund(Term):
    """A fund that money comes from (e.g. AMIF, ERDF)."""


#: Each vocabulary file (content/vocabularies/NAME.yaml) and the model of its terms.
VOCABULARIES: dict[str, type[Term]] = {
    "themes": Term,
    "target-groups": Term,
    "organisation-types": Term,
    "programmes": Programme,
    "regions": Region,
    "world-regions": WorldRegion,
    "funds": Fund,
}


def vocabulary_model(name: str) -> type[RootModel]:
    term = VOCABULARIES[name]
    return RootModel[dict[TermRef, term]]  # type: ignore[valid-type]
