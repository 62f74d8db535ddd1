#!/usr/bin/env python3
"""How long `check` takes to suggest an id for unknown references: N unknown partner ids among M organisations.

Usage:  .venv/bin/python bench/suggestions.py [--organisations 2000] [--unknown 46000] [--seed 42]

The organisations are those of the benchmark corpus (bench/neutral_corpus.py: names such as "Fundación
Horizons (HN)", acronyms, ids such as fh1-00001). The unknown ids are what editors write: a quarter are
near spellings of an id (a letter dropped or doubled), a quarter acronyms, a quarter names written as ids,
a quarter ids of nothing. They stand ten to a project, as partners.

Only the link stage is timed (loading and validating YAML is the same either way): `link()` of the graph,
which reports every unknown id with its suggestion. The figure printed is the wall time of that call and
the time per unknown id; run it against another checkout to compare, e.g. the code before the index:
    PYTHONPATH=/path/to/old/src .venv/bin/python bench/suggestions.py
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neutral_corpus as nc  # noqa: E402

import fichegen.link  # noqa: E402
from fichegen.config import SiteConfig  # noqa: E402
from fichegen.link import link  # noqa: E402
from fichegen.load import Positions, SourceFile  # noqa: E402
from fichegen.models import Organisation, Project, Term  # noqa: E402
from fichegen.validate import Vocabulary  # noqa: E402

PER_PROJECT = 10


def _source(kind: str, ident: str) -> SourceFile:
    # Empty positions: every diagnostic is placed at 1:1, without reading a file.
    return SourceFile(Path(f"{kind}/{ident}.yaml"), f"content/{kind}s/{ident}.yaml", kind, ident, {}, Positions())


def _unknown(rng: random.Random, orgs: list[dict], i: int) -> str:
    org = orgs[rng.randrange(len(orgs))]
    slug = org["slug"]
    way = i % 4
    if way == 0:                                   # a letter dropped or doubled
        at = rng.randrange(len(slug))
        typo = slug[:at] + slug[at + 1:] if rng.random() < 0.5 else slug[:at] + slug[at] + slug[at:]
        return typo.strip("-") or "x"
    if way == 1:                                   # the acronym
        return org["acronym"].lower() + ("-org" if rng.random() < 0.5 else "")
    if way == 2:                                   # the name, written as an id
        return "-".join(_words(org["name"]))
    return f"partner-{rng.randrange(10**6):06d}"   # nothing that exists


def _words(name: str) -> list[str]:
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return [w for w in "".join(c if c.isalnum() else " " for c in bare).split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--unknown", type=int, default=46000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    orgs = nc.make_orgs(rng, args.organisations)
    config = SiteConfig.model_validate({"title": {"en": "Suggestions benchmark"}, "build_date": "2025-06-30"})
    types = sorted({o["type"].replace("_", "-") for o in orgs})
    vocabularies = [Vocabulary("organisation-types", {t: Term.model_validate({"label": {"en": t}}) for t in types},
                               _source("vocabulary", "organisation-types"))]
    fiches = []
    for o in orgs:
        fiche = Organisation.model_validate({"original_language": "en", "name": {"en": o["name"]}, "acronym": o["acronym"],
                                             "type": o["type"].replace("_", "-")})
        fiche._id = o["slug"]
        fiches.append((fiche, _source("organisation", o["slug"])))
    unknown = [_unknown(rng, orgs, i) for i in range(args.unknown)]
    for p in range(0, len(unknown), PER_PROJECT):
        ident = f"project-{p // PER_PROJECT:05d}"
        fiche = Project.model_validate({"original_language": "en", "title": {"en": ident}, "summary": {"en": "Partners."},
                                        "partners": [{"organisation": u} for u in unknown[p:p + PER_PROJECT]]})
        fiche._id = ident
        fiches.append((fiche, _source("project", ident)))

    start = time.perf_counter()
    graph, diagnostics = link(config, fiches, vocabularies)
    seconds = time.perf_counter() - start

    reported = [d for d in diagnostics if d.code == "unknown-reference"]
    suggested = sum(1 for d in reported if d.hint.startswith("did you mean"))
    print(f"fichegen at {Path(fichegen.link.__file__).resolve().parent}")
    print(f"{len(unknown):,} unknown partner ids ({len(set(unknown)):,} distinct) against {len(orgs):,} organisations: "
          f"link {seconds:.2f} s, {seconds / len(unknown) * 1e6:.0f} µs per unknown id; "
          f"{len(reported):,} reported, {suggested:,} with a suggestion")


if __name__ == "__main__":
    main()
