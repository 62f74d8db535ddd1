#!/usr/bin/env python3
"""Convert a benchmark corpus (bench/gen_corpus.py) into a Hugo site as rich as fichegen's.

Usage:  bench/to_hugo.py CORPUS SITE      (SITE is wiped first; build: cd SITE && hugo)

Derived from shared/bench/to_hugo.py (same structure: one content folder per language, layouts
written from strings, nav in partialCached), with what fichegen's pages have and that one lacked:

- every language of the corpus (en, fr, es, pt), the UI strings taken from fichegen's own
  catalogues (src/fichegen/theme/i18n/*.yaml, turned into Hugo i18n files), dates, numbers and money
  formatted per locale by Hugo's lang/time functions;
- the same taxonomies as fichegen: countries, themes, programmes, target-groups, years, status,
  organisation-types, each with an index page and a page per term;
- cards (kind, title, status, period, programme, countries, Markdown summary) on the section,
  term and home pages and on organisation pages, like fichegen's card macro; the projects
  section as a table of every project, like fichegen's;
- project pages with the same facts (status, period, programme, total budget, derived
  funding sources with their amount and share, countries, themes, target groups, identifier), participants
  with their roles,
  strategies with priorities, links; organisation pages with their projects grouped by role;
  strategy pages with territory, priorities, objectives and the projects serving each;
- per-page alternates for every language, canonical link, meta description, a search form,
  the fallback note where a Portuguese description is missing (the English text is shown);
- search, statistics, data and translations pages, a 404 page, sitemap and robots.txt.

Backlinks (an organisation's projects, a strategy's projects) are computed here, since Hugo has
no reverse references; fichegen computes them at build time (that work is in its timings).
Not in the Hugo site: fichegen's SVG charts, open data files and feeds.
"""
import json
import shutil
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_corpus as gc  # noqa: E402
import neutral_corpus as nc  # noqa: E402

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
THEME_I18N = Path(__file__).resolve().parents[1] / "src" / "fichegen" / "theme" / "i18n"
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
TAXONOMIES = {"country": "countries", "theme": "themes", "programme": "programmes", "target_group": "target-groups",
              "year": "years", "status": "status", "organisation_type": "organisation-types"}
TAXONOMY_KEY = {"countries": "countries", "themes": "themes", "programmes": "programmes", "target-groups": "target-groups",
                "years": "years", "status": "statuses", "organisation-types": "organisation-types"}  # fichegen's i18n names

CONFIG = """\
baseURL = "https://example.org/"
title = "{title}"
defaultContentLanguage = "{default}"
defaultContentLanguageInSubdir = true
buildFuture = true
disableKinds = ["rss"]
enableRobotsTXT = true

[taxonomies]
{taxonomies}

[sitemap]
  changeFreq = "monthly"
"""
LANG_CONFIG = """
[languages.{lang}]
  contentDir = "content/{lang}"
  label = "{name}"
  title = "{title}"
  weight = {weight}
"""

LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title>
{{ with .Params.abstract }}<meta name="description" content="{{ . | markdownify | plainify | truncate 300 }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end -}}
<link rel="stylesheet" href="{{ "static/site.css" | relURL }}">
</head>
<body>
<a class="skip" href="#main">{{ i18n "site_skip" }}</a>
<header class="site-header">
<p class="site-name"><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></p>
<nav class="languages" aria-label="{{ i18n "nav_languages" }}"><ul>{{ $cur := site.Language.Lang }}{{ range .AllTranslations }}<li>{{ if eq .Language.Lang $cur }}<span aria-current="true" lang="{{ .Language.Lang }}">{{ .Language.Label }}</span>{{ else }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ .Language.Label }}</a>{{ end }}</li>{{ end }}</ul></nav>
{{ partialCached "nav.html" . site.Language.Lang }}
</header>
<main id="main">{{ block "main" . }}{{ end }}</main>
{{ partialCached "footer.html" . site.Language.Lang }}
</body>
</html>
""",
    # Cached once per language, as a Hugo site would (site.Sections / site.Taxonomies walk the tree).
    "_partials/nav.html": """<nav class="main-nav" aria-label="{{ i18n "nav_main" }}"><ul>
<li><a href="{{ site.Home.RelPermalink }}">{{ i18n "nav_home" }}</a></li>
{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
{{ with site.GetPage "/statistics" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
{{ with site.GetPage "/data" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
{{ with site.GetPage "/search" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
<form class="quick-search" action="{{ .RelPermalink }}" method="get" role="search"><label for="q-top">{{ i18n "search_label" }}</label>
<input id="q-top" name="q" type="search" placeholder="{{ i18n "search_placeholder" }}"><button type="submit">{{ i18n "search_button" }}</button></form>{{ end }}
</ul></nav>
""",
    "_partials/footer.html": """<footer class="site-footer"><nav aria-label="{{ i18n "nav_browse" }}"><ul>
{{ range site.Taxonomies }}{{ with .Page }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul></nav>
<p>{{ with site.GetPage "/translations" }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> · {{ end }}{{ i18n "footer_licence" }} <a href="https://creativecommons.org/licenses/by/4.0/" rel="license">CC BY 4.0</a></p>
</footer>
""",
    "_partials/terms.html": """{{ $p := .page }}{{ range $i, $t := $p.GetTerms .taxonomy }}{{ if $i }} · {{ end }}<a href="{{ $t.RelPermalink }}">{{ $t.LinkTitle }}</a>{{ end }}""",
    "_partials/period.html": """{{ with .Params.start_date }}{{ time.Format ":date_medium" . }}{{ end }} – {{ with .Params.end_date }}{{ time.Format ":date_medium" . }}{{ end }}""",
    "_partials/card.html": """<article class="card card-{{ .Params.kind }}">
<p class="card-kind">{{ i18n (printf "kind_%s" .Params.kind) }}</p>
<h3 class="card-title"><a href="{{ .RelPermalink }}">{{ with .Params.acronym }}{{ . }} – {{ end }}{{ .Title }}</a></h3>
<p class="card-meta">{{ if eq .Params.kind "project" }}{{ partial "terms.html" (dict "page" . "taxonomy" "status") }} · {{ partial "period.html" . }} · {{ partial "terms.html" (dict "page" . "taxonomy" "programmes") }} · {{ partial "terms.html" (dict "page" . "taxonomy" "countries") }}{{ else if eq .Params.kind "strategy" }}{{ .Params.period_start }} – {{ .Params.period_end }} · {{ partial "terms.html" (dict "page" . "taxonomy" "countries") }}{{ else }}{{ partial "terms.html" (dict "page" . "taxonomy" "organisation-types") }} · {{ partial "terms.html" (dict "page" . "taxonomy" "countries") }}{{ end }}</p>
{{ with .Params.abstract }}<div class="prose">{{ . | markdownify }}</div>{{ end }}
</article>
""",
    # A card is rendered once per page and language and reused on every list that shows it (as a Hugo
    # site at this scale would; fichegen's counterpart is its Markdown cache).
    "_partials/cards.html": """{{ if . }}<div class="cards">{{ range . }}{{ partialCached "card.html" . .RelPermalink }}{{ end }}</div>{{ else }}<p class="empty">{{ i18n "list_empty" }}</p>{{ end }}""",
    "_partials/fact.html": """<div class="fact"><dt>{{ .label }}</dt><dd>{{ .value }}</dd></div>""",
    "home.html": """{{ define "main" }}<div class="hero"><h1>{{ site.Title }}</h1>
<form class="big-search" action="{{ with site.GetPage "/search" }}{{ .RelPermalink }}{{ end }}" method="get" role="search">
<label for="q-home">{{ i18n "search_label" }}</label><input id="q-home" name="q" type="search" placeholder="{{ i18n "search_placeholder" }}"><button type="submit">{{ i18n "search_button" }}</button></form></div>
<section><h2>{{ i18n "home_counts" }}</h2><ul class="counts">{{ range site.Sections }}<li><a href="{{ .RelPermalink }}"><span class="count">{{ lang.FormatNumber 0 (len .Pages) }}</span> {{ .Title }}</a></li>{{ end }}</ul></section>
<section><h2>{{ i18n "home_ongoing" }}</h2>{{ $ongoing := (where (where site.RegularPages "Section" "projects") "Params.status" "intersect" (slice "ongoing")).ByDate.Reverse }}{{ partial "cards.html" (first 12 $ongoing) }}
{{ if gt (len $ongoing) 12 }}<p class="more"><a href="{{ relLangURL "status/ongoing/" }}">{{ i18n "home_ongoing_all" (dict "count" (lang.FormatNumber 0 (len $ongoing))) }}</a></p>{{ end }}</section>
<section><h2>{{ i18n "home_latest" }}</h2>{{ partial "cards.html" (first 8 (site.RegularPages.ByParam "updated").Reverse) }}</section>
<section><h2>{{ i18n "home_browse" }}</h2><ul class="pill-list">{{ range site.Taxonomies }}{{ with .Page }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul></section>
{{ end }}
""",
    "section.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ if eq .Section "projects" }}<div class="table-wrap"><table class="listing"><caption>{{ i18n "list_projects_caption" }}</caption>
<thead><tr><th scope="col">{{ i18n "field_title" }}</th><th scope="col">{{ i18n "field_start" }}</th><th scope="col">{{ i18n "field_end" }}</th><th scope="col">{{ i18n "field_status" }}</th><th scope="col">{{ i18n "field_countries" }}</th><th scope="col">{{ i18n "field_programme" }}</th><th scope="col">{{ i18n "field_partners_count" }}</th></tr></thead>
<tbody>{{ range .Pages.ByDate.Reverse }}<tr><th scope="row"><a href="{{ .RelPermalink }}">{{ .Params.acronym }}</a><br><span class="small">{{ .Title }}</span></th>
<td data-sort="{{ .Params.start_date }}">{{ time.Format ":date_medium" .Params.start_date }}</td><td>{{ time.Format ":date_medium" .Params.end_date }}</td>
<td>{{ partial "terms.html" (dict "page" . "taxonomy" "status") }}</td><td>{{ partial "terms.html" (dict "page" . "taxonomy" "countries") }}</td>
<td>{{ partial "terms.html" (dict "page" . "taxonomy" "programmes") }}</td><td class="num">{{ lang.FormatNumber 0 (len .Params.participants) }}</td></tr>{{ end }}</tbody></table></div>
{{ else }}{{ partial "cards.html" .Pages.ByTitle }}{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul class="terms">{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ lang.FormatNumber 0 .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}<p class="breadcrumb"><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
<h1>{{ .Title }}</h1>
{{ range .Pages.GroupBy "Section" }}<section><h2>{{ with site.GetPage .Key }}{{ .Title }}{{ end }}</h2>{{ partial "cards.html" .Pages.ByTitle }}</section>{{ end }}
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>{{ i18n "error_not_found" }}</h1><p><a href="{{ site.Home.RelPermalink }}">{{ i18n "nav_home" }}</a></p>{{ end }}
""",
    "page.html": """{{ define "main" }}{{ $p := . }}<article class="fiche fiche-{{ .Params.kind }}">
<header class="fiche-header"><p class="fiche-kind">{{ with .Params.kind }}{{ i18n (printf "kind_%s" .) }}{{ end }}{{ with .Params.acronym }} · <abbr>{{ . }}</abbr>{{ end }}</p>
<h1>{{ .Title }}</h1></header>
{{ if eq .Params.kind "project" }}
<aside class="fiche-facts" aria-label="{{ i18n "fiche_key_facts" }}"><dl class="facts">
{{ partial "fact.html" (dict "label" (i18n "field_status") "value" (partial "terms.html" (dict "page" . "taxonomy" "status"))) }}
{{ partial "fact.html" (dict "label" (i18n "field_period") "value" (partial "period.html" .)) }}
{{ partial "fact.html" (dict "label" (i18n "field_programme") "value" (partial "terms.html" (dict "page" . "taxonomy" "programmes"))) }}
{{ with .Params.budget }}{{ partial "fact.html" (dict "label" (i18n "field_total_budget") "value" (lang.FormatCurrency 2 .currency .amount)) }}{{ end }}
{{ partial "fact.html" (dict "label" (i18n "field_countries") "value" (partial "terms.html" (dict "page" . "taxonomy" "countries"))) }}
{{ partial "fact.html" (dict "label" (i18n "field_themes") "value" (partial "terms.html" (dict "page" . "taxonomy" "themes"))) }}
{{ partial "fact.html" (dict "label" (i18n "field_target_groups") "value" (partial "terms.html" (dict "page" . "taxonomy" "target-groups"))) }}
{{ range .Params.identifiers }}{{ partial "fact.html" (dict "label" .scheme "value" .value) }}{{ end }}
</dl></aside>
<section id="summary"><h2>{{ i18n "field_summary" }}</h2><div class="prose">{{ .Params.abstract | markdownify }}</div></section>
<section id="description"><h2>{{ i18n "field_description" }}</h2>{{ with .Params.fallback }}<p class="fallback-note">{{ i18n "fallback_note" (dict "language" .) }}</p>{{ end }}<div class="prose">{{ .Content }}</div></section>
<section id="participants"><h2>{{ i18n "field_participants" }}</h2><ul class="partners">{{ range .Params.participants }}{{ $roles := .roles }}{{ with site.GetPage (printf "/organisations/%s" .organisation) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span class="note">({{ range $i, $r := $roles }}{{ if $i }}, {{ end }}{{ i18n (printf "role_%s" $r) }}{{ end }})</span></li>{{ end }}{{ end }}</ul></section>
{{ with .Params.funding }}{{ $budget := $.Params.budget }}<section id="funding"><h2>{{ i18n "field_funding" }}</h2><table><thead><tr><th scope="col">{{ i18n "field_funding_source" }}</th><th scope="col">{{ i18n "field_amount" }}</th><th scope="col">{{ i18n "field_share" }}</th></tr></thead><tbody>{{ range . }}{{ $amount := .amount }}<tr><td>{{ with site.GetPage (printf "/programmes/%s" .programme) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} <span class="note">({{ i18n "amount_kind_contribution" }})</span></td><td class="num">{{ with $budget }}{{ lang.FormatCurrency 2 .currency $amount }}{{ end }}</td><td class="num">{{ lang.FormatPercent 2 .share }}</td></tr>{{ end }}</tbody></table></section>{{ end }}
{{ with .Params.strategies }}<section id="strategies"><h2>{{ i18n "field_strategies" }}</h2><ul>{{ range . }}{{ $pr := .priority }}{{ with site.GetPage (printf "/strategies/%s" .strategy) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with $pr }} <span class="note">({{ . }})</span>{{ end }}</li>{{ end }}{{ end }}</ul></section>{{ end }}
{{ with .Params.links }}<section id="links"><h2>{{ i18n "field_links" }}</h2><ul class="links">{{ range . }}<li><a href="{{ .url }}" rel="noopener">{{ .url }}</a> <span class="note">({{ i18n "link_website" }})</span></li>{{ end }}</ul></section>{{ end }}
{{ else if eq .Params.kind "organisation" }}
<aside class="fiche-facts"><dl class="facts">
{{ partial "fact.html" (dict "label" (i18n "field_organisation_type") "value" (partial "terms.html" (dict "page" . "taxonomy" "organisation-types"))) }}
{{ with .Params.acronym }}{{ partial "fact.html" (dict "label" (i18n "field_acronym") "value" .) }}{{ end }}
{{ partial "fact.html" (dict "label" (i18n "field_country") "value" (partial "terms.html" (dict "page" . "taxonomy" "countries"))) }}
{{ with .Params.website }}{{ partial "fact.html" (dict "label" (i18n "field_website") "value" (printf "<a href=%q>%s</a>" . . | safeHTML)) }}{{ end }}
</dl></aside>
<section id="summary"><h2>{{ i18n "field_summary" }}</h2><div class="prose">{{ .Content }}</div></section>
{{ range .Params.groups }}<section id="{{ .role }}"><h2>{{ i18n (printf "backlink_%s" .role) }}</h2>{{ $cards := slice }}{{ range .projects }}{{ with site.GetPage (printf "/projects/%s" .) }}{{ $cards = $cards | append . }}{{ end }}{{ end }}{{ partial "cards.html" $cards }}</section>{{ end }}
{{ else if eq .Params.kind "strategy" }}
<aside class="fiche-facts"><dl class="facts">
{{ partial "fact.html" (dict "label" (i18n "field_territory") "value" (printf "%s · %s" (i18n (printf "level_%s" .Params.level)) (partial "terms.html" (dict "page" . "taxonomy" "countries")) | safeHTML)) }}
{{ partial "fact.html" (dict "label" (i18n "field_period") "value" (printf "%v – %v" .Params.period_start .Params.period_end)) }}
{{ range .Params.responsible }}{{ with site.GetPage (printf "/organisations/%s" .) }}{{ partial "fact.html" (dict "label" (i18n "field_responsible") "value" (printf "<a href=%q>%s</a>" .RelPermalink .Title | safeHTML)) }}{{ end }}{{ end }}
{{ partial "fact.html" (dict "label" (i18n "field_adoption") "value" .Params.adoption) }}
{{ partial "fact.html" (dict "label" (i18n "field_themes") "value" (partial "terms.html" (dict "page" . "taxonomy" "themes"))) }}
</dl></aside>
<section id="summary"><h2>{{ i18n "field_summary" }}</h2><div class="prose">{{ .Params.abstract | markdownify }}</div></section>
<section id="description"><h2>{{ i18n "field_description" }}</h2><div class="prose">{{ .Content }}</div></section>
<section id="priorities"><h2>{{ i18n "field_priorities" }}</h2><ol class="priorities">{{ range .Params.priorities }}<li><p><strong>{{ .number }}.</strong> {{ .title }}</p>
{{ with .projects }}<ul>{{ range . }}{{ with site.GetPage (printf "/projects/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
<ol>{{ range .objectives }}<li><strong>{{ .number }}</strong> {{ .title }}{{ with .projects }}<ul>{{ range . }}{{ with site.GetPage (printf "/projects/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}</li>{{ end }}</ol></li>{{ end }}</ol>
{{ with .Params.unassigned }}<h3>{{ i18n "strategy_unassigned" }}</h3><ul>{{ range . }}{{ with site.GetPage (printf "/projects/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}</section>
{{ else }}{{ .Content }}{{ end }}
</article>
{{ end }}
""",
}


def page(path: Path, front: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fm = yaml.dump(front, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(f"---\n{fm}---\n\n{body}", encoding="utf-8")


def hugo_i18n(lang: str) -> str:
    """fichegen's UI catalogue for `lang` as a Hugo i18n file: same texts, {x} placeholders as {{ .x }}."""
    data = yaml.load((THEME_I18N / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=Loader) or {}
    data.setdefault("field.priorities", {"en": "Priorities", "fr": "Priorités", "es": "Prioridades", "pt": "Prioridades"}[lang])
    data.setdefault("strategy.unassigned", {"en": "Other contributing projects", "fr": "Autres projets contributeurs",
                                            "es": "Otros proyectos que contribuyen", "pt": "Outros projetos que contribuem"}[lang])
    lines = []
    for key, text in data.items():
        text = str(text)
        for name in ("language", "count", "total", "scheme", "site", "round", "question", "start", "end"):
            text = text.replace("{" + name + "}", "{{ ." + name + " }}")
        lines.append(f"{key.replace('.', '_')} = {json.dumps(text, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def read_corpus(corpus: Path) -> dict:
    content = corpus / "content"
    out = {kind: {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=Loader)
                  for p in sorted((content / kind).glob("*.yaml"))}
           for kind in ("projects", "organisations", "strategies")}
    out["vocabularies"] = {p.stem: yaml.load(p.read_text(encoding="utf-8"), Loader=Loader)
                           for p in sorted((content / "vocabularies").glob("*.yaml"))}
    config = (corpus / "fichegen.toml").read_text(encoding="utf-8")
    out["languages"] = [x for x in nc.LANGS if f'"{x}"' in config.split("languages = [", 1)[1].split("]", 1)[0]]
    return out


def status_of(p: dict, today: date) -> str:
    if date.fromisoformat(p["start_date"]) > today:
        return "planned"
    if date.fromisoformat(p["end_date"]) < today:
        return "closed"
    return "ongoing"


def pick(text: dict, lang: str, order) -> tuple[str, str | None]:
    """The text in `lang`, else the first of `order` that exists, with the language it fell back to."""
    if lang in text:
        return text[lang], None
    for other in order:
        if other in text:
            return text[other], other
    raise KeyError(lang)


def main() -> None:
    corpus, site = Path(sys.argv[1]), Path(sys.argv[2])
    data = read_corpus(corpus)
    langs = data["languages"]
    today = date.fromisoformat(gc.BUILD_DATE)
    vocab = data["vocabularies"]
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)

    config = CONFIG.format(title=gc.SITE_TITLE[langs[0]], default=langs[0],
                           taxonomies="\n".join(f'  {k} = "{v}"' for k, v in TAXONOMIES.items()))
    for w, lang in enumerate(langs, 1):
        config += LANG_CONFIG.format(lang=lang, name=LANG_NAMES[lang], title=gc.SITE_TITLE[lang], weight=w)
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = site / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (site / "i18n").mkdir()
    for lang in langs:
        (site / "i18n" / f"{lang}.toml").write_text(hugo_i18n(lang), encoding="utf-8")
    css = Path(__file__).resolve().parents[1] / "src" / "fichegen" / "theme" / "static" / "site.css"
    (site / "static" / "static").mkdir(parents=True)
    if css.is_file():
        shutil.copy(css, site / "static" / "static" / "site.css")

    # Backlinks: organisation -> projects by role; strategy -> projects by priority.
    by_org: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_strategy: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for pid, p in data["projects"].items():
        for participant in p.get("participants", []):
            if participant.get("organisation"):
                for role in participant.get("roles", []):
                    by_org[participant["organisation"]][role].append(pid)
        for link in p.get("strategies", []):
            by_strategy[link["strategy"]][link.get("priority")].append(pid)

    for lang in langs:
        order = [lang] + [x for x in langs if x != lang]
        ui = yaml.load((THEME_I18N / f"{lang}.yaml").read_text(encoding="utf-8"), Loader=Loader)
        c = site / "content" / lang
        page(c / "_index.md", {"title": gc.SITE_TITLE[lang]})
        for kind, key in (("projects", "project"), ("organisations", "organisation"), ("strategies", "strategy"),
                          ("discussions", "discussion")):
            page(c / kind / "_index.md", {"title": ui[f"section.{key}"]})
        for name in ("search", "statistics", "data", "translations"):
            page(c / f"{name}.md", {"title": ui[f"nav.{name}"]}, ui.get(f"{name}.intro", ""))
        for tax in TAXONOMIES.values():
            page(c / tax / "_index.md", {"title": ui[f"taxonomy.{TAXONOMY_KEY[tax]}"]})
        term_titles = {
            "countries": {k.lower(): v[nc.LANGS.index(lang)] for k, v in nc.COUNTRIES.items()},
            "status": {s: ui[f"status.{s}"] for s in ("planned", "ongoing", "closed")},
            **{tax: {k.lower(): pick(t["label"], lang, order)[0] for k, t in vocab[tax].items()}
               for tax in ("themes", "programmes", "target-groups", "organisation-types")},
        }
        for tax, titles in term_titles.items():
            for key, title in titles.items():
                page(c / tax / key / "_index.md", {"title": title})

        for pid, p in data["projects"].items():
            description, fell_back = pick(p["description"], lang, order)
            budget = p.get("budget")
            funding = [{"programme": f["programme"], "share": float(f["share"]),      # the amount fichegen derives from the share
                        "amount": float(budget["amount"]) * float(f["share"]) / 100 if budget else 0.0}
                       for f in p.get("funding", []) if f.get("programme") and f.get("share")]
            page(c / "projects" / f"{pid}.md", {
                "title": pick(p["title"], lang, order)[0], "date": p["start_date"],
                "abstract": pick(p["summary"], lang, order)[0],
                "countries": [x.lower() for x in p["countries"]], "themes": p["themes"], "programmes": [f["programme"] for f in p.get("funding", []) if f.get("programme")],
                "target-groups": p["target_groups"], "years": [p["start_date"][:4]], "status": [status_of(p, today)],
                "params": {"kind": "project", "acronym": p["acronym"], "start_date": p["start_date"],
                           "end_date": p["end_date"], "updated": p.get("updated", p["published"]),
                           "budget": {"currency": budget["currency"], "amount": float(budget["amount"])} if budget else None,
                           "funding": funding,
                           "participants": [x for x in p.get("participants", []) if x.get("organisation")],
                           "strategies": p.get("strategies", []),
                           "identifiers": p["identifiers"], "links": p["links"],
                           **({"fallback": LANG_NAMES[fell_back]} if fell_back else {})},
            }, description)
        for oid, o in data["organisations"].items():
            groups = [{"role": role, "projects": by_org[oid][role]} for role in ("lead", "partner") if by_org[oid][role]]
            page(c / "organisations" / f"{oid}.md", {
                "title": pick(o["name"], lang, order)[0], "abstract": pick(o["summary"], lang, order)[0],
                "countries": [o["country"].lower()], "organisation-types": [o["type"]],
                "params": {"kind": "organisation", "acronym": o["acronym"], "website": o["website"], "groups": groups},
            }, pick(o["summary"], lang, order)[0])
        for sid, s in data["strategies"].items():
            contributing = by_strategy[sid]
            priorities = [{"number": pr["number"], "title": pick(pr["title"], lang, order)[0],
                           "projects": contributing.get(pr["number"], []),
                           "objectives": [{"number": ob["number"], "title": pick(ob["title"], lang, order)[0],
                                           "projects": contributing.get(ob["number"], [])} for ob in pr["objectives"]]}
                          for pr in s["priorities"]]
            page(c / "strategies" / f"{sid}.md", {
                "title": pick(s["title"], lang, order)[0], "abstract": pick(s["summary"], lang, order)[0],
                "countries": [s["territory"]["country"].lower()], "themes": s["themes"],
                "params": {"kind": "strategy", "level": s["territory"]["level"], "period_start": s["period"]["start"],
                           "period_end": s["period"]["end"], "adoption": s["adoption"]["date"],
                           "responsible": s["responsible"], "priorities": priorities,
                           "unassigned": contributing.get(None, [])},
            }, pick(s["description"], lang, order)[0])
    print(f"hugo site ({','.join(langs)}) -> {site}")


if __name__ == "__main__":
    main()
