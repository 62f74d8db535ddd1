"""Every file under data/, made once per build.

The download page (rendered before the exports are added) shows each file's size, so both ask this
module for the same files; they are computed on the first request and kept for the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..link import SiteGraph
from ..render.urls import Urls
from .iati import IatiExport, iati_activities
from .pieces import Pieces
from .records import json_files
from .table import projects_csv

IATI_FILE = "data/iati-activities.xml"
CSV_FILE = "data/projects.csv"


@dataclass
class OpenData:
    files: dict[str, bytes]      # path relative to the site root → content
    iati: IatiExport


_last: tuple[SiteGraph, str, OpenData] | None = None


def open_data(graph: SiteGraph, urls: Urls, pieces: Pieces | None = None) -> OpenData:
    """Every data file; with `pieces`, each fiche's part is reused from the last build when unchanged."""
    global _last
    if _last is not None and _last[0] is graph and _last[1] == urls.base_path:
        return _last[2]
    files = {path: text.encode("utf-8") for path, text in json_files(graph, urls, pieces).items()}
    files[CSV_FILE] = projects_csv(graph, urls, pieces).encode("utf-8")
    iati = iati_activities(graph, pieces)
    if iati.xml is not None:
        files[IATI_FILE] = iati.xml.encode("utf-8")
    data = OpenData(dict(sorted(files.items())), iati)
    _last = (graph, urls.base_path, data)
    return data
