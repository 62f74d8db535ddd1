"""Markdown fields to safe HTML: python-markdown renders, nh3 keeps only harmless tags and URLs.

Fiche text is data, never a template: it goes through here and nowhere near Jinja's parser.
"""

from __future__ import annotations

import html
import re
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


#: A text with none of these characters, on one line and starting with a letter or an opening quote, has
#: no Markdown in it: python-markdown makes it one <p> with the text unchanged (tests/test_markup.py
#: checks that this holds). Most summaries are such texts, so they skip the converter's passes.
_MARKUP_CHARACTERS = re.compile("[\\\\`*_\\[\\]<>&#|~\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_START = re.compile(r"[^\W\d_]|[\"'«“‘(¿¡]")


def _is_plain(text: str) -> bool:
    return bool(text) and text == text.strip() and _PLAIN_START.match(text) is not None \
        and _MARKUP_CHARACTERS.search(text) is None


def _convert(text: str) -> str:
    """python-markdown's HTML for `text` (a plain paragraph is written directly: see _MARKUP_CHARACTERS)."""
    if _is_plain(text):
        return f"<p>{text}</p>"
    return _md.reset().convert(text)


@lru_cache(maxsize=65536)
def render_markdown(text: str) -> Markup:
    """Safe HTML for a Markdown text; cached because the same text is shown on many pages."""
    try:
        html = _convert(text)
    except RecursionError:   # lists or quotes nested hundreds deep: shown as the text they are, escaped
        return Markup("<p>{}</p>").format(text)
    html = _demote_headings(html)
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                      link_rel="noopener noreferrer nofollow", strip_comments=True)
    return Markup(clean)


@lru_cache(maxsize=65536)
def plain_text(text: str, limit: int | None = None) -> str:
    """The words of a Markdown text without markup, for meta descriptions, feeds and JSON-LD; cached, as
    a page asks for its summary's words several times (meta description, JSON-LD, search record)."""
    words = nh3.clean(str(render_markdown(text)), tags=set()).split()
    out = " ".join(words)
    if limit and len(out) > limit:
        out = out[: limit - 1].rsplit(" ", 1)[0] + "…"
    return html.unescape(out)
