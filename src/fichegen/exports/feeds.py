"""<lang>/feed.xml: an Atom feed of the fiches in each language, newest first.

Entries carry the fiche's title and summary as the page in that language shows them; a text taken from
another language through the fallback chain says so with its own xml:lang. Each entry has one link, to its page
in the feed's language: feed readers open the last (or any) alternate link of an entry, so links to the other
languages would send an English reader to the Portuguese page. Dates come from history.fiche_dates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

from ..link import KINDS, Ref
from ..render.views import TextView, Views
from .history import FicheDates
from .xmltext import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: The newest fiches a feed lists; older ones stay on the site and in the open data.
FEED_ENTRIES = 100


def atom_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_path(views: Views) -> str:
    return views.urls.home(views.lang) + "feed.xml"


def newest_first(dates: dict[Ref, FicheDates]) -> list[Ref]:
    refs = sorted(dates, key=lambda r: (KINDS.index(r.kind), r.id))
    refs.sort(key=lambda r: (dates[r].updated, dates[r].published), reverse=True)
    return refs[:FEED_ENTRIES]


def atom_feed(views: Views, dates: dict[Ref, FicheDates]) -> str:
    g, loc, lang = views.g, views.loc, views.lang
    base = g.config.base_url.rstrip("/")
    refs = newest_first(dates)
    site_title = views.text(g.config.title)
    # Plain element names: the Atom namespace is declared once, as the root's default namespace.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: lang})
    ET.SubElement(feed, "id").text = base + feed_path(views)
    _text(ET.SubElement(feed, "title"), loc.t("feed.title", site=str(site_title)), None)
    if g.config.tagline:
        tagline = views.text(g.config.tagline)
        _text(ET.SubElement(feed, "subtitle"), str(tagline), tagline)
    updated = max((dates[r].updated for r in refs), default=None)
    ET.SubElement(feed, "updated").text = atom_time(updated) if updated else g.today.isoformat() + "T00:00:00Z"
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base + feed_path(views)})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "hreflang": lang,
                                     "href": base + views.urls.home(lang)})
    author = ET.SubElement(feed, "author")
    _text(ET.SubElement(author, "name"), str(site_title), site_title)
    ET.SubElement(feed, "generator").text = "fichegen"
    licence = g.config.data_licence
    ET.SubElement(feed, "rights").text = xml_safe(f"{loc.t('footer.licence')} {licence.name} ({licence.url})")
    for ref in refs:
        feed.append(_entry(views, ref, dates[ref], base))
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(views: Views, ref: Ref, dates: FicheDates, base: str) -> ET.Element:
    g, lang = views.g, views.lang
    fiche = g.get(ref)
    entry = ET.Element("entry")
    ET.SubElement(entry, "id").text = base + views.urls.fiche(lang, ref.kind, ref.id)
    title = views.name(ref)
    _text(ET.SubElement(entry, "title", {"type": "text"}), str(title), title)
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "hreflang": lang,
                                  "href": base + views.urls.fiche(lang, ref.kind, ref.id)})
    ET.SubElement(entry, "published").text = atom_time(dates.published)
    ET.SubElement(entry, "updated").text = atom_time(dates.updated)
    ET.SubElement(entry, "category", {"term": ref.kind, "label": views.loc.t(f"kind.{ref.kind}")})
    summary = views.loc.pick(getattr(fiche, "summary", None))
    if summary is not None:
        element = ET.SubElement(entry, "summary", {"type": "html", XML_LANG: summary.lang})
        element.text = xml_safe(str(views.markdown.html(summary.text)))
    return entry


def _text(element: ET.Element, value: str, shown: TextView | None) -> None:
    """Set an element's text, with the xml:lang of the text's own language when it is not the feed's."""
    element.text = xml_safe(value)
    if shown is not None and shown.fallback:
        element.set(XML_LANG, shown.lang)
