"""Static SVG maps drawn at build time: a world map of projects per country, and locator maps of a few places.

Readers of this kind of site look for projects on a map first (keep.eu and Kohesio open on one). These maps
need no JavaScript: each is an inline SVG with a viewBox and no fixed size, so it shrinks to a 320 px screen.
Its legend is HTML next to it (`MapView.legend_html`), not SVG text, so it stays readable at any width; the
same numbers come as rows for a table (`MapView.table`, the shape the `chart` macro shows).

Accessibility: the SVG is a group named by its <title> and <desc>; each country with projects (or each
highlighted place, each point) is an image named by its own <title> ("France: 3 projects"), which is also
what a mouse pointer shows. Countries without projects are background drawn as one decorative path, so a
screen reader meets only what counts; the table lists everything.

Colours are presentation attributes (the pages' CSP forbids inline styles). Every class of the sequential
palette has at least 3:1 contrast with the "no projects" grey and with the page, and each class is darker than
the one before by a visible step (tests/test_maps.py checks it); points are outlined in white so they show on
any class.

A page view would call it like this (the UI strings are the catalogue's; `loc` is the page's Localizer):

    text = MapText(t("map.title"), t("map.desc"), name=loc.country, number=loc.number,
                   country=lambda name, n: t("map.country", name=name, count=loc.number(n)),
                   legend_title=t("chart.projects"), no_projects=t("map.no_projects"),
                   head=(t("field.country"), t("chart.projects")))
    view = world_map({code: len(refs) for code, refs in g.taxonomies["countries"].items()}, text)
    view = locator_map(project.countries, replace(text, title=t("map.locator.title"), desc=""))

The shapes and the Equal Earth projection are in render/atlas.py; this module chooses what to draw and how.
The page puts a map in a <figure class="map"> with the legend and a <figcaption>, and the table after it; the
rules around them are in the theme's site.css (`/* maps */`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Sequence

from babel import Locale
from markupsafe import Markup

from . import svg
from .atlas import Atlas, Box, Country, Point, Ring, atlas
from .charts import INK, PAPER
from .mapsheet import MapFrame, Sheet

# --- palette (see the module docstring) ------------------------------------------------------------
NO_PROJECTS = "#dde2e9"      # land without projects, and the context around a locator map's places
CLASS_FILLS = ("#2889ac", "#1d6da2", "#125292", "#0e397b", "#0a1f59")   # fewest projects → most
SEA = "#eef3f8"              # a locator map's background
HIGHLIGHT = "#0b5cad"        # a locator map's places (--accent)
POINT_FILL = "#9c5700"       # a city or region given by its coordinates
BORDER = PAPER               # lines between countries

#: Width of a world map in SVG user units: the whole Equal Earth width, 1 unit ≈ 0.5 px at 960 px.
WORLD_WIDTH = 2000
#: Width of a locator map in user units, whatever it shows.
LOCATOR_WIDTH = 1000
#: A locator map shows at least this share of the world's width (about 30° of longitude at the equator).
LOCATOR_MIN_SHARE = 1 / 12
#: A country smaller than this (square user units) gets a marker too: on a world map 960 px wide, about 4×4 px
#: (24,000 km², Malta, Cabo Verde, Luxembourg, Lebanon); on a locator map of one to three places about 25×25
#: units (Cabo Verde, Mauritius, the Comoros when the map shows 30° of longitude); on one of many places (a
#: region) about 12×12 units, where a ring around each would hide its neighbours: those get a dot.
SMALL = {"world": 60.0, "locator": 600.0, "region": 150.0}
#: A locator map of more places than this marks its small ones with dots instead of rings.
FEW_PLACES = 3
#: Islands smaller than this many square user units are not drawn (their country still is, or has a marker).
MIN_AREA = {"world": 2.0, "locator": 3.0}
#: The simplification that is still invisible, in user units.
TOLERANCE = 1.2
#: The simplification of the land around a locator map's places: background, drawn coarser (a locator map is drawn
#: on every project page; its neighbours' coastlines are most of its cost in time and bytes).
CONTEXT_TOLERANCE = 3.0
MAX_CLASSES = 5


@dataclass(frozen=True)
class MapPoint:
    """A place known by its coordinates (a city, a region's centre), drawn as a dot named `label`."""

    lat: float
    lon: float
    label: str


@dataclass(frozen=True)
class MapText:
    """What a map says, in the page's language; the page views fill it from their Localizer and UI catalogue."""

    title: str                                   # the map's accessible name
    desc: str = ""                               # what it shows, in a sentence or two
    caption: str = ""                            # for the <figcaption> the caller writes
    name: Callable[[str], str] = str             # territory or region code → its name (Localizer.country, names_in)
    number: Callable[[int], str] = str           # 1234 → "1,234" (Localizer.number)
    country: Callable[[str, int], str] | None = None   # (name, count) → "France: 3 projects"; default "France: 3"
    legend_title: str = ""                       # above the legend, e.g. "Number of projects"
    no_projects: str = "0"                       # the legend's entry for countries without projects
    head: tuple[str, str] = ("", "")             # the table's column heads: country, number of projects
    range: str = "{low}–{high}"                  # a legend class of several counts


def names_in(lang: str) -> Callable[[str], str]:
    """CLDR's names of territories and regions in a language, as `Localizer.country` gives them."""
    territories = Locale.parse(lang).territories
    return lambda code: territories.get(code, code)


@dataclass(frozen=True)
class LegendEntry:
    """One colour of the legend: the counts it stands for (0, 0 for "no projects") and its label."""

    fill: str
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class MapRow:
    """A line of the table beside a world map: the territory (or region) code, its name, its count."""

    code: str
    name: str
    count: int
    shown: str


@dataclass(frozen=True)
class MapView:
    """A map ready for a page: the SVG, its legend and the same numbers as table rows (largest first)."""

    id: str
    title: str
    caption: str
    svg: Markup
    frame: MapFrame
    legend: tuple[LegendEntry, ...] = ()
    legend_title: str = ""
    rows: tuple[MapRow, ...] = ()
    head: tuple[str, str] = ("", "")
    drawn: tuple[str, ...] = ()          # the territories coloured or highlighted
    not_drawn: tuple[str, ...] = ()      # codes asked for that have no shape (listed in the table all the same)
    open: bool = False

    @property
    def table(self) -> dict:
        """The rows in the shape of ChartView.table, for the `chart` macro."""
        return {"head": list(self.head), "rows": [[r.name, r.shown] for r in self.rows]}

    def legend_html(self) -> Markup:
        """The legend as an HTML list of swatches (readable at any width, unlike text scaled with the SVG)."""
        if not self.legend:
            return Markup("")
        items = []
        for entry in self.legend:
            swatch = svg.element("svg", {"class": "map-swatch", "viewBox": "0 0 16 16", "width": 16, "height": 16,
                                         "aria-hidden": "true", "focusable": "false"},
                                 svg.element("rect", {"x": 0.5, "y": 0.5, "width": 15, "height": 15, "rx": 2,
                                                      "fill": entry.fill, "stroke": INK, "stroke-opacity": 0.35}))
            items.append(f"<li>{swatch} {svg.text_content(entry.label)}</li>")
        title = f'<p class="map-legend-title">{svg.text_content(self.legend_title)}</p>' if self.legend_title else ""
        return Markup(f'<div class="map-legend">{title}<ul>{"".join(items)}</ul></div>')


# --- classes of counts ---------------------------------------------------------------------------------

def _nice_numbers() -> Iterable[int]:
    """1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150…"""
    magnitude = 1
    while True:
        for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            value = m * magnitude
            if value == int(value):
                yield int(value)
        magnitude *= 10


def count_classes(counts: Iterable[int], most: int = MAX_CLASSES) -> tuple[tuple[int, int], ...]:
    """Classes (low, high) that cover every count from 1 to the largest, in geometric steps rounded to nice
    numbers (few projects are common, many are rare); one class per count when there are at most `most`."""
    top = max((c for c in counts if c > 0), default=0)
    if top == 0:
        return ()
    if top <= most:
        return tuple((n, n) for n in range(1, top + 1))
    lows = [1]
    for i in range(1, most):
        target = top ** (i / most)
        low = next(n for n in _nice_numbers() if n >= target and n > lows[-1])
        if low > top:
            break
        lows.append(low)
    highs = [n - 1 for n in lows[1:]] + [top]
    return tuple(zip(lows, highs))


def class_fills(n: int) -> tuple[str, ...]:
    """`n` colours of the palette, spread over it so that few classes still differ clearly."""
    if n <= 0:
        return ()
    if n == 1:
        return (CLASS_FILLS[2],)
    last = len(CLASS_FILLS) - 1
    return tuple(CLASS_FILLS[round(i * last / (n - 1))] for i in range(n))


def _land(sheet: Sheet, rings: list[Ring]) -> str:
    """Countries of no interest to this map as one decorative shape, their borders as one line."""
    loops, inner = sheet.atlas.outline(rings)
    return svg.element("g", {"class": "map-land", "aria-hidden": "true"},
                       svg.element("path", {"d": sheet.path_data(loops), "fill": NO_PROJECTS})
                       + svg.element("path", {"d": sheet.borders_data(inner), "fill": "none", "stroke": BORDER,
                                              "stroke-width": 1, "stroke-linejoin": "round"}))


def _name_sort(item: tuple[str, str]) -> tuple[str, str]:
    return item[1].casefold(), item[0]


def _svg(map_id: str, kind: str, frame: MapFrame, text: MapText, parts: list[str]) -> Markup:
    """The root element: a viewBox and no width or height, a group named by its title and description."""
    head = svg.element("title", {"id": f"{map_id}-title"}, svg.text_content(text.title))
    labelled = f"{map_id}-title"
    if text.desc:
        head += svg.element("desc", {"id": f"{map_id}-desc"}, svg.text_content(text.desc))
        labelled += f" {map_id}-desc"
    root = {"xmlns": svg.SVG_NS, "viewBox": f"0 0 {svg.num(frame.width)} {svg.num(frame.height)}",
            "role": "group", "aria-labelledby": labelled, "class": f"map-svg map-{kind}",
            "preserveAspectRatio": "xMidYMid meet"}
    return Markup(svg.element("svg", root, head + "".join(parts)))


def _points(sheet: Sheet, points: Sequence[MapPoint], radius: float) -> str:
    dots = []
    for p in points:
        x, y = sheet.frame.place(p.lat, p.lon)
        dots.append(svg.element("circle", {"cx": x, "cy": y, "r": radius, "fill": POINT_FILL, "stroke": PAPER,
                                           "stroke-width": radius / 2.5, "role": "img", "class": "map-point"},
                                svg.tooltip(p.label)))
    return svg.element("g", {"class": "map-points"}, "".join(dots)) if dots else ""


def _as_points(points: Iterable[MapPoint | tuple[float, float, str]]) -> list[MapPoint]:
    """(lat, lon, label) tuples or MapPoints, checked: a wrong coordinate is a mistake to report, not to draw."""
    out = []
    for p in points:
        point = p if isinstance(p, MapPoint) else MapPoint(float(p[0]), float(p[1]), str(p[2]))
        if not (-90 <= point.lat <= 90 and -180 <= point.lon <= 180):   # also rejects NaN
            raise ValueError(f"{point.label!r}: ({point.lat}, {point.lon}) is not a latitude from -90 to 90 "
                             "and a longitude from -180 to 180")
        out.append(point)
    return out


# --- the world map ---------------------------------------------------------------------------------------

def world_map(counts: Mapping[str, int], text: MapText, *, points: Iterable[MapPoint | tuple[float, float, str]] = (),
              map_id: str = "map-world") -> MapView | None:
    """Countries coloured by their number of projects (ISO 3166-1 alpha-2 codes → counts), with points;
    None when there is nothing to show. Codes without a shape (Tuvalu, Gibraltar, regions…) are in the
    table and in `not_drawn`."""
    a = atlas()
    pts = _as_points(points)
    if not any(n > 0 for n in counts.values()) and not pts:
        return None
    scale = WORLD_WIDTH / a.size[0]
    frame = MapFrame(0.0, 0.0, scale, WORLD_WIDTH, math.ceil(a.size[1] * scale))
    sheet = Sheet(a, frame, a.level_for(TOLERANCE / scale), None, MIN_AREA["world"])
    counted = {code: n for code, n in counts.items() if n > 0}
    classes = count_classes(counted.values())
    fills = class_fills(len(classes))

    def fill_of(n: int) -> str:
        return next(f for (low, high), f in zip(classes, fills) if low <= n <= high)

    label = text.country or (lambda name, n: f"{name}: {text.number(n)}")
    background = [r for code, c in sorted(a.countries.items()) if code not in counted for r in c.rings] + list(a.land)
    parts = [_land(sheet, background)]
    shown = sorted(((code, text.name(code)) for code in counted if code in a.countries), key=_name_sort)
    shapes, markers = [], []
    for code, name in shown:
        country = a.countries[code]
        fill, named = fill_of(counted[code]), svg.tooltip(label(name, counted[code]))
        d = sheet.path_data(country.rings)
        if d and sheet.area_of(country) >= SMALL["world"]:
            shapes.append(svg.element("g", {"role": "img", "data-country": code, "fill": fill, "class": "map-country"},
                                      named + svg.element("path", {"d": d})))
            continue
        # too small to see: the shape (if any is left) is drawn unnamed, and a named marker shows where it is
        if d:
            shapes.append(svg.element("path", {"d": d, "fill": fill, "aria-hidden": "true", "data-country": code}))
        x, y = sheet.anchor(country)
        markers.append(svg.element("g", {"role": "img", "data-country": code, "fill": fill, "class": "map-marker"},
                                   named + svg.element("circle", {"cx": x, "cy": y, "r": 9, "stroke": INK,
                                                                  "stroke-width": 1.5})))
    parts.append(svg.element("g", {"class": "map-countries", "stroke": BORDER, "stroke-width": 1,
                                   "stroke-linejoin": "round"}, "".join(shapes)))
    parts.append(svg.element("g", {"class": "map-markers"}, "".join(markers)) if markers else "")
    parts.append(_points(sheet, pts, 6))
    body = "".join(parts)

    legend = [LegendEntry(f, low, high, text.number(low) if low == high
                          else text.range.format(low=text.number(low), high=text.number(high)))
              for (low, high), f in zip(classes, fills)]
    legend.append(LegendEntry(NO_PROJECTS, 0, 0, text.no_projects))
    rows = tuple(MapRow(code, text.name(code), n, text.number(n))
                 for code, n in sorted(counted.items(), key=lambda kv: (-kv[1], text.name(kv[0]).casefold(), kv[0])))
    return MapView(map_id, text.title, text.caption, _svg(map_id, "world", frame, text, [body]), frame,
                   tuple(legend), text.legend_title, rows, text.head, tuple(code for code, _ in shown),
                   tuple(sorted(code for code in counted if code not in a.countries)))


# --- locator maps -----------------------------------------------------------------------------------------

def _locator_view(a: Atlas, places: list[Country], extra: list[Point]) -> Box:
    """The grid box a locator map shows: its places (the large ones decide when sizes differ a lot) with
    room around them, at least a twelfth of the world wide, between 5:4 and 2:1 wide, inside the world."""
    largest = max((c.area for c in places), default=0.0)
    boxes = [c.frame for c in places if c.area >= largest / 100] + [(x, y, x, y) for x, y in extra]
    x0, y0, x1, y1 = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max((x1 - x0) * 1.8, a.size[0] * LOCATOR_MIN_SHARE)
    h = max((y1 - y0) * 1.8, a.size[0] * LOCATOR_MIN_SHARE / 2)
    w, h = max(w, h * 1.25), max(h, w / 2)
    w, h = min(w, a.size[0]), min(h, a.size[1])
    cx = min(max(cx, w / 2), a.size[0] - w / 2)
    cy = min(max(cy, h / 2), a.size[1] - h / 2)
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def region_members(code: str) -> frozenset[str]:
    """The territories of a UN M49 region or CLDR grouping ("014", "419", "EU"), from CLDR's containment data."""
    return atlas().members(code)


def locator_map(places: Iterable[str], text: MapText, *, points: Iterable[MapPoint | tuple[float, float, str]] = (),
                map_id: str = "map-locator") -> MapView | None:
    """Territories (alpha-2 codes) or regions (UN M49 codes such as "014") highlighted on a map zoomed to them
    with their neighbours around, and points; a territory too small to see at that scale gets a marker as well.
    None when none of them has a shape and there are no points."""
    a = atlas()
    asked = list(dict.fromkeys(places))
    codes = sorted({m for code in asked for m in a.members(code)})
    drawn = [a.countries[c] for c in codes if c in a.countries]
    pts = _as_points(points)
    extra = [a.to_grid(p.lat, p.lon) for p in pts]
    if not drawn and not extra:
        return None
    vx0, vy0, vx1, vy1 = _locator_view(a, drawn, extra)
    scale = LOCATOR_WIDTH / (vx1 - vx0)
    frame = MapFrame(vx0, vy0, scale, LOCATOR_WIDTH, round((vy1 - vy0) * scale))
    margin = (vx1 - vx0) * 0.02
    sheet = Sheet(a, frame, a.level_for(TOLERANCE / scale), (vx0 - margin, vy0 - margin, vx1 + margin, vy1 + margin),
                   MIN_AREA["locator"])
    highlighted = {c.code for c in drawn}
    context = [r for code, c in sorted(a.countries.items()) if code not in highlighted for r in c.rings
               if not sheet.outside(r.box)] + [r for r in a.land if not sheet.outside(r.box)]
    parts = [svg.element("rect", {"x": 0, "y": 0, "width": frame.width, "height": frame.height, "fill": SEA,
                                  "class": "map-sea"}),
             _land(replace(sheet, level=a.level_for(CONTEXT_TOLERANCE / scale)), context)]
    shapes, markers = [], []
    few = len(drawn) <= FEW_PLACES
    for code, name in sorted(((c.code, text.name(c.code)) for c in drawn), key=_name_sort):
        country = a.countries[code]
        d = sheet.path_data(country.rings)
        small = not d or sheet.area_of(country) < SMALL["locator" if few else "region"]
        body = svg.element("path", {"d": d}) if d else ""
        if small and not few:
            x, y = sheet.anchor(country)
            body += svg.element("circle", {"cx": x, "cy": y, "r": 6, "stroke": PAPER, "stroke-width": 1.5,
                                           "class": "map-marker"})
        elif small:   # a ring around all of it (an archipelago too), and a dot when nothing of it could be drawn
            x0, y0, x1, y1 = sheet.box_of(country)
            r = min(max(16.0, math.hypot(x1 - x0, y1 - y0) / 2 + 6), frame.width * 0.15)
            body += svg.element("circle", {"cx": (x0 + x1) / 2, "cy": (y0 + y1) / 2, "r": r, "fill": "none",
                                           "stroke": HIGHLIGHT, "stroke-width": 3, "class": "map-marker"})
            if not d:
                x, y = sheet.anchor(country)
                body += svg.element("circle", {"cx": x, "cy": y, "r": 4, "class": "map-marker"})
        group = svg.element("g", {"role": "img", "data-country": code, "fill": HIGHLIGHT, "class": "map-place"},
                            svg.tooltip(name) + body)
        (markers if small else shapes).append(group)
    parts.append(svg.element("g", {"class": "map-places", "stroke": BORDER, "stroke-width": 1}, "".join(shapes + markers)))
    parts.append(_points(sheet, pts, 7))
    not_drawn = tuple(c for c in codes if c not in a.countries)
    return MapView(map_id, text.title, text.caption, _svg(map_id, "locator", frame, text, parts), frame,
                   drawn=tuple(c.code for c in drawn), not_drawn=not_drawn)
