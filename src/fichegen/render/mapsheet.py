"""A map sheet: part of the atlas drawn at a scale, as SVG path data in whole user units.

A map shows a box of the atlas grid at some scale: rings are read at the level of detail that scale needs,
clipped to the box (a locator map writes nothing it does not show), rounded to whole user units (short
numbers), written as relative steps, and dropped when too small to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .atlas import Atlas, Box, Country, Point, Ring, atlas


@dataclass(frozen=True)
class MapFrame:
    """Where the grid of the atlas lands in a map's SVG user units."""

    x0: float
    y0: float
    scale: float
    width: float
    height: float

    def place(self, lat: float, lon: float) -> Point:
        """A place in degrees → SVG user units of this map."""
        gx, gy = atlas().to_grid(lat, lon)
        return (gx - self.x0) * self.scale, (gy - self.y0) * self.scale


def _clip(points: list[Point], box: Box) -> list[Point]:
    """Sutherland–Hodgman: the part of a ring inside a rectangle (a locator map draws only what it shows)."""
    x0, y0, x1, y1 = box
    edges = ((lambda p: p[0] >= x0, lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0]))),
             (lambda p: p[0] <= x1, lambda a, b: (x1, a[1] + (b[1] - a[1]) * (x1 - a[0]) / (b[0] - a[0]))),
             (lambda p: p[1] >= y0, lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0)),
             (lambda p: p[1] <= y1, lambda a, b: (a[0] + (b[0] - a[0]) * (y1 - a[1]) / (b[1] - a[1]), y1)))
    for keep, cross in edges:
        if not points:
            break
        out: list[Point] = []
        prev = points[-1]
        for p in points:
            if keep(p):
                if not keep(prev):
                    out.append(cross(prev, p))
                out.append(p)
            elif keep(prev):
                out.append(cross(prev, p))
            prev = p
        points = out
    return points


def _clip_segment(a: Point, b: Point, box: Box) -> tuple[Point, Point] | None:
    """Liang–Barsky: the part of a segment inside a rectangle, or None."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return None
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    if t0 > t1:
        return None
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def _clip_line(points: list[Point], box: Box) -> list[list[Point]]:
    """The parts of an open line inside a rectangle."""
    lines: list[list[Point]] = []
    for a, b in zip(points, points[1:]):
        part = _clip_segment(a, b, box)
        if part is None:
            continue
        if lines and lines[-1][-1] == part[0]:
            lines[-1].append(part[1])
        else:
            lines.append(list(part))
    return lines


def _steps(points: list[tuple[int, int]]) -> str:
    """`M x y l dx dy …`: an absolute start, then relative steps (short numbers)."""
    (x, y), deltas = points[0], []
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        deltas += [xb - xa, yb - ya]
    return f"M{x} {y}l{_numbers(deltas)}" if deltas else f"M{x} {y}"


def _area(ring: list[tuple[int, int]]) -> float:
    return abs(sum(xa * yb - xb * ya for (xa, ya), (xb, yb) in zip(ring, ring[1:] + ring[:1]))) / 2


def _numbers(values: list[int]) -> str:
    """Numbers of a path: a space between them, none before a minus sign."""
    return "".join(str(v) if (i == 0 or v < 0) else f" {v}" for i, v in enumerate(values))


@dataclass(frozen=True)
class Sheet:
    """One map being drawn: which part of the grid it shows, at what scale and level of detail."""

    atlas: Atlas
    frame: MapFrame
    level: int
    clip: Box | None          # grid box outside which nothing is drawn (None: the whole world)
    min_area: float

    def outside(self, box: Box) -> bool:
        if self.clip is None:
            return False
        cx0, cy0, cx1, cy1 = self.clip
        return box[2] < cx0 or box[0] > cx1 or box[3] < cy0 or box[1] > cy1

    def _within(self, box: Box) -> bool:
        c = self.clip
        return c is None or (box[0] >= c[0] and box[2] <= c[2] and box[1] >= c[1] and box[3] <= c[3])

    def _user(self, points: Iterable[Point]) -> list[tuple[int, int]]:
        """Grid points → whole user units, a point repeated by rounding written once."""
        f = self.frame
        out: list[tuple[int, int]] = []
        for gx, gy in points:
            p = (round((gx - f.x0) * f.scale), round((gy - f.y0) * f.scale))
            if not out or p != out[-1]:
                out.append(p)
        return out

    def ring(self, ring: Ring) -> list[tuple[int, int]]:
        """A ring in user units; empty when it is outside the map or too small to see."""
        if self.outside(ring.box):
            return []
        points = self.atlas.ring_points(ring, self.level)
        if not self._within(ring.box):
            points = _clip(points, self.clip)
        out = self._user(points)
        while len(out) > 1 and out[-1] == out[0]:
            out.pop()
        if len(out) < 3 or _area(out) < self.min_area:
            return []
        return out

    def path_data(self, rings: Iterable[Ring]) -> str:
        """Closed rings as path data: an absolute start, then relative whole-unit steps."""
        return "".join(_steps(points) + "z" for points in map(self.ring, rings) if points)

    def borders_data(self, arcs: Iterable[int]) -> str:
        """Arcs as open lines (the borders inside a merged shape)."""
        parts = []
        for i in arcs:
            if self.outside(self.atlas.arc_boxes[i]):
                continue
            points = list(self.atlas.arcs[self.level][i])
            lines = [points] if self._within(self.atlas.arc_boxes[i]) else _clip_line(points, self.clip)
            parts.extend(_steps(line) for line in map(self._user, lines) if len(line) > 1)
        return "".join(parts)

    def area_of(self, country: Country) -> float:
        return country.area * self.frame.scale ** 2

    def box_of(self, country: Country) -> Box:
        """The box of a country's main part in user units."""
        f = self.frame
        x0, y0, x1, y1 = country.frame
        return (x0 - f.x0) * f.scale, (y0 - f.y0) * f.scale, (x1 - f.x0) * f.scale, (y1 - f.y0) * f.scale

    def anchor(self, country: Country) -> Point:
        f = self.frame
        return (country.anchor[0] - f.x0) * f.scale, (country.anchor[1] - f.y0) * f.scale
