"""A strategy: a public policy document with numbered priorities and objectives."""

from __future__ import annotations

from typing import Iterator, Literal

from .common import (CountryCode, FicheBase, FuzzyDate, Identifier, Link, LocalizedMarkdown, LocalizedText,
                     Number, Period, Problem, Ref, Strict, TermRef)


class Territory(Strict):
    """The territory the strategy covers."""

    level: Literal["national", "regional", "local"]
    """national, regional or local."""
    country: CountryCode
    """The country (ISO 3166-1 alpha-2)."""
    regions: list[TermRef] = []
    """Regions covered, terms of content/vocabularies/regions.yaml (e.g. ES-VC)."""


class Adoption(Strict):
    """How and when the strategy was adopted."""

    date: FuzzyDate | None = None
    """Date of adoption."""
    act: LocalizedText | None = None
    """The act that adopted it (decree, resolution)."""


class Objective(Strict):
    """A numbered objective under a priority."""

    number: Number
    """Its number, the priority's number then its own: "1.2"."""
    title: LocalizedText
    """What the objective aims at."""


class Priority(Strict):
    """A numbered priority (axis) of the strategy."""

    number: Number
    """Its number: "1", "2"…"""
    title: LocalizedText
    """What the priority aims at."""
    objectives: list[Objective] = []
    """Its numbered objectives."""


class Monitoring(Strict):
    """Who monitors and evaluates the strategy, and on what legal basis."""

    body: LocalizedText
    """The name of the monitoring or evaluation body."""
    organisation: Ref | None = None
    """The body's organisation fiche, if it has one."""
    legal_basis: LocalizedText | None = None
    """The act that sets the body up."""


class Strategy(FicheBase):
    """A strategy fiche: content/strategies/ID.yaml."""

    title: LocalizedText
    """Full title of the strategy."""
    summary: LocalizedMarkdown
    """Two or three sentences on what the strategy is for."""
    description: LocalizedMarkdown | None = None
    """The longer presentation, in Markdown."""
    territory: Territory
    """The territory it covers."""
    period: Period
    """The years it runs (start and end)."""
    responsible: list[Ref] = []
    """Organisations responsible for it (ids of organisation fiches)."""
    adopting: list[Ref] = []
    """Organisations that adopted it."""
    adoption: Adoption | None = None
    """When and by which act it was adopted."""
    development_process: LocalizedMarkdown | None = None
    """How it was prepared: who took part, when."""
    priorities: list[Priority] = []
    """Its numbered priorities and their objectives."""
    themes: list[TermRef] = []
    """Themes, terms of content/vocabularies/themes.yaml."""
    target_groups: list[TermRef] = []
    """Who it is for, terms of content/vocabularies/target-groups.yaml."""
    monitoring: Monitoring | None = None
    """The monitoring and evaluation body."""
    documents: list[Link] = []
    """The strategy text, presentations, reports."""
    links: list[Link] = []
    """Other web pages about it."""
    identifiers: list[Identifier] = []
    """Codes in other systems."""

    @property
    def name(self) -> LocalizedText:
        return self.title

    def numbers(self) -> set[str]:
        """Every priority and objective number, for checking project references."""
        return {p.number for p in self.priorities} | {o.number for p in self.priorities for o in p.objectives}

    def problems(self) -> Iterator[Problem]:
        yield from self.check_original_language({"title": self.title, "summary": self.summary})
        yield from self.period.problems(("period",))
        for i, priority in enumerate(self.priorities):
            if priority.number != str(i + 1):
                yield Problem(("priorities", i, "number"), "priority-numbering",
                              f"priority {priority.number!r} stands in position {i + 1}",
                              f"number priorities 1, 2, 3… in order: this one should be \"{i + 1}\"")
            for j, objective in enumerate(priority.objectives):
                expected = f"{priority.number}.{j + 1}"
                if objective.number != expected:
                    parent = objective.number.rsplit(".", 1)[0]
                    why = (f"objective {objective.number!r} does not belong to priority {priority.number!r}"
                           if parent != priority.number else f"objective {objective.number!r} stands in position {j + 1}")
                    yield Problem(("priorities", i, "objectives", j, "number"), "priority-numbering", why,
                                  f"under priority {priority.number} this objective should be \"{expected}\"")
