#!/usr/bin/env python3
"""A deterministic synthetic fichegen project of any size, for benchmarks.

Usage:  bench/gen_corpus.py N OUT [--seed 42] [--languages en,fr,es,pt] [--neutral DIR]

Writes a complete fichegen project that passes `fichegen check` with no errors:

  OUT/fichegen.toml                      the languages asked for, a fixed build_date (statuses do not drift)
  OUT/content/projects/<id>.yaml         N projects
  OUT/content/organisations/<id>.yaml    N/5 organisations
  OUT/content/strategies/<id>.yaml       N/50 strategies
  OUT/content/vocabularies/*.yaml        themes, target-groups, organisation-types, programmes

The fiches are those of the neutral corpus (bench/neutral_corpus.py: the anchor benchmark's
generator, shared/bench/gen_corpus.py, with Portuguese added), mapped to fichegen's schema, so
the very same facts and texts can be built with Hugo (bench/to_hugo.py) and MkDocs
(shared/bench/to_mkdocs.py): `--neutral DIR` also writes the neutral files those converters read.

Mapping (neutral -> fichegen), everything beyond the neutral data derived from positions, never from
the random generator, so the neutral corpus stays byte-identical to the original's:
  project      slug -> id; title, summary, description; start/end dates; budget {amount, currency};
               funding [{programme, share}]; participants (roles [lead] or [partner]); countries;
               themes; target_groups (the group named in the title); strategies (from the strategies'
               related_projects, with a priority number); identifiers; links; published/updated;
               original_language en, fr, es in turn.
  organisation name (a proper name: the same in every language); acronym; type; country; website;
               description -> summary (the only Markdown text an organisation has).
  strategy     title, summary, description; territory (national or regional, its first country);
               period (year to year + 5); adoption date; responsible organisation; 3 priorities of 2
               objectives each; themes.
Portuguese: real (template-rendered) Portuguese texts, except the description of every fourth
project, which is missing, so its Portuguese page shows the English text marked as a fallback.
Term ids use hyphens (esf-plus) where the neutral keys use underscores (esf_plus).
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neutral_corpus as nc  # noqa: E402

MARKER = ".bench-corpus"          # marks a folder this script may wipe and rewrite
BUILD_DATE = "2025-06-30"         # statuses (planned, ongoing, closed) are derived against this date
SITE_TITLE = {"en": "Migration and Development Knowledge Base (benchmark)",
              "fr": "Base de connaissances migration et développement (banc d'essai)",
              "es": "Base de conocimiento sobre migración y desarrollo (banco de pruebas)",
              "pt": "Base de conhecimento sobre migração e desenvolvimento (banco de ensaio)"}
TAGLINE = {"en": "Synthetic fiches for measuring build times", "fr": "Fiches synthétiques pour mesurer les temps de construction",
           "es": "Fichas sintéticas para medir los tiempos de construcción", "pt": "Fichas sintéticas para medir os tempos de construção"}
ORG_TYPES = {"ngo": ("NGO", "ONG", "ONG", "ONG"),
             "local_authority": ("Local authority", "Collectivité locale", "Autoridad local", "Autoridade local"),
             "university": ("University", "Université", "Universidad", "Universidade"),
             "ministry": ("Ministry", "Ministère", "Ministerio", "Ministério"),
             "international_organisation": ("International organisation", "Organisation internationale",
                                            "Organización internacional", "Organização internacional"),
             "social_enterprise": ("Social enterprise", "Entreprise sociale", "Empresa social", "Empresa social"),
             "chamber_of_commerce": ("Chamber of commerce", "Chambre de commerce", "Cámara de comercio", "Câmara de comércio"),
             "training_centre": ("Training centre", "Centre de formation", "Centro de formación", "Centro de formação")}
PRIORITY_OF = ("1", "2", "3", "1.1", "2.2", None)   # the priority a project serves, by its position in the list


def term_id(key: str) -> str:
    return key.replace("_", "-")


def texts(values, langs) -> dict:
    """{lang: text} for the languages asked for, from a tuple in nc.LANGS order."""
    return {lang: v for lang, v in zip(nc.LANGS, values) if lang in langs}


def localized(mapping: dict, langs) -> dict:
    return {k: v for k, v in mapping.items() if k in langs}


def capital(s: str) -> str:
    return s[0].upper() + s[1:]


def project_fiche(i: int, p: dict, langs, strategies: list[dict]) -> dict:
    rate = round(p["budget"]["eu_cofunding_rate"] * 100)
    published = dt.date(2020, 1, 1) + dt.timedelta(days=(i * 7919) % 1900)
    fiche = {
        "acronym": p["acronym"],
        "title": localized(p["title"], langs),
        "original_language": langs[i % min(3, len(langs))],
        "published": published.isoformat(),
        **({"updated": (published + dt.timedelta(days=90 + i % 300)).isoformat()} if i % 3 == 0 else {}),
        "summary": localized(p["summary"], langs),
        "description": localized(p["description"], langs),
        "start_date": p["start_date"].isoformat(),
        "end_date": p["end_date"].isoformat(),
        "budget": {"amount": str(p["budget"]["amount"]), "currency": p["budget"]["currency"]},
        "funding": [{"programme": term_id(p["programme"]), "share": str(rate)}],
        "participants": [{"organisation": x["org"], "roles": [x["role"]]} for x in p["partners"]],
        "countries": p["countries"],
        "themes": [term_id(t) for t in p["themes"]],
        "target_groups": [f"group-{p['_group'] + 1:02d}"],
        "identifiers": [{"scheme": "grant-agreement", "value": f"GA-{i:06d}"}],
        "links": [{"url": f"https://example.org/projects/{p['slug']}", "kind": "website"}],
    }
    if strategies:
        fiche["strategies"] = [{"strategy": s, **({"priority": pr} if pr else {})} for s, pr in strategies]
    return fiche


def organisation_fiche(i: int, o: dict, langs) -> dict:
    return {"name": {lang: o["name"] for lang in langs}, "acronym": o["acronym"], "type": term_id(o["type"]),
            "country": o["country"], "website": o["website"], "original_language": langs[i % min(3, len(langs))],
            "summary": localized(o["description"], langs)}


def strategy_fiche(i: int, s: dict, langs, orgs: list[dict]) -> dict:
    priorities = []
    for k in range(3):
        outcome = nc.OUTCOMES[(i + k) % len(nc.OUTCOMES)]
        objectives = []
        for j in range(2):
            action = nc.ACTIONS[(i + 2 * k + j) % len(nc.ACTIONS)]
            group = nc.GROUPS[(i + 3 * k + j) % len(nc.GROUPS)]
            objectives.append({"number": f"{k + 1}.{j + 1}",
                               "title": texts([capital(a) + " " + g for a, g in zip(action, group)], langs)})
        priorities.append({"number": str(k + 1), "title": texts([capital(x) for x in outcome], langs), "objectives": objectives})
    return {
        "title": localized(s["title"], langs),
        "original_language": langs[i % min(3, len(langs))],
        "summary": localized(s["summary"], langs),
        "description": localized(s["description"], langs),
        "territory": {"level": "national" if i % 2 else "regional", "country": s["countries"][0]},
        "period": {"start": str(s["year"]), "end": str(s["year"] + 5)},
        "adoption": {"date": f"{s['year']}-{1 + i % 12:02d}"},
        "responsible": [orgs[(i * 13) % len(orgs)]["slug"]],
        "priorities": priorities,
        "themes": [term_id(t) for t in s["themes"]],
    }


def vocabularies(langs) -> dict[str, dict]:
    return {
        "themes": {term_id(k): {"label": texts(v, langs)} for k, v in nc.THEMES.items()},
        "target-groups": {f"group-{n + 1:02d}": {"label": texts([capital(x) for x in g], langs)} for n, g in enumerate(nc.GROUPS)},
        "organisation-types": {term_id(k): {"label": texts(v, langs)} for k, v in ORG_TYPES.items()},
        "programmes": {term_id(k): {"label": texts(v, langs), "website": f"https://example.org/programmes/{k}"}
                       for k, v in nc.PROGRAMMES.items()},
    }


def config_toml(langs) -> str:
    def table(d):
        return "{ " + ", ".join(f'{k} = "{v}"' for k, v in d.items() if k in langs) + " }"
    listed = ", ".join(f'"{x}"' for x in langs)
    return (f"# Generated by bench/gen_corpus.py: a synthetic benchmark corpus, not real content.\n"
            f"title = {table(SITE_TITLE)}\ntagline = {table(TAGLINE)}\n"
            f"languages = [{listed}]\ndefault_language = \"{langs[0]}\"\nfallback = [{listed}]\n"
            f"base_url = \"https://example.org\"\nbase_path = \"/\"\nbuild_date = {BUILD_DATE}\n")


def write_project(corpus: dict, out: Path, langs: tuple[str, ...]) -> dict[str, int]:
    """Write the fichegen project for `corpus` (from nc.generate) into `out`; returns counts."""
    content = out / "content"
    links: dict[str, list[tuple[str, str | None]]] = {}
    for s in corpus["strategies"]:
        for j, slug in enumerate(s["related_projects"]):
            links.setdefault(slug, []).append((s["slug"], PRIORITY_OF[j % len(PRIORITY_OF)]))
    written = {}
    for kind, make in (("projects", lambda i, x: project_fiche(i, x, langs, links.get(x["slug"], []))),
                       ("organisations", lambda i, x: organisation_fiche(i, x, langs)),
                       ("strategies", lambda i, x: strategy_fiche(i, x, langs, corpus["organisations"]))):
        folder = content / kind
        folder.mkdir(parents=True, exist_ok=True)
        for i, item in enumerate(corpus[kind], 1):
            (folder / f"{item['slug']}.yaml").write_text(nc.dump(make(i, item)), encoding="utf-8")
        written[kind] = len(corpus[kind])
    (content / "vocabularies").mkdir(parents=True, exist_ok=True)
    for name, terms in vocabularies(langs).items():
        (content / "vocabularies" / f"{name}.yaml").write_text(nc.dump(terms), encoding="utf-8")
    (out / "fichegen.toml").write_text(config_toml(langs), encoding="utf-8")
    return written


def fresh_folder(out: Path) -> None:
    """Empty `out` if this script made it; refuse to touch any other non-empty folder."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            sys.exit(f"{out} is not empty and was not made by gen_corpus.py: refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by bench/gen_corpus.py; may be wiped and regenerated\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of projects (organisations: N/5, strategies: N/50)")
    ap.add_argument("out", type=Path, help="folder for the fichegen project (wiped first if made by this script)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--languages", default="en,fr,es,pt", help="comma-separated, from en,fr,es,pt; the first is the default")
    ap.add_argument("--neutral", type=Path, help="also write the neutral corpus here, for to_hugo.py and to_mkdocs.py")
    args = ap.parse_args()
    langs = tuple(args.languages.split(","))
    if not langs or any(x not in nc.LANGS for x in langs) or len(set(langs)) != len(langs):
        ap.error(f"--languages: a comma-separated list of distinct languages among {','.join(nc.LANGS)}")
    corpus = nc.generate(args.n, args.seed)
    fresh_folder(args.out)
    counts = write_project(corpus, args.out, langs)
    print(f"{counts['projects']} projects, {counts['organisations']} organisations, {counts['strategies']} strategies "
          f"({','.join(langs)}) -> {args.out}")
    if args.neutral:
        fresh_folder(args.neutral)
        nc.write(corpus, args.neutral, langs)
        print(f"neutral corpus -> {args.neutral}")


if __name__ == "__main__":
    main()
