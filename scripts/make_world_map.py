"""Make src/fichegen/render/world-map.json.gz, the country shapes and M49 regions that fichegen's maps draw.

    (cd scripts/world-map && npm ci) && .venv/bin/python scripts/make_world_map.py
    .venv/bin/python scripts/make_world_map.py --check    # exit 1 when the shipped file is not what this makes

Sources, pinned in scripts/world-map/package-lock.json (npm packages made for exactly this, kept up by their
authors, and small to install):
- world-atlas 2.0.2 (Mike Bostock; package ISC licence): Natural Earth's 1:50m Admin 0 countries as TopoJSON,
  in the public domain. 1:50m rather than 1:110m because 1:110m leaves out the small island states this
  audience works with (Cabo Verde, Malta, Mauritius, the Comoros…). Its ids are ISO 3166-1 numeric codes;
  CLDR's territory aliases (through Babel, as the rest of fichegen uses CLDR) turn them into alpha-2 codes.
  Three shapes have no id: Kosovo (XK), and Somaliland and Northern Cyprus, counted with Somalia and Cyprus
  as ISO 3166-1 and the UN do; Siachen Glacier and the Indian Ocean Territories stay as land without a code.
  Antarctica is left out (no projects, and it would take a fifth of the map's height).
- cldr-core 48.2.0 (Unicode, Inc.; Unicode licence): supplemental/territoryContainment.json, the UN M49 regions
  and CLDR groupings (EU, EZ, UN…) with what each contains. Babel ships CLDR's names for these regions but not
  their containment.

What it does: decode the TopoJSON arcs, project them with Equal Earth (fichegen.render.atlas.equal_earth,
the same function that places points at build time), rank every point of every arc by Douglas–Peucker (its
rank is the largest tolerance at which the simplification keeps it, so one file serves every zoom), keep the
points that matter at the finest tolerance, drop islands too small to see at that tolerance, round to an
integer grid 20,000 units wide, and write arcs as deltas. Shared arcs keep neighbouring countries' borders
identical at every level. The output is deterministic: the same sources give the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from pathlib import Path

from babel.core import get_global

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
from fichegen.render.atlas import DATA, equal_earth  # noqa: E402

SOURCES = REPO / "scripts" / "world-map" / "node_modules"
WORLD_ATLAS = SOURCES / "world-atlas"
CLDR_CORE = SOURCES / "cldr-core"

GRID_WIDTH = 20_000
#: Douglas–Peucker tolerance of each level of detail, in grid units, coarsest first. The coarsest is a world
#: map about 1,000 px wide (1 px ≈ 20 units); the finest a locator map showing about 30° of longitude.
TOLERANCES = (12, 5, 2.5)
#: Islands smaller than this (square grid units, about 0.9 km² a unit at the equator) are left out, unless they
#: are all there is of a territory.
MIN_RING_AREA = 6.0
NAMED = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}
LEFT_OUT = {"AQ"}


def decode_topology(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs → longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def territory_code(feature: dict, aliases: dict) -> str | None:
    numeric = feature.get("id")
    if numeric is None:
        return NAMED.get(feature["properties"]["name"])
    codes = aliases.get(numeric)
    if not codes or len(codes) != 1:
        raise SystemExit(f"no single CLDR alpha-2 code for the numeric id {numeric} ({feature['properties']['name']})")
    return codes[0]


def split_at_antimeridian(arc: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """An arc cut where it crosses ±180° into pieces that each stay on one side (world-atlas leaves that to
    d3's spherical clipping at drawing time; a flat projection needs it done)."""
    pieces = [[arc[0]]]
    for (lon0, lat0), (lon1, lat1) in zip(arc, arc[1:]):
        if abs(lon1 - lon0) > 180:
            side = 1 if lon0 > 0 else -1
            span = lon1 + 360 * side - lon0
            t = (180 * side - lon0) / span if span else 0.0
            lat = lat0 + t * (lat1 - lat0)
            pieces[-1].append((180.0 * side, lat))
            pieces.append([(-180.0 * side, lat)])
        pieces[-1].append((lon1, lat1))
    return pieces


class Arcs:
    """The arcs of the topology, cut at the antimeridian, and the rings that crossed it closed along it."""

    def __init__(self, arcs: list[list[tuple[float, float]]]):
        self.points = list(arcs)
        self.pieces: dict[int, list[int]] = {}
        for i, arc in enumerate(arcs):
            pieces = split_at_antimeridian(arc)
            if len(pieces) > 1:
                self.points[i] = pieces[0]
                self.pieces[i] = [i] + list(range(len(self.points), len(self.points) + len(pieces) - 1))
                self.points.extend(pieces[1:])

    def _ends(self, ref: int) -> tuple[tuple[float, float], tuple[float, float]]:
        arc = self.points[ref if ref >= 0 else ~ref]
        return (arc[0], arc[-1]) if ref >= 0 else (arc[-1], arc[0])

    def rings(self, ring: list[int]) -> list[list[int]]:
        """A ring as one ring, or as two when it crossed the antimeridian: each half closed along ±180°."""
        refs = []
        for r in ring:
            pieces = self.pieces.get(r if r >= 0 else ~r, [r if r >= 0 else ~r])
            refs += pieces if r >= 0 else [~p for p in reversed(pieces)]
        jumps = [k for k in range(len(refs)) if self._ends(refs[k])[1] != self._ends(refs[(k + 1) % len(refs)])[0]]
        if not jumps:
            return [refs]
        if len(jumps) != 2:
            raise SystemExit(f"a ring crosses the antimeridian {len(jumps)} times; only 2 are handled")
        a, b = jumps
        out = []
        for run in (refs[a + 1:b + 1], refs[b + 1:] + refs[:a + 1]):
            (lon, lat_to), (lon_end, lat_from) = self._ends(run[0])[0], self._ends(run[-1])[1]
            assert lon == lon_end and abs(lon) == 180, (lon, lon_end)
            steps = max(2, math.ceil(abs(lat_to - lat_from) / 0.5))
            self.points.append([(lon, lat_from + (lat_to - lat_from) * k / steps) for k in range(steps + 1)])
            out.append(run + [len(self.points) - 1])
        return out


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def dp_ranks(points: list[tuple[float, float]]) -> list[float]:
    """Each point's Douglas–Peucker rank: simplifying with tolerance t keeps exactly the points ranked above t.

    The recursion always splits at the farthest point whatever the tolerance, so a point is kept at t when its
    own distance and those of every split above it exceed t: its rank is the smallest of these distances."""
    n = len(points)
    rank = [math.inf] * n
    stack = [(0, n - 1, math.inf)]
    while stack:
        i, j, cap = stack.pop()
        if j <= i + 1:
            continue
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        best, at = -1.0, i + 1
        for m in range(i + 1, j):
            px, py = points[m]
            d = math.hypot(px - x1, py - y1) if length == 0 else abs(dy * (px - x1) - dx * (py - y1)) / length
            if d > best:
                best, at = d, m
        rank[at] = min(best, cap)
        stack.append((i, at, rank[at]))
        stack.append((at, j, rank[at]))
    return rank


def ring_area(points: list[tuple[float, float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]))) / 2


def centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if a == 0:
        return points[0]
    return cx / (3 * a), cy / (3 * a)


def inside(p: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = p
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def anchor(ring: list[tuple[float, float]]) -> tuple[float, float]:
    """A point inside the ring: its centroid, or else the middle of the widest chord across it at that height."""
    c = centroid(ring)
    if inside(c, ring):
        return c
    y = c[1]
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]) if (y0 > y) != (y1 > y))
    spans = [(xs[k + 1] - xs[k], (xs[k] + xs[k + 1]) / 2) for k in range(0, len(xs) - 1, 2)]
    return (max(spans)[1], y) if spans else ring[0]


#: The line between Morocco and Western Sahara (27°40′ N), as the UN and ISO 3166-1 draw it.
MOROCCO_WESTERN_SAHARA = 27 + 40 / 60


def western_sahara_whole(arcs: list[list[tuple[float, float]]], geometries: list[dict], aliases: dict) -> None:
    """Give Western Sahara (EH) its whole territory, as ISO 3166-1 and the UN M49 regions do.

    Natural Earth's de facto shapes give Morocco the part west of the berm and leave "W. Sahara" the strip
    east of it: the two share one arc (the berm). Here Morocco's Atlantic coast is cut at 27°40′ N, a new arc
    runs along that parallel from the Algerian border to the coast, the south goes to EH and the berm is
    dropped. The shapes are checked to be as expected, so a new world-atlas cannot be changed silently."""
    by_code = {territory_code(g, aliases): g for g in geometries}
    morocco, sahara = by_code["MA"], by_code["EH"]
    assert morocco["type"] == sahara["type"] == "Polygon" and len(morocco["arcs"]) == len(sahara["arcs"]) == 1, \
        "Morocco or Western Sahara is no longer one ring: check western_sahara_whole"
    ma, eh = morocco["arcs"][0], sahara["arcs"][0]
    berm = {r if r >= 0 else ~r for r in ma} & {r if r >= 0 else ~r for r in eh}
    assert len(berm) == 1, "Morocco and Western Sahara no longer share one arc: check western_sahara_whole"
    (berm_arc,) = berm
    k = [r if r >= 0 else ~r for r in ma].index(berm_arc)
    assert ma[k] == berm_arc and ma[(k + 1) % 3] >= 0, "unexpected ring order"
    coast_ref = ma[(k + 1) % 3]             # from the berm's southern end up the Atlantic coast to the Mediterranean
    coast = arcs[coast_ref]
    cut = next(i for i in range(1, len(coast)) if coast[i][1] >= MOROCCO_WESTERN_SAHARA > coast[i - 1][1])
    (lon0, lat0), (lon1, lat1) = coast[cut - 1], coast[cut]
    at = (lon0 + (lon1 - lon0) * (MOROCCO_WESTERN_SAHARA - lat0) / (lat1 - lat0), MOROCCO_WESTERN_SAHARA)
    border_start = arcs[berm_arc][0]        # where the Algerian border meets 27°40′ N
    assert abs(border_start[1] - MOROCCO_WESTERN_SAHARA) < 0.02, border_start
    south, north = len(arcs), len(arcs) + 1
    arcs.append(coast[:cut] + [at])         # the coast of Western Sahara, northwards
    arcs.append([at] + coast[cut:])         # the coast of Morocco
    steps = max(2, math.ceil(abs(at[0] - border_start[0]) / 0.25))
    arcs.append([(border_start[0] + (at[0] - border_start[0]) * i / steps,
                  border_start[1] + (at[1] - border_start[1]) * i / steps) for i in range(steps + 1)])
    line = len(arcs) - 1
    morocco["arcs"] = [[ma[(k + 2) % 3], line, north]]
    sahara["arcs"] = [[r for r in eh if (r if r >= 0 else ~r) != berm_arc] + [south, ~line]]


def make() -> bytes:
    topology = json.loads((WORLD_ATLAS / "countries-50m.json").read_text())
    containment = json.loads((CLDR_CORE / "supplemental" / "territoryContainment.json").read_text())
    versions = {name: json.loads((SOURCES / name / "package.json").read_text())["version"] for name in ("world-atlas", "cldr-core")}
    aliases = get_global("territory_aliases")

    # territories → polygons (lists of rings of arc references); shapes without a code are plain land
    lonlat = decode_topology(topology)
    western_sahara_whole(lonlat, topology["objects"]["countries"]["geometries"], aliases)
    arcs = Arcs(lonlat)
    shapes: dict[str, list[list[list[int]]]] = {}
    land: list[list[list[int]]] = []
    for feature in topology["objects"]["countries"]["geometries"]:
        code = territory_code(feature, aliases)
        if code in LEFT_OUT:
            continue
        for outer, *holes in polygons(feature):
            parts = arcs.rings(outer)
            assert len(parts) == 1 or not holes, "a ring with holes crosses the antimeridian"
            for part in parts:
                (shapes.setdefault(code, []) if code else land).append([part, *[r for h in holes for r in arcs.rings(h)]])

    x_max = equal_earth(180, 0)[0]
    scale = GRID_WIDTH / (2 * x_max)
    projected = [[equal_earth(lon, lat) for lon, lat in arc] for arc in arcs.points]
    drawn = {r if r >= 0 else ~r for polys in [*shapes.values(), land] for poly in polys for ring in poly for r in ring}
    top = max(y for i in drawn for _, y in projected[i])
    bottom = min(y for i in drawn for _, y in projected[i])
    grid = [[((x + x_max) * scale, (top - y) * scale) for x, y in arc] for arc in projected]

    def ring_points(refs: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for ref in refs:
            arc = grid[ref] if ref >= 0 else grid[~ref][::-1]
            points.extend(arc[1:] if points else arc)
        return points[:-1]

    # keep the rings big enough to see at the finest level (and each territory's largest one in any case)
    kept_rings: dict[str | None, list[list[int]]] = {}
    about_countries = {}
    for code, polys in sorted(shapes.items()) + [(None, land)]:
        rings = [r for poly in polys for r in poly]
        largest = max(rings, key=lambda r: ring_area(ring_points(r)))
        kept_rings[code] = [r for r in rings if r is largest or ring_area(ring_points(r)) >= MIN_RING_AREA]
        if code is None:
            continue
        outers = sorted(((ring_area(ring_points(p[0])), p[0]) for p in polys), key=lambda a: -a[0])
        main_area, main = outers[0]
        main_points = ring_points(main)
        x0, y0, x1, y1 = (min(p[0] for p in main_points), min(p[1] for p in main_points),
                          max(p[0] for p in main_points), max(p[1] for p in main_points))
        reach = max(x1 - x0, y1 - y0, GRID_WIDTH / 100)    # an archipelago: the islands within 3.6° too
        frame = [x0, y0, x1, y1]
        for area, outer in outers[1:]:
            cx, cy = centroid(ring_points(outer))
            if x0 - reach <= cx <= x1 + reach and y0 - reach <= cy <= y1 + reach:
                pts = ring_points(outer)
                frame = [min(frame[0], *(p[0] for p in pts)), min(frame[1], *(p[1] for p in pts)),
                         max(frame[2], *(p[0] for p in pts)), max(frame[3], *(p[1] for p in pts))]
        about_countries[code] = {"frame": [round(v) for v in frame], "anchor": [round(v) for v in anchor(main_points)],
                                 "area": round(sum(a for a, _ in outers))}

    # the arcs still used, renumbered in order of first use
    used: dict[int, int] = {}
    for rings in kept_rings.values():
        for ring in rings:
            for ref in ring:
                used.setdefault(ref if ref >= 0 else ~ref, len(used))

    def renumber(ring: list[int]) -> list[int]:
        return [used[r] if r >= 0 else ~used[~r] for r in ring]

    arcs_out, levels_out = [None] * len(used), [None] * len(used)
    for old, new in used.items():
        points = grid[old]
        ranks = dp_ranks(points)
        ranks[0] = ranks[-1] = math.inf
        kept = [(round(x), round(y), next(level for level, t in enumerate(TOLERANCES) if r > t))
                for (x, y), r in zip(points, ranks) if r > TOLERANCES[-1]]
        deduped = [kept[0]]
        for p in kept[1:]:                    # two points rounded onto one: keep one, with the coarser level
            if p[:2] == deduped[-1][:2]:
                deduped[-1] = (p[0], p[1], min(p[2], deduped[-1][2]))
            else:
                deduped.append(p)
        flat = [deduped[0][0], deduped[0][1]]
        for (xa, ya, _), (xb, yb, _) in zip(deduped, deduped[1:]):
            flat += [xb - xa, yb - ya]
        arcs_out[new] = flat
        levels_out[new] = "".join(str(level) for _, _, level in deduped)

    regions: dict[str, list[str]] = {}
    for key, value in sorted(containment["supplemental"]["territoryContainment"].items()):
        if "deprecated" in key:
            continue
        region = key.split("-")[0]
        regions[region] = sorted(set(regions.get(region, [])) | set(value["_contains"]))

    out = {
        "about": {
            "what": "Country outlines for fichegen's maps: Natural Earth 1:50m Admin 0 countries without Antarctica, "
                    "Equal Earth projection, Douglas-Peucker levels of detail, ISO 3166-1 alpha-2 codes; UN M49 regions.",
            "shapes": f"world-atlas {versions['world-atlas']} (npm), countries-50m.json: Natural Earth data, public domain; "
                      "package by Mike Bostock, ISC licence",
            "regions": f"cldr-core {versions['cldr-core']} (npm), supplemental/territoryContainment.json: "
                       "Unicode CLDR, Unicode licence v3",
            "codes": "ISO 3166-1 numeric to alpha-2 through CLDR's territory aliases (Babel); Kosovo XK, Somaliland "
                     "with SO and N. Cyprus with CY by name; Western Sahara (EH) whole, south of 27°40'N",
            "made_by": "scripts/make_world_map.py",
            "command": "(cd scripts/world-map && npm ci) && .venv/bin/python scripts/make_world_map.py",
            "licences": {name: (SOURCES / name / "LICENSE").read_text().strip() for name in ("world-atlas", "cldr-core")},
        },
        "grid": {"scale": round(scale, 6), "x0": round(-x_max, 9), "y0": round(top, 9), "width": GRID_WIDTH,
                 "height": math.ceil((top - bottom) * scale)},
        "tolerances": list(TOLERANCES),
        "arcs": arcs_out,
        "levels": levels_out,
        "countries": {code: {"rings": [renumber(r) for r in kept_rings[code]], **about_countries[code]}
                      for code in sorted(about_countries)},
        "land": [renumber(r) for r in kept_rings[None]],
        "regions": regions,
    }
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing it")
    args = parser.parse_args()
    if not (WORLD_ATLAS / "countries-50m.json").is_file():
        print(f"{SOURCES} is missing: run `npm ci` in scripts/world-map first", file=sys.stderr)
        return 2
    made = make()
    if args.check:
        same = DATA.is_file() and gzip.decompress(DATA.read_bytes()) == made
        print(f"{DATA.relative_to(REPO)} {'is' if same else 'is NOT'} what scripts/make_world_map.py makes")
        return 0 if same else 1
    DATA.write_bytes(gzip.compress(made, compresslevel=9, mtime=0))
    data = json.loads(made)
    points = sum(len(a) // 2 for a in data["arcs"])
    print(f"wrote {DATA.relative_to(REPO)}: {DATA.stat().st_size:,} bytes gzipped ({len(made):,} as JSON), "
          f"{len(data['countries'])} territories, {len(data['arcs'])} arcs, {points:,} points; "
          + ", ".join(f"level {i} (tolerance {t}): {sum(lv.count(str(k)) for lv in data['levels'] for k in range(i + 1)):,} points"
                      for i, t in enumerate(TOLERANCES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
