"""Static SVG maps: the projection is Equal Earth as published, every country with projects is named with its
count in the page's language, the legend covers the counts, tiny countries get a marker, M49 regions light up
their members, points land where the projection puts them, the same input gives the same bytes, and a page
holding a world map and a locator map passes axe-core in Debian's chromium at phone and desktop widths.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import math
import re
import threading
from pathlib import Path

import html5lib
import pytest
from babel import Locale
from babel.numbers import format_decimal
from lxml import etree

from fichegen.render import maps
from fichegen.render.atlas import DATA, atlas, equal_earth
from test_charts import contrast, luminance

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
THEME_CSS = REPO / "src" / "fichegen" / "theme" / "static" / "site.css"
AXE = REPO / "tests" / "accessibility" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "tests" / "screenshots"

#: Projects per country as a site might count them: large and small countries, islands, a code with no shape.
COUNTS = {"FR": 3, "SN": 5, "CV": 2, "MT": 1, "MU": 4, "ES": 12, "PT": 7, "MA": 9, "DE": 1, "IT": 2,
          "BR": 1234, "TV": 1}
PHRASES = {"en": "{name}: {count} projects", "fr": "{name} : {count} projets"}


def words(lang: str, **extra) -> maps.MapText:
    """A page's texts, as the page views will take them from the UI catalogue and the Localizer."""
    number = functools.partial(format_decimal, locale=lang)
    texts = dict(title={"en": "Projects by country", "fr": "Projets par pays"}[lang],
                 desc={"en": "World map of the number of projects in each country.",
                       "fr": "Carte du monde du nombre de projets dans chaque pays."}[lang],
                 name=maps.names_in(lang), number=number,
                 country=lambda name, n: PHRASES[lang].format(name=name, count=number(n)),
                 legend_title={"en": "Number of projects", "fr": "Nombre de projets"}[lang],
                 no_projects={"en": "No projects", "fr": "Aucun projet"}[lang],
                 head=({"en": "Country", "fr": "Pays"}[lang], {"en": "Projects", "fr": "Projets"}[lang]))
    return maps.MapText(**{**texts, **extra})


def parse(markup: str) -> etree._Element:
    """The SVG as an XML parser reads it (it must be well-formed on its own, not only inside HTML)."""
    return etree.fromstring(str(markup).encode("utf-8"))


def named(root: etree._Element) -> dict[str, etree._Element]:
    """The country images of a map by their code: each must be there once."""
    found: dict[str, etree._Element] = {}
    for el in root.iter():
        if el.get("role") == "img" and el.get("data-country"):
            assert el.get("data-country") not in found, f"{el.get('data-country')} is named twice"
            found[el.get("data-country")] = el
    return found


def title_of(el: etree._Element) -> str:
    title = el.find(f"{SVG}title")
    assert title is not None, etree.tostring(el)[:200]
    return title.text


def path_box(d: str) -> tuple[float, float, float, float]:
    """The bounding box of path data written as `M x y l dx dy …z` (what render/maps.py writes)."""
    xs, ys = [], []
    for sub in re.findall(r"M([^M]+)", d):
        head, _, steps = sub.rstrip("z").partition("l")
        x, y = map(int, head.split())
        xs.append(x), ys.append(y)
        numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2]):
            x, y = x + dx, y + dy
            xs.append(x), ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def view_box(root: etree._Element) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in root.get("viewBox").split())


# --- the projection --------------------------------------------------------------------------------------

@pytest.mark.parametrize("lon, lat, x, y", [
    (180, 0, 17263256.84, 0.0),             # PROJ's test data for +proj=eqearth +R=6378137
    (180, 45, 14795421.79, 5486671.72),
    (-180, -45, -14795421.79, -5486671.72),
    (0, 0, 0.0, 0.0),
])
def test_equal_earth_gives_the_published_coordinates(lon, lat, x, y):
    px, py = equal_earth(lon, lat)
    assert px * 6378137 == pytest.approx(x, abs=0.01)
    assert py * 6378137 == pytest.approx(y, abs=0.01)


@pytest.mark.parametrize("lat0, lat1", [(0, 10), (50, 60), (-40, -30), (75, 90)])
def test_equal_earth_keeps_areas(lat0, lat1):
    """On the unit sphere a 10°×10° cell covers Δλ·(sin φ1 − sin φ0); the projected cell covers as much."""
    lon0, lon1 = 20.0, 30.0
    steps = 200
    edge = ([(lon0 + (lon1 - lon0) * k / steps, lat0) for k in range(steps)]
            + [(lon1, lat0 + (lat1 - lat0) * k / steps) for k in range(steps)]
            + [(lon1 - (lon1 - lon0) * k / steps, lat1) for k in range(steps)]
            + [(lon0, lat1 - (lat1 - lat0) * k / steps) for k in range(steps)])
    points = [equal_earth(lon, lat) for lon, lat in edge]
    area = abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2
    sphere = math.radians(lon1 - lon0) * (math.sin(math.radians(lat1)) - math.sin(math.radians(lat0)))
    assert area == pytest.approx(sphere, rel=1e-4)


def test_points_are_drawn_where_the_projection_puts_them():
    x_max = equal_earth(180, 0)[0]
    top = atlas().origin[1]
    unit = maps.WORLD_WIDTH / (2 * x_max)     # user units per unit of the projection
    places = [(48.8566, 2.3522, "Paris"), (14.6928, -17.4467, "Dakar"), (-33.9249, 18.4241, "Cape Town"),
              (0, 180, "the antimeridian"), (0, 0, "Null Island"), (45, 180, "45°N 180°")]
    view = maps.world_map({}, words("en"), points=places)
    circles = {title_of(c): c for c in parse(view.svg).iter(f"{SVG}circle") if "map-point" in c.get("class")}
    assert list(circles) == [label for *_, label in places]
    for lat, lon, label in places:
        x, y = equal_earth(lon, lat)
        assert float(circles[label].get("cx")) == pytest.approx((x + x_max) * unit, abs=0.051)
        assert float(circles[label].get("cy")) == pytest.approx((top - y) * unit, abs=0.051)
    assert float(circles["the antimeridian"].get("cx")) == maps.WORLD_WIDTH
    assert float(circles["Null Island"].get("cx")) == maps.WORLD_WIDTH / 2
    # PROJ's value for 45°N 180°E, scaled onto the map
    assert float(circles["45°N 180°"].get("cx")) == pytest.approx(maps.WORLD_WIDTH / 2 * (1 + 14795421.79 / 17263256.84), abs=0.051)


def test_points_fall_inside_the_countries_they_are_in():
    """Shapes and points share one projection: Paris is inside France's outline, Dakar inside Senegal's."""
    view = maps.world_map({"FR": 1, "SN": 1}, words("en"), points=[(48.8566, 2.3522, "Paris"), (14.75, -17.3, "Dakar")])
    root = parse(view.svg)
    shapes = named(root)
    for code, label in (("FR", "Paris"), ("SN", "Dakar")):
        (dot,) = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title").text == label]
        x0, y0, x1, y1 = path_box(shapes[code].find(f"{SVG}path").get("d"))
        assert x0 <= float(dot.get("cx")) <= x1 and y0 <= float(dot.get("cy")) <= y1, (code, label)


def test_wrong_coordinates_are_refused_with_the_place_named():
    with pytest.raises(ValueError, match="Atlantis"):
        maps.world_map({"FR": 1}, words("en"), points=[(95.0, 10.0, "Atlantis")])
    with pytest.raises(ValueError, match="Nowhere"):
        maps.locator_map(["FR"], words("en"), points=[(10.0, float("nan"), "Nowhere")])


# --- the world map -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_country_with_projects_is_named_with_its_count(lang):
    view = maps.world_map(COUNTS, words(lang))
    root = parse(view.svg)
    names = Locale.parse(lang).territories
    drawn = named(root)
    assert set(drawn) == set(COUNTS) - {"TV"}           # Tuvalu is not in Natural Earth's 1:50m countries
    assert view.not_drawn == ("TV",)
    for code, el in drawn.items():
        assert title_of(el) == PHRASES[lang].format(name=names[code], count=format_decimal(COUNTS[code], locale=lang))
    assert title_of(drawn["BR"]) == {"en": "Brazil: 1,234 projects", "fr": "Brésil : 1\u202f234 projets"}[lang]
    assert title_of(drawn["CV"]) == {"en": "Cape Verde: 2 projects", "fr": "Cap-Vert : 2 projets"}[lang]
    # the map itself is a group named by its title and description; countries without projects are background
    assert root.get("role") == "group"
    labels = [root.find(f".//*[@id='{i}']").text for i in root.get("aria-labelledby").split()]
    assert labels == [words(lang).title, words(lang).desc]
    land = root.find(f".//{SVG}g[@class='map-land']")
    assert land.get("aria-hidden") == "true" and not land.findall(f".//{SVG}title")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_table_has_the_same_numbers(lang):
    view = maps.world_map(COUNTS, words(lang))
    names = Locale.parse(lang).territories
    assert view.table["head"] == list(words(lang).head)
    assert view.table["rows"] == [[names[c], format_decimal(n, locale=lang)]
                                  for c, n in sorted(COUNTS.items(), key=lambda kv: (-kv[1], names[kv[0]].casefold()))]
    assert [r.code for r in view.rows][:3] == ["BR", "ES", "MA"]


@pytest.mark.parametrize("counts", [
    {"FR": 1},
    {"FR": 1, "ES": 2, "PT": 3, "IT": 4, "DE": 5},
    {"FR": 1, "ES": 2, "PT": 3, "IT": 4, "DE": 5, "SN": 6},
    COUNTS,
    {code: 1 + (i * 37) % 1000 for i, code in enumerate(["FR", "ES", "PT", "IT", "DE", "SN", "ML", "MA", "BR", "MX", "IN", "CN"])},
])
def test_legend_classes_cover_the_counts(counts):
    view = maps.world_map(counts, words("en"))
    classes = [e for e in view.legend if e.high > 0]
    assert classes[0].low == 1 and classes[-1].high == max(counts.values())
    for before, after in zip(classes, classes[1:]):
        assert after.low == before.high + 1                          # no gap, no overlap
    assert len(classes) <= maps.MAX_CLASSES
    drawn = named(parse(view.svg))
    for code, n in counts.items():
        (entry,) = [e for e in classes if e.low <= n <= e.high]
        assert code in view.not_drawn or drawn[code].get("fill") == entry.fill, code
    no_projects = view.legend[-1]
    assert (no_projects.low, no_projects.high, no_projects.label) == (0, 0, "No projects")
    assert no_projects.fill not in {e.fill for e in classes}
    assert len({e.fill for e in classes}) == len(classes)


def test_legend_labels_are_formatted_numbers_and_ranges():
    view = maps.world_map({"BR": 1234, "FR": 1}, words("fr"))
    labels = [e.label for e in view.legend]
    assert labels[0] == "1–4" and labels[-1] == "Aucun projet"
    assert labels[-2].endswith("1\u202f234") and "–" in labels[-2]
    html = str(view.legend_html())
    fragment = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(html)
    assert ["".join(li.itertext()).strip() for li in fragment.iter("li")] == labels
    assert "Nombre de projets" in html


def test_palette_is_readable():
    """Every class stands out from the "no projects" grey and from the page by 3:1, each darker than the last."""
    for fill in maps.CLASS_FILLS:
        assert contrast(fill, maps.NO_PROJECTS) >= 3, fill
        assert contrast(fill, maps.PAPER) >= 3, fill
    for lighter, darker in zip(maps.CLASS_FILLS, maps.CLASS_FILLS[1:]):
        assert luminance(darker) < luminance(lighter)
        assert contrast(lighter, darker) >= 1.35, (lighter, darker)
    assert contrast(maps.HIGHLIGHT, maps.NO_PROJECTS) >= 3 and contrast(maps.HIGHLIGHT, maps.SEA) >= 3
    assert contrast(maps.POINT_FILL, maps.PAPER) >= 3
    for n in range(1, maps.MAX_CLASSES + 1):
        assert len(set(maps.class_fills(n))) == n


def test_a_small_country_with_projects_gets_a_marker_on_the_world_map():
    root = parse(maps.world_map({"MT": 2, "FR": 3, "CV": 1}, words("en")).svg)
    drawn = named(root)
    for code in ("MT", "CV"):
        assert drawn[code].find(f"{SVG}circle") is not None and "map-marker" in drawn[code].get("class")
    assert drawn["FR"].find(f"{SVG}circle") is None and drawn["FR"].find(f"{SVG}path") is not None


def test_nothing_to_show_gives_no_map():
    assert maps.world_map({}, words("en")) is None
    assert maps.world_map({"FR": 0}, words("en")) is None
    assert maps.locator_map(["TV"], words("en")) is None          # no shape, no points


def test_the_svg_scales_to_any_width():
    for view in (maps.world_map(COUNTS, words("en")), maps.locator_map(["SN"], words("en"))):
        root = parse(view.svg)
        assert root.get("width") is None and root.get("height") is None
        x, y, w, h = view_box(root)
        assert (x, y, w, h) == (0, 0, view.frame.width, view.frame.height) and w > 0 and h > 0
        assert not root.findall(f".//{SVG}text"), "text in the SVG would shrink with it: the legend is HTML"


def test_labels_cannot_carry_markup_and_nothing_carries_style_or_script():
    hostile = "<script>alert(1)</script> & \"quotes\""
    view = maps.world_map({"FR": 1}, words("en"), points=[(10, 10, hostile)])
    root = parse(view.svg)
    assert hostile in [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    for el in root.iter():
        assert etree.QName(el).localname not in ("script", "style", "foreignObject")
        assert not [a for a in el.attrib if a == "style" or a.startswith("on")]


def test_same_input_same_bytes():
    """Two builds write identical maps, whatever the order the counts came in."""
    reordered = dict(reversed(list(COUNTS.items())))
    assert maps.world_map(COUNTS, words("fr")).svg == maps.world_map(reordered, words("fr")).svg
    assert maps.locator_map(["014", "SN"], words("en")).svg == maps.locator_map(["SN", "014"], words("en")).svg


# --- locator maps -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["CV", "MT", "MU", "KM", "SC"])
def test_tiny_island_states_get_a_marker_on_a_locator_map(code):
    view = maps.locator_map([code], words("fr"))
    root = parse(view.svg)
    place = named(root)[code]
    assert title_of(place) == Locale.parse("fr").territories[code]
    (ring,) = place.findall(f"{SVG}circle")
    x, y, w, h = view_box(root)
    assert 0 < float(ring.get("cx")) < w and 0 < float(ring.get("cy")) < h
    assert float(ring.get("r")) >= 10 and ring.get("fill") == "none" and float(ring.get("stroke-width")) >= 2
    shape = path_box(place.find(f"{SVG}path").get("d"))            # the islands are drawn, and inside the ring
    cx, cy, r = (float(ring.get(k)) for k in ("cx", "cy", "r"))
    assert all(math.hypot(px - cx, py - cy) <= r for px in shape[::2] for py in shape[1::2])


def test_a_large_country_is_its_shape_framed_by_its_neighbours():
    view = maps.locator_map(["SN"], words("en"))
    root = parse(view.svg)
    senegal = named(root)["SN"]
    assert senegal.find(f"{SVG}circle") is None
    x0, y0, x1, y1 = path_box(senegal.find(f"{SVG}path").get("d"))
    _, _, w, h = view_box(root)
    assert 0 < x0 < x1 < w and 0 < y0 < y1 < h                       # all of Senegal, with room around it
    assert (x1 - x0) < w / 3                                          # …and context: it is not the whole map
    land = root.find(f".//{SVG}g[@class='map-land']/{SVG}path")
    _, ly0, lx1, ly1 = path_box(land.get("d"))                      # Mauritania, Mali, Guinea… drawn around it
    assert lx1 >= w and ly0 <= 0 and ly1 >= h                          # (the sea is to the west)
    assert view.frame.width / view.frame.height <= 2


def test_a_m49_region_highlights_its_member_countries():
    east = maps.locator_map(["014"], words("en"))
    drawn = set(named(parse(east.svg)))
    assert {"KE", "ET", "TZ", "UG", "MG", "MU", "SO", "RW"} <= drawn
    assert not {"EG", "NG", "ZA", "FR"} & drawn
    assert drawn == set(east.drawn) and set(east.drawn) | set(east.not_drawn) == maps.region_members("014")
    latin = maps.region_members("419")                      # Latin America and the Caribbean: three levels of M49
    assert {"BR", "MX", "HT", "CU", "AR"} <= latin and not {"US", "ES", "CA"} & latin
    africa = maps.region_members("002")
    assert maps.region_members("014") | maps.region_members("015") <= africa
    assert maps.region_members("FR") == {"FR"}


def test_small_members_of_a_region_get_a_dot_not_a_ring():
    """Rings around each Caribbean island state would cover each other: on a map of many places, dots."""
    view = maps.locator_map(["419"], words("en"))
    drawn = named(parse(view.svg))
    for code in ("BB", "LC", "GD", "KN"):
        (dot,) = drawn[code].findall(f"{SVG}circle")
        assert dot.get("fill") is None and float(dot.get("r")) <= 8        # filled with the place's colour
    for code in ("BR", "MX", "EC", "CU"):
        assert drawn[code].find(f"{SVG}circle") is None, code


def test_a_region_and_a_country_together():
    view = maps.locator_map(["015", "MT"], words("fr"))
    root = parse(view.svg)
    drawn = named(root)
    assert {"MA", "DZ", "TN", "LY", "EG", "MT"} <= set(drawn)
    assert title_of(drawn["MA"]) == "Maroc"


def test_points_widen_a_locator_map_to_show_them():
    view = maps.locator_map(["PT"], words("en"), points=[maps.MapPoint(14.9177, -23.5092, "Praia")])
    root = parse(view.svg)
    (dot,) = [c for c in root.iter(f"{SVG}circle") if "map-point" in (c.get("class") or "")]
    _, _, w, h = view_box(root)
    assert 0 < float(dot.get("cx")) < w and 0 < float(dot.get("cy")) < h
    x, y = view.frame.place(14.9177, -23.5092)
    assert float(dot.get("cx")) == pytest.approx(x, abs=0.051) and float(dot.get("cy")) == pytest.approx(y, abs=0.051)


# --- the shipped data --------------------------------------------------------------------------------------

def test_shipped_data_is_small_and_says_where_it_comes_from():
    assert DATA.stat().st_size < 150_000
    about = json.loads(gzip.decompress(DATA.read_bytes()))["about"]
    lock = json.loads((REPO / "scripts" / "world-map" / "package-lock.json").read_text())["packages"]
    assert f"world-atlas {lock['node_modules/world-atlas']['version']}" in about["shapes"]
    assert f"cldr-core {lock['node_modules/cldr-core']['version']}" in about["regions"]
    assert "public domain" in about["shapes"] and about["made_by"] == "scripts/make_world_map.py"
    assert about["licences"]["cldr-core"].startswith("UNICODE LICENSE V3") and "ISC" in about["shapes"]


def test_shapes_are_cut_at_the_antimeridian():
    """Fiji and Russia straddle 180°: no ring may run across the whole map."""
    a = atlas()
    for code in ("FJ", "RU", "NZ", "US"):
        for ring in a.countries[code].rings:
            assert ring.box[2] - ring.box[0] < a.size[0] * 0.6, code
    fiji = a.countries["FJ"]
    assert max(r.box[2] - r.box[0] for r in fiji.rings) < a.size[0] * 0.01


def test_a_world_map_stays_light():
    """The map is inlined in a page: with sixty countries coloured it stays under 60 KB."""
    codes = sorted(atlas().countries)[::3][:60]
    view = maps.world_map({c: 1 + i % 30 for i, c in enumerate(codes)}, words("en"))
    assert len(named(parse(view.svg))) == 60
    assert len(str(view.svg).encode()) < 60_000


# --- in a browser ------------------------------------------------------------------------------------------

def page(lang: str) -> str:
    """A small page the way a template would show the maps: figure, HTML legend, caption, then the table."""
    world = maps.world_map(COUNTS, words(lang, caption="Number of projects in each country."),
                           points=[(14.6928, -17.4467, "Dakar"), (38.7223, -9.1393, "Lisboa")])
    locator = maps.locator_map(["CV", "SN"], words(lang, title="Where the project takes place", desc=""),
                               points=[(14.9177, -23.5092, "Praia")], map_id="map-locator")
    small = maps.locator_map(["MT"], words(lang, title="Malta", desc=""), map_id="map-malta")
    rows = "".join(f"<tr><th scope=\"row\">{r.name}</th><td>{r.shown}</td></tr>" for r in world.rows)
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Maps</title><link rel="icon" href="favicon.svg"><link rel="stylesheet" href="maps.css"></head>
<body><main><h1>Maps</h1>
<figure class="map" id="{world.id}">{world.svg}{world.legend_html()}<figcaption>{world.caption}</figcaption></figure>
<table><caption>{world.title}</caption><thead><tr><th scope="col">{world.head[0]}</th><th scope="col">{world.head[1]}</th></tr></thead>
<tbody>{rows}</tbody></table>
<figure class="map">{locator.svg}<figcaption>{locator.title}</figcaption></figure>
<figure class="map">{small.svg}<figcaption>{small.title}</figcaption></figure>
</main></body></html>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):   # keep the test output readable
        pass


@pytest.fixture
def map_pages(tmp_path):
    (tmp_path / "maps.css").write_text("body { font-family: sans-serif; margin: 1rem; color: #1d2330; }\n"
                                       "table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: left; }\n"
                                       + THEME_CSS.read_text(encoding="utf-8"))   # the site's own rules
    (tmp_path / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    for lang in ("en", "fr"):
        (tmp_path / f"{lang}.html").write_text(page(lang))
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_map_page_parses_as_html5():
    for lang in ("en", "fr"):
        html5lib.HTMLParser(strict=True).parse(page(lang))


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_maps_pass_axe_and_fit_a_phone(chromium, map_pages, lang):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/accessibility (scripts/setup.sh does)")
    errors: list[str] = []
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (320, 390, 1280):
        context = chromium.new_context(viewport={"width": width, "height": 800})   # the page's CSP applies
        tab = context.new_page()
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        assert tab.goto(f"{map_pages}/{lang}.html").ok
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        box = tab.locator("#map-world svg.map-svg").bounding_box()
        assert box["width"] <= width and box["height"] > box["width"] / 3
        if width != 320:
            tab.screenshot(path=str(SCREENSHOTS / f"maps-{lang}-{width}.png"), full_page=True)
        context.close()
    assert not errors, errors

    context = chromium.new_context(bypass_csp=True, viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(f"{map_pages}/{lang}.html")
    # what a screen reader is given: chromium's own accessibility tree
    tree = context.new_cdp_session(tab).send("Accessibility.getFullAXTree")["nodes"]
    images = [n["name"]["value"] for n in tree if n.get("role", {}).get("value") == "image" and "name" in n]
    names = Locale.parse(lang).territories
    for code in ("CV", "MT", "BR", "SN"):
        phrase = PHRASES[lang].format(name=names[code], count=format_decimal(COUNTS[code], locale=lang))
        assert images.count(phrase) == 1, (phrase, images)
    assert {"Dakar", "Lisboa", "Praia", names["SN"], names["CV"], names["MT"]} <= set(images)
    assert not [n for n in images if names["DZ"] in n], "countries without projects are background"
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    names = tab.evaluate("() => [...document.querySelectorAll('#map-world [role=img][data-country]')]"
                         ".map(e => e.querySelector('title').textContent)")
    context.close()
    violations = [f"{v['id']} ({v['impact']}): {v['help']} at " + "; ".join(str(n["target"]) for n in v["nodes"][:3])
                  for v in result["violations"]]
    assert not violations, "\n".join(violations)
    assert len(names) == len(COUNTS) - 1
