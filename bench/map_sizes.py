#!/usr/bin/env python3
"""How heavy fichegen's maps are: the shipped shapes, and the SVG a page inlines for each kind of map.

Usage:  .venv/bin/python bench/map_sizes.py [--repeat 5]

Prints the size of src/fichegen/render/world-map.json.gz, then for world maps (the showcase's own counts,
and 30, 60 and every territory coloured) and locator maps (small islands, large countries, M49 regions)
the bytes of the SVG as written into the page, gzipped (what a compressing host sends), and the time to
draw it (best of --repeat runs, after the shapes are read once). Targets from issue 16: shipped data under
150 KB, a world map SVG of at most 60 KB.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from fichegen.check import check  # noqa: E402
from fichegen.render import maps  # noqa: E402
from fichegen.render.atlas import DATA, atlas  # noqa: E402

LOCATORS = [["MT"], ["CV"], ["MU"], ["SN"], ["CV", "SN"], ["PT"], ["FR"], ["DE", "PL"], ["US"], ["RU"], ["BR"],
            ["014"], ["015"], ["419"], ["EU"]]


def measure(draw, repeat: int) -> tuple[int, int, float]:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        view = draw()
        best = min(best, time.perf_counter() - start)
    markup = str(view.svg).encode("utf-8")
    return len(markup), len(gzip.compress(markup, mtime=0)), best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    a = atlas()
    loaded = (time.perf_counter() - start) * 1000
    data = json.loads(gzip.decompress(DATA.read_bytes()))
    per_level = ", ".join(f"{sum(len(arc) for arc in a.arcs[level]):,} at tolerance {t:g}"
                          for level, t in enumerate(a.tolerances))
    print(f"shipped shapes: {DATA.name} {DATA.stat().st_size:,} bytes ({len(gzip.decompress(DATA.read_bytes())):,} as JSON), "
          f"{len(a.countries)} territories, {len(data['arcs']):,} arcs; points {per_level}; read in {loaded:.0f} ms")

    text = maps.MapText("Projects by country", "World map of the number of projects in each country.",
                        name=maps.names_in("en"), country=lambda name, n: f"{name}: {n} projects",
                        legend_title="Number of projects", no_projects="No projects")
    result = check(REPO)
    showcase = {code: sum(1 for r in refs if r.kind == "project")
                for code, refs in result.graph.taxonomies.get("countries", {}).items()}
    codes = sorted(a.countries)
    cases = {f"showcase ({sum(1 for n in showcase.values() if n)} countries)": showcase,
             "30 countries": {c: 1 + i % 17 for i, c in enumerate(codes[::7][:30])},
             "60 countries": {c: 1 + i % 29 for i, c in enumerate(codes[::3][:60])},
             f"all {len(codes)} territories": {c: 1 + i % 40 for i, c in enumerate(codes)}}
    print(f"\n{'world map':<34}{'SVG bytes':>11}{'gzipped':>10}{'ms':>8}")
    for name, counts in cases.items():
        size, zipped, ms = measure(lambda: maps.world_map(counts, text), args.repeat)
        print(f"{name:<34}{size:>11,}{zipped:>10,}{ms:>8.1f}")
    print(f"\n{'locator map':<34}{'SVG bytes':>11}{'gzipped':>10}{'ms':>8}")
    for places in LOCATORS:
        size, zipped, ms = measure(lambda: maps.locator_map(places, text), args.repeat)
        print(f"{' + '.join(places):<34}{size:>11,}{zipped:>10,}{ms:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
