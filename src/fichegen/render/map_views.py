"""The maps of the pages, in the page's language: which projects count where, and what each map says.

render/maps.py draws; this module chooses. A world map counts projects by recipient country
(`Project.country_codes`; a project in several countries counts in each); projects given a whole world region
are counted on their own table row for that region, since a region coloured as one would read as if every
member country had those projects. A locator map shows a project's recipient countries and world regions
(a region as the union of its members: UN M49 codes, or a world-regions term listing its countries) and its
places with coordinates as points; a country or world region page shows where that territory is.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, replace
from typing import Any, Callable

from markupsafe import Markup, escape

from ..link import Ref
from ..models import Project
from . import maps
from .views import LinkView, Views


@dataclass(frozen=True)
class MapFigure:
    """A map ready for the `map_figure` macro: the drawing (legend and SVG) and the same numbers as a table."""

    view: maps.MapView
    caption: str
    table: dict | None          # {"head": [...], "rows": [[cell, cell], …]} or None for a locator map
    note: str = ""              # what the map could not draw, said in words

    @property
    def id(self) -> str:
        return self.view.id

    @property
    def svg(self):
        return self.view.svg

    @property
    def title(self) -> str:
        return self.view.title

    @property
    def legend(self):
        """The legend as HTML (templates run in a sandbox that calls no method of these objects)."""
        return self.view.legend_html()


def _name(v: Views, code: str) -> str:
    """A territory, M49 region, IATI region or world-regions term by its code, in the page's language."""
    if len(code) == 2 and code.isalpha():
        return v.loc.country(code)
    return str(v.term_label("world-regions", code))


def _text(v: Views, title: str, desc: str, caption: str = "") -> maps.MapText:
    t = v.loc.t
    return maps.MapText(title=title, desc=desc, caption=caption, name=lambda code: _name(v, code), number=v.loc.number,
                        country=lambda name, n: v.loc.t_count("map.country", n, name=name),
                        legend_title=t("map.legend"), no_projects=t("map.no_projects"),
                        head=(t("map.head.place"), t("chart.projects")), range=t("map.range"))


def region_countries(v: Views, code: str) -> list[str]:
    """What a world region is drawn as: an M49 code stands for its members; a vocabulary term for the countries it
    lists; an IATI region (no member list) for nothing."""
    if code.isdigit():
        return [code]
    term = v.g.term("world-regions", code)
    return list(getattr(term, "countries", []) or []) if term is not None else []


def world(v: Views, refs: list[Ref], map_id: str = "map-world") -> MapFigure | None:
    """Projects by recipient country on a world map, with their world regions as rows of the table; None when none
    of the projects names a country or a region."""
    countries: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for ref in refs:
        p = v.g.projects.get(ref.id) if ref.kind == "project" else None
        if p is None:
            continue
        countries.update(dict.fromkeys(p.country_codes, 1))
        regions.update(dict.fromkeys((r.region for r in p.recipient_regions), 1))
    if not countries and not regions:
        return None
    t = v.loc.t
    text = _text(v, t("map.world.title"), t("map.world.desc"))
    view = maps.world_map(dict(countries), text, map_id=map_id)
    if view is None:   # only regions: no country to colour, the table says it all
        return None
    rows: list[list[Any]] = []
    for code, n in sorted(countries.items(), key=lambda kv: (-kv[1], _name(v, kv[0]).casefold(), kv[0])):
        rows.append([v.country(code), v.loc.number(n)])
    for code, n in sorted(regions.items(), key=lambda kv: (-kv[1], _name(v, kv[0]).casefold(), kv[0])):
        rows.append([LinkView(v.term("world-regions", code).url, v.term("world-regions", code).label,
                              t("map.region_note")), v.loc.number(n)])
    caption = t("map.world.caption")
    if regions:
        total = sum(regions.values())
        caption = f"{caption} {v.loc.t_count('map.world.regions', total)}"
    note = t("map.not_drawn", list=", ".join(_name(v, c) for c in view.not_drawn)) if view.not_drawn else ""
    return MapFigure(view, caption, {"head": [t("map.head.place"), t("chart.projects")], "rows": rows}, note)


#: A word of a drawing made for every language, filled in per page: "\ue000title\ue001", "\ue000n:FR\ue001" (a place's
#: name), "\ue000p:0\ue001" (a point's label). Private-use characters: XML allows them and no label holds them.
_WORD = re.compile("\ue000([^\ue001]*)\ue001")


def _word(name: str) -> str:
    return f"\ue000{name}\ue001"


class MapCache:
    """The latest locator maps drawn, without their words: the pages of one fiche in every language come one after
    the other (SiteRenderer.pages), so a worker draws a project's map once and names it in each language."""

    SIZE = 32

    def __init__(self) -> None:
        self._drawn: OrderedDict[tuple, maps.MapView | None] = OrderedDict()

    def get(self, key: tuple, draw: Callable[[], maps.MapView | None]) -> maps.MapView | None:
        if key in self._drawn:
            self._drawn.move_to_end(key)
            return self._drawn[key]
        view = self._drawn[key] = draw()
        if len(self._drawn) > self.SIZE:
            self._drawn.popitem(last=False)
        return view


def locator(v: Views, places: list[str], points: list[maps.MapPoint], title: str, desc: str, caption: str,
            map_id: str = "map-locator") -> MapFigure | None:
    """A locator map named in the page's language; the drawing itself is shared by the languages (MapCache)."""
    def draw() -> maps.MapView | None:
        words = maps.MapText(title=_word("title"), desc=_word("desc"), name=lambda code: _word("n:" + code))
        marks = [maps.MapPoint(p.lat, p.lon, _word(f"p:{i}")) for i, p in enumerate(points)]
        return maps.locator_map(places, words, points=marks, map_id=map_id)

    key = (map_id, tuple(places), tuple((p.lat, p.lon) for p in points))
    drawn = v.map_cache.get(key, draw) if v.map_cache is not None else draw()
    if drawn is None:
        return None
    said = {"title": title, "desc": desc, **{f"p:{i}": p.label for i, p in enumerate(points)}}
    svg = _WORD.sub(lambda m: str(escape(said[m[1]] if m[1] in said else _name(v, m[1][2:]))), str(drawn.svg))
    view = replace(drawn, svg=Markup(svg), title=title, caption=caption)
    named = [c for c in view.not_drawn if not c.isdigit()]
    note = v.loc.t("map.not_drawn", list=", ".join(_name(v, c) for c in named)) if named else ""
    return MapFigure(view, caption, None, note)


def project_locator(v: Views, p: Project) -> MapFigure | None:
    """Where a project takes place: its recipient countries, its world regions and its places with coordinates."""
    places = list(p.country_codes) + [c for r in p.recipient_regions for c in region_countries(v, r.region)]
    points = [maps.MapPoint(float(x.coordinates.latitude), float(x.coordinates.longitude), str(v.text(x.name)))
              for x in p.places if x.coordinates]
    names = [_name(v, c) for c in p.country_codes] + [str(v.term_label("world-regions", r.region)) for r in p.recipient_regions]
    names += [m.label for m in points]
    if not places and not points:
        return None
    t = v.loc.t
    return locator(v, places, points, t("map.project.title"), t("map.project.desc", places=", ".join(names)),
                   t("map.project.caption"), map_id="map-project")


def locator_of_term(v: Views, taxonomy: str, code: str) -> MapFigure | None:
    """A country or a world region (as the graph's taxonomies name it: "CV", "014", "horn-of-africa") on the map."""
    places = [code] if taxonomy == "countries" else region_countries(v, code)
    if not places:
        return None
    name = _name(v, code)
    t = v.loc.t
    return locator(v, places, [], t("map.place.title", name=name), t("map.place.desc", name=name), "", map_id="map-place")
