"""Markdown fields to safe HTML: python-markdown renders, nh3 keeps only harmless tags and URLs.

Fiche text is data, never a template: it goes through here and nowhere near Jinja's parser.
"""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5", "h6",
                "a", "abbr", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}

# One Markdown converter, reset between texts: building one is the expensive part.
_md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
# Raw HTML blocks are not parsed apart: their parser (the standard library's HTMLParser) takes quadratic time
# on unclosed tags ("<a " 20 000 times in one summary: three minutes). Inline HTML still reaches nh3 below.
_md.preprocessors.deregister("html_block")


def _demote_headings(html: str) -> str:
    # A fiche's "## Heading" sits under the page's own h2 sections: shift h1/h2 down to h3/h4.
    for old, new in (("h2", "h4"), ("h1", "h3")):
        html = html.replace(f"<{old}>", f"<{new}>").replace(f"</{old}>", f"</{new}>")
    return html


@lru_cache(maxsize=65536)
def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown text; cached because the same text is shown on many pages."""
    try:
        html = _md.reset().convert(text)
    except RecursionError:   # lists or quotes nested hundreds deep: shown as the text they are, escaped
        return Markup("<p>{}</p>").format(text)
    html = _demote_headings(html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return Markup(clean)


def plain_text(text: str, limit: int | None = None) -> str:
    """The words of a Markdown text without markup, for meta descriptions, feeds and JSON-LD."""
    words = nh3.clean(str(render_markdown(text)), tags=set()).split()
    out = " ".join(words)
    if limit and len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    import html
    return html.unescape(out)
