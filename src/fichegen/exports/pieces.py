"""Each fiche's pieces of the site-wide data files, reused by an incremental build.

projects.json, projects.csv and iati-activities.xml each hold every project: one edited fiche changes
them all. They are joined from one piece per fiche (its JSON record, CSV row, IATI activity); a piece is
kept in the cache with the signature of its fiche and the fiche's neighbours (incremental.py), so the
next build makes again only the pieces whose inputs changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from ..cache import Fragments
from ..link import Ref

T = TypeVar("T")


@dataclass
class Pieces:
    fragments: Fragments
    signatures: dict[Ref, str]    # fiche → signature of what its pieces show


def make_piece(pieces: Pieces | None, what: str, ref: Ref, extra: str, produce: Callable[[], T]) -> T:
    """The `what` piece of `ref`: the last build's when its inputs are the same, else `produce()`."""
    if pieces is None:
        return produce()
    signature = pieces.signatures.get(ref)
    return pieces.fragments.make(f"{what}:{ref.kind}/{ref.id}", signature and f"{signature}:{extra}", produce)
