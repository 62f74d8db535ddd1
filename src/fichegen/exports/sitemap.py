"""sitemap.xml with hreflang alternates for every indexable page, and robots.txt pointing at it.

Each page is listed with its address in every site language and the x-default (the default language),
the same alternates its HTML head declares; a fiche's page also gets its last update as <lastmod>.
Pages marked noindex (search, translations report, 404) are left out. The language chooser at the
site root is listed with the home page in each language as its alternates, as its own head says.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..link import Ref
from ..render.pages import Page, SiteRenderer
from .history import FicheDates


def sitemap_xml(renderer: SiteRenderer, pages: list[Page], dates: dict[Ref, FicheDates] | None = None) -> str:
    base = renderer.config.base_url.rstrip("/")
    languages = renderer.config.languages
    dates = dates or {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']

    def alternate(lang: str, url: str) -> str:
        return f'  <xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base + url)}/>'

    lines.append(f"<url><loc>{escape(base + renderer.urls.root())}</loc>")
    lines += [alternate(lang, renderer.urls.home(lang)) for lang in languages]
    lines.append("</url>")
    for page in pages:
        if not page.index:
            continue
        lines.append(f"<url><loc>{escape(base + page.url)}</loc>")
        if page.key[0] == "fiche" and Ref(page.key[1], page.key[2]) in dates:
            lines.append(f"  <lastmod>{dates[Ref(page.key[1], page.key[2])].updated.date().isoformat()}</lastmod>")
        lines += [alternate(lang, renderer.url_for(page.key, lang)) for lang in languages]
        lines.append(alternate("x-default", renderer.url_for(page.key, renderer.config.default_language)))
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(renderer: SiteRenderer) -> str:
    base = renderer.config.base_url.rstrip("/")
    return f"User-agent: *\nAllow: /\nSitemap: {base}{renderer.urls.base_path}sitemap.xml\n"
