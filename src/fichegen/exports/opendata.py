"""Every file under data/: the records as JSON, the projects as CSV and as IATI activities.

The files are added to the build's output as they are made (straight into the staging folder in a
full build). What the download pages say of them (sizes, which projects the IATI file holds) is kept
as `OpenData`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..i18n import Localizer
from ..link import SiteGraph
from ..output import Output
from ..render.markup import MarkdownRenderer
from ..render.urls import Urls
from .iati import IatiExport, iati_activities
from .pieces import Pieces
from .records import add_json_files
from .table import projects_csv

IATI_FILE = "data/iati-activities.xml"
CSV_FILE = "data/projects.csv"


@dataclass
class OpenData:
    sizes: dict[str, int]        # path relative to the site root → bytes
    iati: IatiExport             # which projects the IATI file holds, and why others are left out


def add_open_data(output: Output, graph: SiteGraph, urls: Urls, localizers: Mapping[str, Localizer],
                  pieces: Pieces | None = None, markdown: MarkdownRenderer | None = None) -> OpenData:
    """Every data file into `output`; with `pieces`, each fiche's part is reused from the last build when unchanged.
    `localizers` (one per site language) give the IATI file's own words; `markdown` is the build's Markdown
    renderer (the IATI descriptions are summaries as plain words)."""
    add_json_files(output, graph, urls, pieces)
    output.add(CSV_FILE, projects_csv(graph, urls, pieces))
    iati = iati_activities(graph, localizers, pieces, markdown)
    if iati.xml is not None:
        output.add(IATI_FILE, iati.xml)
        iati.xml = None    # written: only what the download pages say of it is kept
    return OpenData({path: output.size(path) or 0 for path in sorted(output.paths()) if path.startswith("data/")}, iati)


def open_data(graph: SiteGraph, urls: Urls, localizers: Mapping[str, Localizer]) -> OpenData:
    """The data files made in memory only to describe them: for pages rendered without a build (tests)."""
    return add_open_data(Output(), graph, urls, localizers)
