"""A discussion: an online consultation in rounds of questions, with its contributions."""

from __future__ import annotations

from typing import Annotated, Iterator

from pydantic import Field, StringConstraints

from .references import POSITION

from .common import (CountryCode, Day, FicheBase, LanguageTag, Link, LocalizedMarkdown, LocalizedName, LocalizedText, Period,
                     Problem, Strict, Text, fiche_id, items, term_id)


class Round(Strict):
    """A round (e.g. a week) of the discussion and its questions."""

    number: Annotated[int, Field(ge=1, le=100)]
    """Its number: 1, 2…"""
    label: LocalizedText
    """Its name as shown to readers, e.g. {fr: "Semaine 1", en: "Week 1"}."""
    questions: items(LocalizedText, 50) = []
    """The questions asked in this round, numbered from 1 in order."""


class Contribution(Strict):
    """One participant's contribution, kept in the language it was written in."""

    author: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    """The contributor's name as signed; leave out when the contribution is unsigned."""
    organisation: fiche_id("organisation", relation="contributor", detail_from=POSITION) | None = None
    """The id of the contributor's organisation fiche, when it has one."""
    affiliation: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    """The contributor's affiliation as free text, when it has no organisation fiche."""
    country: CountryCode | None = None
    """The contributor's country, when known."""
    language: LanguageTag
    """The language the contribution is written in."""
    round: Annotated[int, Field(ge=1)] | None = None
    """The round it answers."""
    questions: items(Annotated[int, Field(ge=1)], 50, unique=True) = []
    """The numbers of the questions of that round it answers."""
    date: Day | None = None
    """When it was posted."""
    text: Text
    """The contribution itself, in Markdown, in its own language."""


class Discussion(FicheBase):
    """A discussion fiche: content/discussions/ID.yaml."""

    title: LocalizedName
    """Title of the discussion."""
    summary: LocalizedMarkdown
    """Two or three sentences on what was discussed."""
    organisers: items(fiche_id("organisation", relation="organiser"), 50, unique=True) = []
    """Organisations that organised it (ids of organisation fiches)."""
    period: Period
    """When it ran."""
    languages: items(LanguageTag, 50, unique=True) = []
    """Languages in which contributions were accepted."""
    introduction: LocalizedMarkdown | None = None
    """The invitation or concept text, in Markdown."""
    themes: items(term_id("themes"), 30, unique=True) = []
    """Themes, terms of content/vocabularies/themes.yaml."""
    rounds: items(Round, 100) = []
    """Its rounds of questions."""
    contributions: items(Contribution, 5000) = []
    """The contributions received."""
    links: items(Link, 50) = []
    """Web pages: the discussion's page, its concept note, the consolidated reply."""

    def listed_date(self) -> str:
        return str(self.period.start or "")

    @property
    def name(self) -> LocalizedText:
        return self.title

    def problems(self) -> Iterator[Problem]:
        yield from super().problems()
        yield from self.check_original_language({"title": self.title, "summary": self.summary})
        yield from self.period.problems(("period",))
        rounds = {r.number: r for r in self.rounds}
        for i, r in enumerate(self.rounds):
            if r.number != i + 1:
                yield Problem(("rounds", i, "number"), "priority-numbering", f"round {r.number} stands in position {i + 1}",
                              f"number rounds 1, 2, 3… in order: this one should be {i + 1}")
        for i, c in enumerate(self.contributions):
            if c.round is not None and c.round not in rounds:
                yield Problem(("contributions", i, "round"), "unknown-round",
                              f"round {c.round} does not exist (the discussion has {len(rounds)} round{'s' * (len(rounds) != 1)})",
                              f"use a round number from 1 to {len(rounds)}" if rounds else "add the rounds first")
            elif c.round is not None:
                count = len(rounds[c.round].questions)
                for j, q in enumerate(c.questions):
                    if q > count:
                        yield Problem(("contributions", i, "questions", j), "unknown-question",
                                      f"round {c.round} has {count} questions, not {q}", f"use a number from 1 to {count}")
            if c.organisation and c.affiliation:
                yield Problem(("contributions", i, "affiliation"), "invalid-value",
                              "give either organisation (a fiche id) or affiliation (free text), not both")
