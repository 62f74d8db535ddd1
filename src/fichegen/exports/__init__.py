"""Files made from the graph beside the pages: sitemap, robots.txt, feeds, open data, IATI."""

from __future__ import annotations

from ..output import Output
from ..render.pages import Page, SiteRenderer
from .catalogue import describe_downloads
from .feeds import atom_feed
from .history import fiche_dates
from .opendata import OpenData, add_open_data
from .pieces import Pieces
from .sitemap import robots_txt, sitemap_xml


def add_exports(output: Output, renderer: SiteRenderer, pages: list[Page], pieces: Pieces | None = None) -> OpenData:
    """Everything beside the pages into `output`; the download pages are told what the data files are."""
    dates = fiche_dates(renderer.g)
    output.add("sitemap.xml", sitemap_xml(renderer, pages, dates))
    output.add("robots.txt", robots_txt(renderer))
    for lang, views in renderer.views.items():
        output.add(f"{lang}/feed.xml", atom_feed(views, dates))
    localizers = {lang: views.loc for lang, views in renderer.views.items()}
    # With pieces, the data files read the graph through the pieces' recording reader (what each piece read is kept).
    graph = pieces.reader if pieces is not None else renderer.g
    data = add_open_data(output, graph, renderer.urls, localizers, pieces, renderer.markdown)
    renderer.downloads = lambda views: describe_downloads(views, data)
    return data
