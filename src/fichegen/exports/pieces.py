"""Each fiche's pieces of the site-wide data files, reused by an incremental build.

projects.json, projects.csv and iati-activities.xml each hold every project: one edited fiche changes
them all. They are joined from one piece per fiche (its JSON record, CSV row, IATI activity); a piece is
kept in the cache with what it read from the graph while it was made (dependencies.py), so the next
build makes again only the pieces whose inputs changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..cache import Fragments
from ..dependencies import GraphReader
from ..link import Ref


@dataclass
class Pieces:
    fragments: Fragments
    reader: GraphReader     # the graph as the data files read it: every read recorded into the piece being made


def make_piece(pieces: Pieces | None, what: str, ref: Ref, extra: str, produce: Callable[[], str]) -> str:
    """The `what` piece of `ref`: the last build's when what it read (and `extra`) is unchanged, else `produce()`."""
    if pieces is None:
        return produce()
    return pieces.fragments.recorded(f"{what}:{ref.kind}/{ref.id}", pieces.reader, produce, extra)
