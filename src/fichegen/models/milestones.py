"""Dated steps in the life of a project or a strategy, as precise as their sources date them."""

from __future__ import annotations

from typing import Iterator, Literal

from .common import FuzzyDate, LocalizedText, Problem, Strict

MilestoneEvent = Literal["launch", "drafting", "consultation", "adoption", "publication", "implementation", "review",
                         "evaluation", "revision", "event", "end", "other"]


class Milestone(Strict):
    """A dated step: the launch, a consultation, the adoption, an evaluation… Several sources that date the same step
    differently are written as several milestones, each saying in its label which source says what."""

    date: FuzzyDate
    """When it happened (or is planned), as precisely as the source says: 2013, 2013-12, 2013-12-05."""
    end: FuzzyDate | None = None
    """When it ended, for a step that lasted (drafting from September to December 2013)."""
    event: MilestoneEvent
    """launch, drafting, consultation, adoption, publication, implementation, review, evaluation, revision, event (a workshop, a conference), end, other."""
    label: LocalizedText | None = None
    """What happened, in the source's words."""

    def sort_key(self) -> tuple[int, int, int]:
        """Chronological, a step dated only by its year after the months of that year (it is not known to be earlier)."""
        return (self.date.year, self.date.month or 13, self.date.day or 0)


def milestone_problems(milestones: list[Milestone], loc: tuple) -> Iterator[Problem]:
    for i, m in enumerate(milestones):
        if m.end and m.end.last_day() < m.date.first_day():
            yield Problem(loc + (i, "end"), "end-before-start", f"the step ends ({m.end}) before it starts ({m.date})",
                          "swap the two dates or correct the end")
