"""sitemap.xml with hreflang alternates for every page, and robots.txt pointing at it."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr, escape

from ..render.pages import Page, SiteRenderer


def sitemap_xml(renderer: SiteRenderer, pages: list[Page]) -> str:
    base = renderer.config.base_url.rstrip("/")
    languages = renderer.config.languages
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page in pages:
        if not page.index:
            continue
        lines.append(f"<url><loc>{escape(base + page.url)}</loc>")
        for lang in languages:
            lines.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(base + renderer.url_for(page.key, lang))}/>')
        lines.append(f'<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(base + renderer.url_for(page.key, renderer.config.default_language))}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(renderer: SiteRenderer) -> str:
    base = renderer.config.base_url.rstrip("/")
    return f"User-agent: *\nAllow: /\nSitemap: {base}{renderer.urls.base_path}sitemap.xml\n"
