"""The world's countries as fichegen's maps draw them: Natural Earth shapes in the Equal Earth projection.

The shapes ship with fichegen in world-map.json.gz beside this module, made once by
scripts/make_world_map.py (its docstring says from which packages and how; the file's "about" entry repeats
it): every country's outline as rings of shared arcs (a border between two countries is one arc, so
simplifying it never opens a gap), already projected and rounded to an integer grid, each point ranked by
the coarsest level of detail that keeps it. A world map reads the coarsest level; a locator map zoomed on one
country reads a finer one. Territories are ISO 3166-1 alpha-2 codes; the UN M49 regions (and CLDR's other
groupings such as EU) are resolved to their member countries with CLDR's containment data.

Equal Earth is an equal-area projection made for world maps (Šavrič, Patterson & Jenny 2018): countries
keep their relative sizes (Africa is not dwarfed by Europe as on Web Mercator) while the continents keep
familiar shapes, which suits maps of where migration-and-development projects take place.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

DATA = Path(__file__).with_name("world-map.json.gz")

# --- Equal Earth (Šavrič, Patterson & Jenny, International Journal of GIS 33:3, 2019) ------------------
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Longitude and latitude in degrees → x, y on the unit sphere (R = 1), y growing northwards.

    θ = asin(√3/2 · sin φ); x = λ·cos θ / (√3/2 · (A1 + 3A2θ² + 7A3θ⁶ + 9A4θ⁸)); y = A1θ + A2θ³ + A3θ⁷ + A4θ⁹.
    """
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


# --- the shipped shapes -------------------------------------------------------------------------------
Point = tuple[float, float]
Box = tuple[float, float, float, float]        # x0, y0, x1, y1 in grid units (y grows southwards)


@dataclass(frozen=True)
class Ring:
    """A closed outline (an island, a country's mainland, a hole): arcs by index, ~i for arc i reversed."""

    arcs: tuple[int, ...]
    box: Box


@dataclass(frozen=True)
class Country:
    """A territory's shape: its rings, the box of its main part (without far-away islands, for framing a
    locator map), a point inside its largest part (for a marker when the shape is too small to see), and
    its area in square grid units."""

    code: str
    rings: tuple[Ring, ...]
    frame: Box
    anchor: Point
    area: float


@dataclass(frozen=True)
class Atlas:
    """The shapes of world-map.json.gz, read once: arcs at every level of detail, countries, M49 regions."""

    scale: float                          # grid units per unit of the projection (R = 1)
    origin: Point                         # the projected x, y at grid (0, 0)
    size: Point                           # width and height of the grid holding every shape
    tolerances: tuple[float, ...]         # Douglas–Peucker tolerance of each level, coarsest first (grid units)
    arcs: tuple[tuple[tuple[Point, ...], ...], ...]   # arcs[level][i]: the points of arc i kept at that level
    arc_boxes: tuple[Box, ...]
    countries: Mapping[str, Country]
    land: tuple[Ring, ...]                # land that belongs to no territory code (drawn as background)
    regions: Mapping[str, tuple[str, ...]]  # CLDR containment: region → the regions and territories it holds
    about: Mapping[str, object]

    def to_grid(self, lat: float, lon: float) -> Point:
        """A place in degrees → grid units (x eastwards, y southwards)."""
        x, y = equal_earth(lon, lat)
        return (x - self.origin[0]) * self.scale, (self.origin[1] - y) * self.scale

    def members(self, code: str) -> frozenset[str]:
        """The territories of a region code (M49 "014", CLDR "EU"), recursively; a territory code stands for itself."""
        out: set[str] = set()
        todo, seen = [code], set()
        while todo:
            c = todo.pop()
            if c in seen:
                continue
            seen.add(c)
            if c in self.regions:
                todo.extend(self.regions[c])
            else:
                out.add(c)
        return frozenset(out)

    def level_for(self, tolerance: float) -> int:
        """The coarsest level whose simplification is at most `tolerance` grid units (the finest if none is)."""
        for level, t in enumerate(self.tolerances):
            if t <= tolerance * (1 + 1e-9):          # 1.2 / 0.1 is 11.999…: still level 12
                return level
        return len(self.tolerances) - 1

    def outline(self, rings: Sequence[Ring]) -> tuple[list[Ring], list[int]]:
        """Rings merged into one shape: its outline (the arcs only one of them uses, chained into closed rings)
        and the arcs between them (used twice), so that a shared border is written once, not once per side."""
        uses = Counter(r if r >= 0 else ~r for ring in rings for r in ring.arcs)
        free = [r for ring in rings for r in ring.arcs if uses[r if r >= 0 else ~r] == 1]
        ends = self.arcs[0]            # every level keeps the ends of every arc

        def start(ref: int) -> Point:
            return ends[ref][0] if ref >= 0 else ends[~ref][-1]

        def end(ref: int) -> Point:
            return ends[ref][-1] if ref >= 0 else ends[~ref][0]

        leaving: dict[Point, list[int]] = {}
        for k, ref in enumerate(free):
            leaving.setdefault(start(ref), []).append(k)
        taken = [False] * len(free)
        loops = []
        for k, ref in enumerate(free):
            if taken[k]:
                continue
            taken[k] = True
            loop, origin, at = [ref], start(ref), end(ref)
            while at != origin:     # the outline of oriented rings goes in as often as out at every point
                nxt = next((j for j in leaving.get(at, ()) if not taken[j]), None)
                if nxt is None:
                    break
                taken[nxt] = True
                loop.append(free[nxt])
                at = end(free[nxt])
            loops.append(self._ring(loop))
        return loops, sorted(i for i, n in uses.items() if n > 1)

    def _ring(self, refs: Sequence[int]) -> Ring:
        return Ring(tuple(refs), _union([self.arc_boxes[r if r >= 0 else ~r] for r in refs]))

    def ring_points(self, ring: Ring, level: int) -> list[Point]:
        """The points of a ring at a level of detail, the joints between its arcs counted once."""
        arcs = self.arcs[level]
        points: list[Point] = []
        for ref in ring.arcs:
            arc = arcs[ref] if ref >= 0 else arcs[~ref][::-1]
            points.extend(arc[1:] if points else arc)
        return points


def _box(points: Sequence[Point]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _decode_arc(flat: Sequence[int]) -> list[Point]:
    """[x0, y0, dx1, dy1, …] → absolute points."""
    x, y = flat[0], flat[1]
    points = [(float(x), float(y))]
    for i in range(2, len(flat), 2):
        x += flat[i]
        y += flat[i + 1]
        points.append((float(x), float(y)))
    return points


@lru_cache(maxsize=1)
def atlas() -> Atlas:
    """The shipped shapes, read and decoded once per process (they never change while it runs)."""
    data = json.loads(gzip.decompress(DATA.read_bytes()))
    full = [_decode_arc(a) for a in data["arcs"]]
    ranks = data["levels"]
    tolerances = tuple(float(t) for t in data["tolerances"])
    arcs = tuple(tuple(tuple(p for p, r in zip(points, rank) if int(r) <= level) for points, rank in zip(full, ranks))
                 for level in range(len(tolerances)))
    arc_boxes = [_box(points) for points in full]

    def ring(refs: list[int]) -> Ring:
        return Ring(tuple(refs), _union([arc_boxes[r if r >= 0 else ~r] for r in refs]))

    countries = {code: Country(code, tuple(ring(r) for r in c["rings"]), tuple(c["frame"]), tuple(c["anchor"]),
                               float(c["area"]))
                 for code, c in data["countries"].items()}
    grid = data["grid"]
    return Atlas(scale=float(grid["scale"]), origin=(float(grid["x0"]), float(grid["y0"])),
                 size=(float(grid["width"]), float(grid["height"])), tolerances=tolerances, arcs=arcs,
                 arc_boxes=tuple(arc_boxes),
                 countries=MappingProxyType(countries), land=tuple(ring(r) for r in data["land"]),
                 regions=MappingProxyType({k: tuple(v) for k, v in data["regions"].items()}),
                 about=MappingProxyType(data["about"]))
