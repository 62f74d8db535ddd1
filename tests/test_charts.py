"""Static SVG charts: what they draw matches the data and the tables beside them, they speak the page's
language, they cannot carry script or inline style, and their colours are readable.

The fixture site (tests/fixtures/charts, built on 2024-06-30) has projects that start on the build date,
end the day before it, run open-ended, have no dates or only an end date, are budgeted in US dollars, and
one whose title holds `<script>` and `&`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date

from fichegen.check import check
from fichegen.i18n import read_catalogue
from fichegen.overrides import BUILTIN_THEME, Theme
from fichegen.link import Ref
from fichegen.models import Project
from fichegen.models.funding import summarize
from fichegen.render import charts
from fichegen.exports import add_exports
from fichegen.output import Output
from fichegen.render.pages import SiteRenderer

FIXTURE = Path(__file__).parent / "fixtures" / "charts"
NS = "{http://www.w3.org/2000/svg}"
SVG_IN_PAGE = re.compile(r"<svg\b.*?</svg>", re.S)


# --- the fixture site, rendered once -------------------------------------------------------

class Site:
    def __init__(self):
        result = check(FIXTURE)
        assert result.ok(), [str(d) for d in result.errors]
        self.graph = result.graph
        self.theme = Theme.of(FIXTURE)
        self.renderer = SiteRenderer(self.graph, self.theme)
        self.output = Output()
        add_exports(self.output, self.renderer, self.renderer.pages())   # the download pages describe the data files
        self.renderer.render(self.output)

    def page(self, path: str) -> str:
        return self.output.files[path].decode("utf-8")

    def svgs(self, path: str) -> list[ET.Element]:
        """Every chart of a page (not its maps: tests/test_maps.py), parsed by an XML parser from the page's own bytes."""
        parsed = [ET.fromstring(m) for m in SVG_IN_PAGE.findall(self.page(path))]
        return [svg for svg in parsed if "chart-svg" in svg.get("class", "").split()]

    def message(self, lang: str, key: str, **values) -> str:
        return read_catalogue(BUILTIN_THEME / "i18n" / f"{lang}.yaml")[key].format(**values)


@pytest.fixture(scope="module")
def site() -> Site:
    return Site()


def chart(svgs: list[ET.Element], kind: str) -> ET.Element:
    found = [s for s in svgs if f"chart-{kind}" in s.get("class", "").split()]
    assert len(found) == 1, f"expected one {kind} chart, found {len(found)}"
    return found[0]


def classes(el: ET.Element) -> set[str]:
    return set(el.get("class", "").split())


def rows(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{NS}g") if "row" in classes(g)]


def bars(el: ET.Element) -> list[ET.Element]:
    return [r for r in el.iter(f"{NS}rect") if "bar" in classes(r)]


def text_of(el: ET.Element) -> str:
    return "".join(el.itertext())


def f(el: ET.Element, name: str) -> float:
    return float(el.get(name))


def timeline_rows(svg: ET.Element) -> dict[str, ET.Element]:
    """Timeline rows by the full label in their tooltip (the label before the period)."""
    return {g.find(f"{NS}title").text.rsplit(": ", 1)[0]: g for g in rows(svg)}


def row_for(svg: ET.Element, site: Site, project_id: str, lang: str = "en") -> ET.Element:
    name = str(site.renderer.views[lang].name(Ref("project", project_id)))
    matches = [g for label, g in timeline_rows(svg).items() if label.endswith(name)]
    assert len(matches) == 1, (project_id, list(timeline_rows(svg)))
    return matches[0]


def marker_x(svg: ET.Element) -> float:
    (line,) = [l for l in svg.iter(f"{NS}line") if "marker" in classes(l)]
    assert f(line, "x1") == f(line, "x2")
    return f(line, "x1")


# --- timelines -----------------------------------------------------------------------------

def test_timeline_draws_one_bar_per_project_with_a_start_date(site):
    """A bar needs a start: projects without one are left out of the drawing."""
    dated = [p for p in site.graph.projects.values() if p.start_date]
    svg = chart(site.svgs("en/projects/index.html"), "timeline")
    assert len(bars(svg)) == len(dated) == 4
    assert len(rows(svg)) == len(dated)


def test_projects_without_dates_are_listed_in_the_table(site):
    """Undated projects do not vanish: the timeline's table names them and says why they are not drawn."""
    view = charts.timeline(site.renderer.views["en"], list(site.graph.refs("project")))
    by_name = {str(r[0].label): r for r in view.table["rows"]}
    assert len(by_name) == len(site.graph.projects)
    assert by_name["Epsilon"][1] == site.message("en", "chart.timeline.dates_unknown")
    assert by_name["Zeta"][1] == site.message("en", "chart.timeline.no_start")
    assert by_name["Delta"][2] == site.message("en", "chart.timeline.open_end")


def test_build_date_marker_is_where_that_date_falls_on_the_axis(site):
    """The marker sits where a bar starting on the build date begins and one ending the day before ends."""
    assert site.graph.today == date(2024, 6, 30)
    for path in ("en/projects/index.html", "fr/projects/index.html", "en/statistics/index.html"):
        svg = chart(site.svgs(path), "timeline")
        x = marker_x(svg)
        lang = path[:2]
        (starts_today,) = bars(row_for(svg, site, "beta", lang))      # starts 2024-06-30
        (ended_yesterday,) = bars(row_for(svg, site, "gamma", lang))  # ends 2024-06-29
        assert f(starts_today, "x") == pytest.approx(x, abs=0.051)
        assert f(ended_yesterday, "x") + f(ended_yesterday, "width") == pytest.approx(x, abs=0.11)


def test_bars_follow_the_calendar(site):
    """Bars are placed on one linear time axis: a later start is further right, a longer project is wider."""
    svg = chart(site.svgs("en/projects/index.html"), "timeline")
    alpha, = bars(row_for(svg, site, "alpha"))   # 2020-01 → 2022-12: 36 months
    gamma, = bars(row_for(svg, site, "gamma"))   # 2023-01-01 → 2024-06-29: 18 months
    per_day = f(alpha, "width") / (date(2023, 1, 1) - date(2020, 1, 1)).days
    assert f(gamma, "x") == pytest.approx(f(alpha, "x") + f(alpha, "width"), abs=0.11)
    assert f(gamma, "width") == pytest.approx(per_day * (date(2024, 6, 30) - date(2023, 1, 1)).days, abs=0.2)


def test_open_ended_project_runs_to_the_build_date_and_says_so(site):
    """Without an end date the bar stops at the build date, and a dashed tail shows it goes on."""
    svg = chart(site.svgs("en/projects/index.html"), "timeline")
    delta = row_for(svg, site, "delta")
    bar, = bars(delta)
    assert f(bar, "x") + f(bar, "width") == pytest.approx(marker_x(svg), abs=1.5)  # to the end of the build date
    assert [l for l in delta.iter(f"{NS}line") if "open-end" in classes(l)]
    assert "bar-suspended" in classes(bar)


def test_title_and_desc_are_localized_and_name_the_chart(site):
    """Screen readers get the chart's title and description in the page's language."""
    titles = {}
    for lang in ("en", "fr"):
        svg = chart(site.svgs(f"{lang}/projects/index.html"), "timeline")
        title, desc = svg.find(f"{NS}title"), svg.find(f"{NS}desc")
        assert svg.get("role") == "img"
        assert svg.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
        assert title.text == site.message(lang, "chart.timeline.title")
        assert format_date(date(2024, 6, 30), format="long", locale=lang) in desc.text
        assert site.message(lang, "chart.timeline.undated", count="2") in desc.text
        titles[lang] = (title.text, desc.text)
    assert titles["en"][0] != titles["fr"][0] and titles["en"][1] != titles["fr"][1]


def test_every_chart_on_a_page_has_its_own_ids(site):
    """aria-labelledby must point at this chart's title and desc, not another's on the same page."""
    ids = [el.get("id") for svg in site.svgs("en/statistics/index.html") for el in svg.iter() if el.get("id")]
    assert len(ids) == len(set(ids)) == 2 * len(site.svgs("en/statistics/index.html"))


def test_project_page_shows_the_project_among_related_projects(site):
    """Beta follows Alpha: each page's small timeline shows both, the page's own project in bold."""
    for project, other in (("beta", "alpha"), ("alpha", "beta")):
        svg = chart(site.svgs(f"en/projects/{project}/index.html"), "timeline")
        assert len(rows(svg)) == 2
        own = row_for(svg, site, project).find(f"{NS}text")
        assert own.get("font-weight") == "bold"
        assert row_for(svg, site, other).find(f"{NS}text").get("font-weight") is None
    assert "chart-timeline" not in site.page("en/projects/epsilon/index.html")  # nothing to draw without dates


def test_term_pages_show_the_timeline_of_their_projects(site):
    """A programme's page draws the bars of its dated projects, and only those."""
    for term in site.graph.taxonomies["programmes"]:
        refs = site.graph.taxonomies["programmes"][term]
        dated = [r for r in refs if site.graph.projects[r.id].start_date]
        svgs = site.svgs(f"en/programmes/{term}/index.html")
        if dated:
            assert len(bars(chart(svgs, "timeline"))) == len(dated)
        else:
            assert not svgs


# --- safety --------------------------------------------------------------------------------

def test_charts_carry_no_script_no_event_handler_and_no_inline_style(site):
    """The pages' CSP forbids inline style and script: charts use presentation attributes only."""
    count = 0
    for path in site.output.files:
        if not path.endswith(".html"):
            continue
        for svg in site.svgs(path):
            count += 1
            for el in svg.iter():
                assert el.tag.removeprefix(NS) not in ("script", "style", "foreignObject", "a", "image"), path
                for name, value in el.attrib.items():
                    assert name != "style" and not name.lower().startswith("on"), (path, name)
                    assert "javascript:" not in value.lower()
    assert count > 10


def test_labels_from_fiches_are_escaped(site):
    """A title holding `<script>` and `&` is shown as text, in the SVG and in its table."""
    title = site.graph.projects["alpha"].title.get("en")
    for path in ("en/projects/index.html", "en/projects/beta/index.html", "en/statistics/index.html"):
        html = site.page(path)
        assert "<script>alert" not in html
        (raw,) = [m for m in SVG_IN_PAGE.findall(html) if "chart-timeline" in m]
        assert "&lt;script&gt;alert(" in raw and "A&amp;B" in raw
        svg = ET.fromstring(raw)
        labels = [g.find(f"{NS}title").text for g in rows(svg)]
        assert any(f"A&B – {title}" in label for label in labels)


def test_same_input_gives_the_same_bytes():
    """Two builds of the same content draw identical charts (reproducible sites, clean diffs)."""
    first, second = Site(), Site()
    for path in ("en/statistics/index.html", "fr/projects/index.html", "en/projects/beta/index.html"):
        assert first.output.files[path] == second.output.files[path]


# --- bar charts: what is drawn is what the table says --------------------------------------

def drawn_values(svg: ET.Element) -> list[list[tuple[float, str]]]:
    """Per row, per series: the bar's width and the value written beside it."""
    out = []
    for g in rows(svg):
        values = [t.text for t in g.iter(f"{NS}text") if "value" in classes(t)]
        out.append([(f(b, "width"), v) for b, v in zip(bars(g), values)])
    return out


def assert_proportional(widths: list[float], values: list[Decimal | int]):
    peak = max(values)
    widest = max(widths)
    for w, v in zip(widths, values):
        assert w == pytest.approx(widest * float(v) / float(peak), abs=0.11)


def statistics_charts(site: Site, lang: str) -> dict[str, charts.ChartView]:
    return {c.id: c for c in charts.statistics(site.renderer.views[lang])}


@pytest.mark.parametrize("taxonomy, chart_id", [("countries", "chart-by-country"), ("themes", "chart-by-theme"),
                                                ("programmes", "chart-by-programme")])
def test_count_charts_draw_the_numbers_of_their_table(site, taxonomy, chart_id):
    """Each bar's value label is its table cell, its length is proportional to the count, and the counts
    are the projects carrying each term."""
    expected = Counter()
    for p in site.graph.projects.values():
        terms = {"countries": p.country_codes, "themes": p.themes,
                 "programmes": list(dict.fromkeys(f.programme for f in p.funding if f.programme))}[taxonomy]
        for term in terms:
            expected[term] += 1
    views = site.renderer.views["en"]
    view = statistics_charts(site, "en")[chart_id]
    table = {str(row[0].label) if hasattr(row[0], "label") else row[0]: row[1] for row in view.table["rows"]}
    labels = {views.term_label(taxonomy, t): n for t, n in expected.items()}
    assert table == {str(label): views.loc.number(n) for label, n in labels.items()}
    drawn = drawn_values(ET.fromstring(view.svg))
    assert [d[0][1] for d in drawn] == [row[1] for row in view.table["rows"]]
    counts = sorted(expected.values(), reverse=True)
    assert_proportional([d[0][0] for d in drawn], counts)


def test_money_charts_keep_each_currency_apart_and_name_what_they_left_out(site):
    """A chart per currency, never a sum across currencies: its first row adds up the projects' budgets (a budget is
    not split among funders), then each funding source's stated contribution (or the one derived from its share) is
    summed under its own programme or funder; projects without any amount are named and linked."""
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    budgets: dict[str, list] = defaultdict(lambda: [Decimal(0), 0])
    without = []
    for p in site.graph.projects.values():
        s = summarize(p.budget, p.funding)
        if s.budget:
            budgets[s.budget.currency][0] += s.budget.amount
            budgets[s.budget.currency][1] += 1
        stated = bool(s.budget)
        for f in s.sources:
            if f.amount is not None and f.currency and f.source.kind == "contribution":
                sums[f.currency][f.source.programme] += f.amount
                stated = True
        if not stated:
            without.append(p.id)
    assert set(sums) | set(budgets) == {"EUR", "USD"} and without
    for lang in ("en", "fr"):
        views = site.renderer.views[lang]
        shown = statistics_charts(site, lang)
        for currency in {"EUR", "USD"}:
            view = shown[f"chart-budget-{currency.lower()}"]
            assert views.loc.currency_name(currency) in view.title
            rows = view.table["rows"]
            total, counted = budgets[currency]
            assert rows[0][1:] == [views.loc.money(total, currency), "", views.loc.number(counted)]
            by_programme = sums.get(currency, {})
            order = sorted(by_programme, key=lambda k: -by_programme[k])
            assert [str(r[0].label) for r in rows[1:]] == [str(views.term_label("programmes", k)) for k in order]
            assert [r[2] for r in rows[1:]] == [views.loc.money(by_programme[k], currency) for k in order]
            svg = ET.fromstring(view.svg)
            assert_proportional([w for row in drawn_values(svg) for w, _ in row], [total] + [by_programme[k] for k in order])
        caption = str([c for c in shown.values() if c.id.startswith("chart-budget")][-1].caption)
        for project_id in without:
            assert f'href="/{lang}/projects/{project_id}/"' in caption


def test_start_year_columns_match_their_table(site):
    """One column per year from the first to the last start, empty years included, heights proportional."""
    years = Counter(p.start_date.year for p in site.graph.projects.values() if p.start_date)
    view = statistics_charts(site, "en")["chart-by-year"]
    span = list(range(min(years), max(years) + 1))
    assert [str(r[0].label) if hasattr(r[0], "label") else r[0] for r in view.table["rows"]] == [str(y) for y in span]
    assert [r[1] for r in view.table["rows"]] == [str(years.get(y, 0)) for y in span]
    svg = ET.fromstring(view.svg)
    columns = bars(svg)
    assert len(columns) == sum(1 for y in span if years.get(y))
    assert_proportional([f(c, "height") for c in columns], [years[y] for y in span if years.get(y)])
    assert [t.text for t in svg.iter(f"{NS}text") if "value" in classes(t)] == [str(years[y]) for y in span if years.get(y)]


def test_long_labels_are_wrapped_with_the_full_text_kept(site):
    """A programme name too long for the label column is cut into at most two lines, and the full name
    stays available as the row's tooltip."""
    views = site.renderer.views["en"]
    full = str(views.term_label("programmes", "long-name"))
    svg = ET.fromstring(statistics_charts(site, "en")["chart-by-programme"].svg)
    (row,) = [g for g in rows(svg) if g.find(f"{NS}title") is not None and g.find(f"{NS}title").text == full]
    label = [t for t in row.iter(f"{NS}text") if "label" in classes(t)][0]
    lines = [t.text for t in label.iter(f"{NS}tspan")]
    assert 1 < len(lines) <= 2
    assert " ".join(lines) != full and lines[-1].endswith("…")
    assert full.startswith(" ".join(lines)[:-1].rstrip())


# --- large sites ---------------------------------------------------------------------------

def test_a_timeline_of_many_projects_draws_the_most_recent_and_stays_small():
    """With 1,000 projects the timeline draws the 150 most recent, its table does not list 1,000 rows,
    and the caption says so and links the CSV download."""
    site = Site()
    graph = site.graph
    for i in range(1000):
        p = Project.model_validate({"original_language": "en", "title": {"en": f"Generated project {i} " + "x" * 60},
                                    "summary": {"en": "Generated."}, "start_date": f"{1990 + i % 35}-{1 + i % 12:02d}",
                                    "end_date": f"{1992 + i % 35}-{1 + i % 12:02d}"})
        p._id = f"generated-{i:04d}"
        graph.fiches["project"][p.id] = p
    views = SiteRenderer(graph, site.theme).views["en"]
    refs = list(graph.refs("project"))
    view = charts.timeline(views, refs)
    svg = ET.fromstring(view.svg)
    drawn = rows(svg)
    assert len(drawn) == charts.MAX_BARS
    starts = sorted((p.start_date.first_day() for p in graph.projects.values() if p.start_date), reverse=True)
    cutoff = starts[charts.MAX_BARS - 1]
    assert len(view.table["rows"]) <= 2 * charts.MAX_BARS
    assert len(view.svg.encode()) < 120_000
    assert "data/projects.csv" in str(view.caption)
    assert site.message("en", "chart.timeline.capped", shown=views.loc.number(charts.MAX_BARS),
                        total=views.loc.number(len(starts))) in str(view.caption)
    # the drawn bars are the most recent: every project starting after the 150th latest start is drawn
    drawn_labels = {g.find(f"{NS}title").text.split(":")[0] for g in drawn}
    recent = {str(views.name(Ref("project", p.id))) for p in graph.projects.values()
              if p.start_date and p.start_date.first_day() > cutoff}
    assert all(any(label.endswith(name) for label in drawn_labels) for name in recent)


# --- colours -------------------------------------------------------------------------------

def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    """The WCAG formula gives its known extremes (so the checks below measure something)."""
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_palette_contrast_against_the_chart_backgrounds():
    """Every colour the charts can use: marks at least 3:1 (WCAG 1.4.11), text at least 4.5:1 (1.4.3),
    against the page background and the row stripes."""
    marks = [charts.BAR, *charts.STATUS_FILL.values(), *charts.BUDGET_FILL.values(), charts.INK, charts.MUTED]
    for background in (charts.PAPER, charts.STRIPE):
        for colour in marks:
            assert contrast(colour, background) >= 3, (colour, background)
        for colour in (charts.INK, charts.MUTED):
            assert contrast(colour, background) >= 4.5, (colour, background)
    assert set(charts.STATUS_FILL) == {"planned", "ongoing", "closed", "suspended", "cancelled"}


def test_drawn_colours_pass_contrast_on_their_own_backgrounds(site):
    """In the charts as built: every text and every bar, swatch or marker against each background drawn."""
    checked = 0
    for path in ("en/statistics/index.html", "fr/projects/index.html", "en/projects/beta/index.html"):
        for svg in site.svgs(path):
            backgrounds = {r.get("fill") for r in svg.iter(f"{NS}rect") if classes(r) & {"chart-bg", "stripe"}}
            assert backgrounds
            for el in svg.iter():
                tag = el.tag.removeprefix(NS)
                if tag == "text":
                    need, colours = 4.5, [el.get("fill")]
                elif classes(el) & {"bar", "swatch", "marker", "axis"}:
                    need, colours = 3, [c for c in (el.get("fill"), el.get("stroke")) if c and c != "none"]
                else:
                    continue
                assert colours and all(colours), (path, tag, el.attrib)
                for colour in colours:
                    for background in backgrounds:
                        assert contrast(colour, background) >= need, (path, tag, colour, background)
                        checked += 1
    assert checked > 50


def test_desc_names_the_largest_category_only_when_there_is_one(site):
    """'Largest: X' helps a screen-reader user only when X really is ahead; ties are not ranked."""
    views = site.renderer.views["fr"]
    found = statistics_charts(site, "fr")
    themes = Counter(t for p in site.graph.projects.values() for t in p.themes).most_common()
    countries = Counter(c for p in site.graph.projects.values() for c in p.countries).most_common()
    assert themes[0][1] > themes[1][1] and countries[0][1] == countries[1][1]
    theme_desc = ET.fromstring(found["chart-by-theme"].svg).find(f"{NS}desc").text
    assert site.message("fr", "chart.highest", label=str(views.term_label("themes", themes[0][0])),
                        value=views.loc.number(themes[0][1])) in theme_desc
    country_desc = ET.fromstring(found["chart-by-country"].svg).find(f"{NS}desc").text
    assert site.message("fr", "chart.highest", label="", value="").split(" ")[0] not in country_desc
