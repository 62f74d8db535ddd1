"""Files made from the graph beside the pages: sitemap, robots.txt, feeds, open data, IATI."""

from __future__ import annotations

from ..render.pages import Output, Page, SiteRenderer
from .sitemap import robots_txt, sitemap_xml


def add_exports(output: Output, renderer: SiteRenderer, pages: list[Page]) -> None:
    output.add("sitemap.xml", sitemap_xml(renderer, pages))
    output.add("robots.txt", robots_txt(renderer))
