"""Static SVG charts, drawn at build time: project timelines and the statistics page's bar charts.

Every chart is an image with a localized <title> and <desc>, drawn with SVG presentation attributes only
(the pages' CSP forbids inline styles and scripts), and comes with the same figures as an HTML table.
The colours below are checked for contrast by tests/test_charts.py: bars and marks at least 3:1 and text
at least 4.5:1 against the backgrounds they are drawn on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from babel.numbers import format_compact_currency
from markupsafe import Markup, escape

from ..link import Ref
from ..models.funding import summarize
from ..models.project import Project
from . import svg
from .fragments import show
from .views import LinkView

if TYPE_CHECKING:
    from .views import Views

# --- palette (see the module docstring) ------------------------------------------------
PAPER = "#ffffff"        # the page background (--paper in site.css)
STRIPE = "#f3f5f9"       # every other row (--tint)
INK = "#1d2330"          # labels, values, the build-date marker (--ink)
MUTED = "#4a5263"        # axes and tick labels (--muted)
GRID = "#d5dae3"         # grid lines: decorative, the figures are written out
BAR = "#0b5cad"          # a bar of a count (--accent)
STATUS_FILL = {"planned": "#9c5700", "ongoing": "#0b5cad", "closed": "#5f6b7a",
               "suspended": "#7b3fa0", "cancelled": "#a8323e"}
BUDGET_FILL = {"total": "#0b5cad", "contribution": "#9c5700"}
STATUS_ORDER = ("planned", "ongoing", "closed", "suspended", "cancelled")

#: Width of every chart in SVG user units. Charts are drawn for a phone's column (a 320 px screen leaves 288 px:
#: 15-unit labels are then 10 px high) with labels above their bars, and shown no wider than 33rem on larger
#: screens (site.css), where the same drawing is simply larger. The SVG has a viewBox and no fixed size.
WIDTH = 420
#: Font sizes, in user units: labels and values, axis ticks.
FONT, TICK_FONT = 15, 13
#: A timeline draws at most this many bars (the most recent); the rest are in the CSV download.
MAX_BARS = 50
#: A bar chart draws at most this many categories (the largest); its table lists them all.
MAX_CATEGORIES = 25
CSV_PATH = "data/projects.csv"


@dataclass(frozen=True)
class ChartView:
    """A chart ready for the `chart` macro: the SVG, its caption, and the same figures as a table."""

    id: str
    title: str
    caption: Any                     # str, or Markup when it holds a link
    svg: Markup
    table: dict = field(default_factory=lambda: {"head": [], "rows": []})
    open: bool = False


# --- timelines -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Span:
    """A project as a timeline row; `end` is the day after the last day drawn."""

    ref: Ref
    project: Project
    label: str
    start: date | None
    end: date | None
    open_end: bool
    status: str | None


def _span(v: "Views", ref: Ref) -> _Span:
    p = v.g.projects[ref.id]
    name = str(v.name(ref))
    acronym = v.plain(p.acronym)
    label = f"{acronym} – {name}" if acronym and acronym.casefold() != name.casefold() else name
    status = v.g.status(p)
    if not p.start_date:
        return _Span(ref, p, label, None, None, False, status)
    start = p.start_date.first_day()
    if p.end:
        return _Span(ref, p, label, start, p.end.last_day() + timedelta(days=1), False, status)
    # Without an end date, the bar runs to the build date (or over its start's year, month or day if later).
    end = max(v.g.today, p.start_date.last_day()) + timedelta(days=1)
    return _Span(ref, p, label, start, end, True, status)


def _nice_step(span: float, steps: Iterable[int], most: int) -> int:
    for step in steps:
        if span / step <= most:
            return step
    return list(steps)[-1]


def timeline(views: "Views", refs: list[Ref], limit: int | None = None) -> ChartView | None:
    """The projects `refs` as bars on a time axis, with the build date marked, at most `limit` (by default MAX_BARS)
    of the most recent; None when none has dates."""
    return _timeline(views, refs, current=None, limit=limit or MAX_BARS)


def project_timeline(views: "Views", project: Project) -> ChartView | None:
    """A project's period beside those of the projects it follows, is part of or relates to."""
    if not project.start_date:
        return None
    g = views.g
    ref = Ref("project", project.id)
    refs = [ref]
    for rel in project.related_projects:
        if rel.project in g.projects:
            refs.append(Ref("project", rel.project))
    for edge in g.backlinks(ref, "follows", "followed_by", "part_of", "related"):
        refs.append(edge.source)
    refs = list(dict.fromkeys(refs))
    return _timeline(views, refs, current=ref)


@dataclass(frozen=True)
class _TimeAxis:
    """Whole years (or steps of years) from `first_year` to `last_year`, mapped onto x0…x1."""

    first_year: int
    last_year: int
    step: int
    x0: float
    x1: float

    @classmethod
    def around(cls, spans: list[_Span], today: date | None, x0: float, x1: float) -> "_TimeAxis":
        """The years of `spans`, and of `today` when given (a project's own timeline is scaled to its period)."""
        lo = min(s.start for s in spans)
        hi = max(s.end for s in spans)
        if today is not None:
            hi = max(hi, today + timedelta(days=1))
        last_year = hi.year if hi == date(hi.year, 1, 1) else hi.year + 1
        most = max(3, int((x1 - x0) / (svg.width_of("0000", TICK_FONT) + 10)))
        step = _nice_step(last_year - lo.year, (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000), most)
        return cls(lo.year // step * step, -(-last_year // step) * step, step, x0, x1)

    def x(self, d: date) -> float:
        o0, o1 = date(self.first_year, 1, 1).toordinal(), date(self.last_year, 1, 1).toordinal()
        return self.x0 + (d.toordinal() - o0) / (o1 - o0) * (self.x1 - self.x0)

    def holds(self, d: date) -> bool:
        return date(self.first_year, 1, 1) <= d <= date(self.last_year, 1, 1)

    def labels(self) -> list[tuple[float, str]]:
        """Where each year is written: mid-year for yearly steps, at the boundary for longer ones."""
        years = range(self.first_year, self.last_year + (1 if self.step > 1 else 0), self.step)
        return [(self.x(date(y, 7, 1)) if self.step == 1 else self.x(date(y, 1, 1)), str(y)) for y in years]


def _timeline(v: "Views", refs: list[Ref], current: Ref | None, limit: int = MAX_BARS) -> ChartView | None:
    t, loc = v.loc.t, v.loc
    spans = [_span(v, r) for r in refs if r.kind == "project" and r.id in v.g.projects]
    order = lambda s: (s.start, s.end, s.label.casefold(), s.ref.id)  # noqa: E731
    dated = sorted((s for s in spans if s.start), key=order, reverse=True)
    undated = sorted((s for s in spans if not s.start), key=lambda s: (s.label.casefold(), s.ref.id))
    if not dated:
        return None
    total_dated = len(dated)
    dated = sorted(dated[:limit], key=order)         # the most recent, drawn oldest first
    capped = total_dated > len(dated)
    today_text = loc.full_date(v.g.today)
    drawing, axis, statuses, marked = _draw_timeline(v, dated, current)

    key = "chart.timeline.desc" if marked else "chart.timeline.desc_period"
    desc = [t(key, first=str(axis.first_year), last=str(axis.last_year - 1), today=today_text, count=loc.number(len(dated)))]
    if statuses:
        counts = [t("chart.label_value", label=t(f"status.{s}"), value=loc.number(sum(1 for r in dated if r.status == s)))
                  for s in statuses]
        desc.append(t("chart.timeline.statuses", list=", ".join(counts)))
    capped_note = t("chart.timeline.capped", shown=loc.number(len(dated)), total=loc.number(total_dated)) if capped else ""
    if capped:
        desc.append(capped_note)
    if undated:
        desc.append(t("chart.timeline.undated", count=loc.number(len(undated))))
    if current is None:
        title = t("chart.timeline.title")
        caption: Any = t("chart.timeline.caption", today=today_text)
    else:
        title = t("chart.timeline.title_project")
        key = "chart.timeline.caption_project" if len(spans) == 1 else "chart.timeline.caption_related"
        caption = t(key if marked else key + "_period", today=today_text)
    shown_undated = undated[:limit]
    if capped or len(undated) > len(shown_undated):  # the table is capped too: everything is in the CSV file
        text = " ".join(part for part in (caption, capped_note) if part)
        caption = Markup('{} <a href="{}">{}</a>').format(text, v.urls.asset(CSV_PATH), t("chart.timeline.csv"))

    rows = []
    for s in dated:
        end = v.date(s.project.end_date) or t("chart.timeline.open_end")
        rows.append([v.link(s.ref), v.date(s.project.start_date), end, t(f"status.{s.status}") if s.status else ""])
    for s in shown_undated:
        start = t("chart.timeline.no_start") if s.project.end_date else t("chart.timeline.dates_unknown")
        rows.append([v.link(s.ref), start, v.date(s.project.end_date), t(f"status.{s.status}") if s.status else ""])
    table = {"head": [t("kind.project"), t("field.start"), t("field.end"), t("field.status")], "rows": rows}
    chart_id = "chart-timeline"
    return ChartView(chart_id, title, caption, drawing.markup(chart_id, title, " ".join(desc)),
                     table, open=False)


def _legend(items: list[tuple[str, str]], x0: float, y: float, font: float) -> tuple[str, float]:
    """Swatches and names in rows that wrap within the chart's width; (the markup, the y below the last row)."""
    parts, x = [], x0
    for fill, name in items:
        w = 17 + svg.width_of(name, font) + 18
        if x > x0 and x + w - 18 > WIDTH - 8:
            x, y = x0, y + font + 10
        parts.append(svg.element("rect", {"x": x, "y": y - font * 0.8, "width": 12, "height": 12, "rx": 2, "fill": fill,
                                          "class": "swatch"}))
        parts.append(svg.text(x + 17, y + 1, name, fill=INK))
        x += w
    return svg.element("g", {"class": "legend"}, "".join(parts)), y + 10


def _draw_timeline(v: "Views", dated: list[_Span], current: Ref | None) -> tuple[svg.Drawing, _TimeAxis, list[str], bool]:
    """Rows of a label above its bar, over a year axis; the build date as a dashed line when it falls on the axis (a
    project's own timeline is scaled to its period and those of its related projects, not stretched to today);
    a legend of the statuses drawn. The last value says whether the build date is marked."""
    t = v.loc.t
    n = len(dated)
    font, label_h, bar_h, gap = FONT, FONT + 3, 10, 9
    row_h = label_h + bar_h + gap
    top_axis = n > 12
    open_ended = any(s.open_end for s in dated)
    today = v.g.today
    axis = _TimeAxis.around(dated, today if current is None or open_ended else None, 24, WIDTH - 24)
    marked = axis.holds(today) and (current is None or open_ended or axis.x(today) <= axis.x1)
    x = axis.x
    top = (46 if top_axis else 28) if marked else (30 if top_axis else 8)
    axis_y = top + n * row_h + 2
    statuses = [s for s in STATUS_ORDER if any(r.status == s for r in dated)]
    legend, bottom = _legend([(STATUS_FILL[s], t(f"status.{s}")) for s in statuses], 10, axis_y + 46, font) if statuses else ("", axis_y + 30)
    height = bottom + 4
    d = svg.Drawing(WIDTH, height, "timeline", font)
    d.add(svg.element("rect", {"x": 0, "y": 0, "width": WIDTH, "height": height, "fill": PAPER, "class": "chart-bg"}))
    for i in range(1, n, 2):
        d.add(svg.element("rect", {"x": 0, "y": top + i * row_h, "width": WIDTH, "height": row_h, "fill": STRIPE,
                                    "class": "stripe"}))
    grid = [svg.element("line", {"x1": x(date(y, 1, 1)), "y1": top - 4, "x2": x(date(y, 1, 1)), "y2": axis_y, "stroke": GRID})
            for y in range(axis.first_year, axis.last_year + 1, axis.step)]
    d.add(svg.element("g", {"class": "grid"}, "".join(grid)))

    max_chars = int((WIDTH - 20) / (font * svg.CHAR_EM))
    for i, s in enumerate(dated):
        y = top + i * row_h
        bx0, bx1 = x(s.start), x(s.end)
        fill = STATUS_FILL.get(s.status or "", BAR)
        period = v.period(s.project.start_date, s.project.end_date)
        hover = ", ".join(part for part in (f"{s.label}: {period}", t(f"status.{s.status}") if s.status else "") if part)
        own = current is not None and s.ref == current
        by = y + label_h + 2
        parts = [svg.tooltip(hover),
                 svg.text(10, y + font + 1, svg.shorten(s.label, max_chars), fill=INK,
                          **{"class": "label", "font-weight": "bold" if own else None}),
                 svg.element("rect", {"x": bx0, "y": by, "width": max(bx1 - bx0, 2.0), "height": bar_h,
                                      "rx": 2, "fill": fill, "class": f"bar bar-{s.status or 'unknown'}",
                                      "stroke": INK if own else None, "stroke-width": 1.5 if own else None})]
        if s.open_end:  # a dashed tail: the project goes on past the bar
            parts.append(svg.element("line", {"x1": bx1, "y1": by + bar_h / 2, "x2": min(bx1 + 12, axis.x1 + 8),
                                              "y2": by + bar_h / 2, "stroke": fill, "stroke-width": 2,
                                              "stroke-dasharray": "3 2", "class": "open-end"}))
        d.add(svg.element("g", {"class": "row"}, "".join(parts)))

    d.add(svg.element("line", {"x1": axis.x0, "y1": axis_y, "x2": axis.x1, "y2": axis_y, "stroke": MUTED, "class": "axis"}))
    d.extend(svg.element("line", {"x1": x(date(y, 1, 1)), "y1": axis_y, "x2": x(date(y, 1, 1)), "y2": axis_y + 5,
                                  "stroke": MUTED}) for y in range(axis.first_year, axis.last_year + 1, axis.step))
    d.extend(svg.text(lx, axis_y + 19, year, fill=MUTED, **{"text-anchor": "middle", "class": "tick", "font-size": TICK_FONT})
             for lx, year in axis.labels())
    if marked:
        tx = x(today)
        today_text = v.loc.full_date(today)
        half = svg.width_of(today_text, 13) / 2
        anchor = "end" if tx + half > WIDTH - 4 else "start" if tx - half < 4 else "middle"
        d.add(svg.element("g", {"class": "today"},
                          svg.tooltip(t("chart.timeline.marker", date=today_text))
                          + svg.element("line", {"x1": tx, "y1": 20, "x2": tx, "y2": axis_y, "stroke": INK,
                                                 "stroke-width": 2, "stroke-dasharray": "5 3", "class": "marker"})
                          + svg.text(tx, 15, today_text, fill=INK, **{"text-anchor": anchor, "font-size": 13})))
    if top_axis:  # drawn over the build-date line, with a halo of the background colour
        d.extend(svg.text(lx, top - 10, year, fill=MUTED, stroke=PAPER, **{
            "stroke-width": 4, "paint-order": "stroke", "text-anchor": "middle", "class": "tick", "font-size": TICK_FONT})
            for lx, year in axis.labels())
    if legend:
        d.add(legend)
    return d, axis, statuses, marked


# --- bar charts --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Series:
    name: str
    fill: str
    css: str


@dataclass(frozen=True)
class _Bar:
    """One category: its label in the chart, its first table cell, and one value per series."""

    label: str
    cell: Any
    values: tuple[Decimal | int | None, ...]
    cells: tuple[str, ...]       # the values as the table writes them
    drawn: tuple[str, ...]       # the values as the chart writes them (may be shorter)
    extra: tuple[str, ...] = ()  # further table cells


def _bar_chart(chart_id: str, title: str, desc: list[str], caption: str, bars: list[_Bar], series: list[_Series],
               head: list[str], v: "Views", *, open: bool = False, limit: int = MAX_CATEGORIES) -> ChartView:
    """Horizontal bars, one row per category (largest first): its label above, one bar per series below, each with
    its value written after it."""
    t, loc = v.loc.t, v.loc
    drawn = bars[:limit]
    if len(bars) > len(drawn):
        note = t("chart.bars.capped", shown=loc.number(len(drawn)), total=loc.number(len(bars)))
        desc = desc + [note]
        caption = f"{caption} {note}"
    font = FONT
    x0 = 10
    value_w = max((svg.width_of(c, 14) for b in drawn for c in b.drawn if c), default=0) + 10
    x_max = WIDTH - 8 - value_w
    bar_h = 16 if len(series) == 1 else 13
    max_chars = int((WIDTH - 2 * x0) / (font * svg.CHAR_EM))
    layout = []
    for b in drawn:
        lines = svg.wrap(b.label, max_chars, 2)
        stack = sum(bar_h + 3 for value in b.values if value is not None) - 3
        layout.append((b, lines, len(lines) * (font + 3) + 5 + stack + 12))
    legend, top = ("", 6)
    if len(series) > 1:
        legend, top = _legend([(s.fill, s.name) for s in series], x0, 22, font)
        top += 6
    height = top + sum(h for *_, h in layout) + 6
    peak = max((x or 0 for b in drawn for x in b.values), default=0) or 1
    d = svg.Drawing(WIDTH, height, "bars", font)
    d.add(svg.element("rect", {"x": 0, "y": 0, "width": WIDTH, "height": height, "fill": PAPER, "class": "chart-bg"}))
    if legend:
        d.add(legend)
    y = top
    for i, (b, lines, row_h) in enumerate(layout):
        parts = []
        if i % 2:
            parts.append(svg.element("rect", {"x": 0, "y": y, "width": WIDTH, "height": row_h, "fill": STRIPE, "class": "stripe"}))
        tspans = "".join(svg.element("tspan", {"x": x0, "y": y + 6 + font + k * (font + 3)}, svg.text_content(line))
                         for k, line in enumerate(lines))
        parts.append(svg.element("text", {"fill": INK, "class": "label"}, tspans))
        if lines != [b.label]:
            parts.insert(0, svg.tooltip(b.label))
        by = y + 6 + len(lines) * (font + 3) + 3
        for k, s in enumerate(series):
            value = b.values[k]
            if value is None:
                continue
            w = float(value) / float(peak) * (x_max - x0)
            parts.append(svg.element("rect", {"x": x0, "y": by, "width": w, "height": bar_h, "fill": s.fill,
                                              "class": f"bar {s.css}"}, svg.tooltip(f"{b.label} – {s.name}: {b.cells[k]}")))
            parts.append(svg.text(x0 + w + 6, by + bar_h / 2 + 5, b.drawn[k], fill=INK, **{"class": "value", "font-size": 14}))
            by += bar_h + 3
        d.add(svg.element("g", {"class": "row"}, "".join(parts)))
        y += row_h
    d.add(svg.element("line", {"x1": x0, "y1": top, "x2": x0, "y2": y, "stroke": MUTED, "class": "axis"}))
    rows = [[b.cell, *b.cells, *b.extra] for b in bars]
    return ChartView(chart_id, title, caption, d.markup(chart_id, title, " ".join(desc)),
                     {"head": head, "rows": rows}, open=open)


def _projects(v: "Views") -> list[Project]:
    return list(v.g.projects.values())


def _count_bars(v: "Views", taxonomy: str) -> list[_Bar]:
    bars = []
    for term, refs in v.g.taxonomies.get(taxonomy, {}).items():
        count = sum(1 for r in refs if r.kind == "project")
        if count:
            link = v.term(taxonomy, term)
            bars.append((term, _Bar(str(link.label), link, (count,), (v.loc.number(count),), (v.loc.number(count),))))
    bars.sort(key=lambda tb: (-tb[1].values[0], tb[1].label.casefold(), tb[0]))
    return [b for _, b in bars]


def _highest(v: "Views", bars: list[_Bar]) -> list[str]:
    """The sentence naming the largest category, when one category is larger than all others."""
    top = bars[0]
    if len(bars) > 1 and bars[1].values[0] == top.values[0]:
        return []
    return [v.loc.t("chart.highest", label=top.label, value=top.cells[0])]


def by_taxonomy(v: "Views", taxonomy: str) -> ChartView | None:
    """Projects per country, theme or programme (a project may count in several countries or themes)."""
    t = v.loc.t
    bars = _count_bars(v, taxonomy)
    key = {"countries": "by_country", "themes": "by_theme", "programmes": "by_programme"}[taxonomy]
    if not bars:
        return None
    head = [t({"countries": "field.country", "themes": "chart.theme", "programmes": "field.programme"}[taxonomy]),
            t("chart.projects")]
    title = t(f"chart.{key}.title")
    desc = [t(f"chart.{key}.desc"), *_highest(v, bars)]
    return _bar_chart(f"chart-{key.replace('_', '-')}", title, desc, t(f"chart.{key}.caption"), bars,
                      [_Series(t("chart.projects"), BAR, "bar-count")], head, v)


def by_start_year(v: "Views") -> ChartView | None:
    """Projects per start year, every year from the first to the last (empty years included)."""
    t, loc = v.loc.t, v.loc
    counts: dict[int, int] = defaultdict(int)
    undated = 0
    for p in _projects(v):
        if p.start_date:
            counts[p.start_date.year] += 1
        else:
            undated += 1
    if not counts:
        return None
    years = list(range(min(counts), max(counts) + 1))
    peak = max(counts.values())
    step = _nice_step(peak, (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000), 5)
    y_top = -(-peak // step) * step
    font = TICK_FONT
    x0, x1, top, base = 12 + svg.width_of(loc.number(y_top), font), WIDTH - 10, 24, 200
    height = base + 34
    slot = (x1 - x0) / len(years)
    col_w = min(slot * 0.7, 48)
    every = next(k for k in (1, 2, 5, 10, 20, 50, 100) if slot * k >= svg.width_of("0000", font) + 8)

    def y(value: float) -> float:
        return base - value / y_top * (base - top)

    d = svg.Drawing(WIDTH, height, "columns", font)
    d.add(svg.element("rect", {"x": 0, "y": 0, "width": WIDTH, "height": height, "fill": PAPER, "class": "chart-bg"}))
    grid = []
    for value in range(0, y_top + 1, step):
        gy = y(value)
        grid.append(svg.element("line", {"x1": x0, "y1": gy, "x2": x1, "y2": gy, "stroke": GRID if value else MUTED}))
        grid.append(svg.text(x0 - 8, gy + 4, loc.number(value), fill=MUTED, **{"text-anchor": "end", "class": "tick"}))
    d.add(svg.element("g", {"class": "grid"}, "".join(grid)))
    for i, year in enumerate(years):
        count = counts.get(year, 0)
        cx = x0 + slot * i + slot / 2
        parts = []
        if count:
            shown = loc.number(count)
            parts.append(svg.element("rect", {"x": cx - col_w / 2, "y": y(count), "width": col_w, "height": base - y(count),
                                              "fill": BAR, "class": "bar bar-count"}, svg.tooltip(f"{year}: {shown}")))
            if svg.width_of(shown, 12) <= slot - 2:
                parts.append(svg.text(cx, y(count) - 5, shown, fill=INK, **{"text-anchor": "middle", "class": "value",
                                                                             "font-size": 12}))
        if year % every == 0 or every == 1:
            parts.append(svg.text(cx, base + 18, str(year), fill=MUTED, **{"text-anchor": "middle", "class": "tick"}))
        if parts:
            d.add(svg.element("g", {"class": "column"}, "".join(parts)))
    first, last = str(years[0]), str(years[-1])
    desc = [t("chart.by_year.desc", first=first, last=last)]
    if sum(1 for c in counts.values() if c == peak) == 1:
        desc.append(t("chart.highest", label=str(max(counts, key=lambda yr: counts[yr])), value=loc.number(peak)))
    if undated:
        desc.append(t("chart.by_year.undated", count=loc.number(undated)))
    rows = [[v.term("years", str(yr)) if counts.get(yr) else str(yr), loc.number(counts.get(yr, 0))] for yr in years]
    title = t("chart.by_year.title")
    caption = t("chart.by_year.caption")
    if undated:
        caption = f"{caption} {t('chart.by_year.undated', count=loc.number(undated))}"
    chart_id = "chart-by-year"
    return ChartView(chart_id, title, caption, d.markup(chart_id, title, " ".join(desc)),
                     {"head": [t("chart.start_year"), t("chart.projects")], "rows": rows}, open=False)


def _route(v: "Views", source) -> tuple[str, Any]:
    """What one funding source's money is shown under: its programme, else its funder, else its fund."""
    if source.programme:
        return f"programme:{source.programme}", v.term("programmes", source.programme)
    if source.funder and source.funder in v.g.organisations:
        return f"funder:{source.funder}", v.link(Ref("organisation", source.funder))
    if source.fund and v.g.term("funds", source.fund):
        return f"fund:{source.fund}", v.text(v.g.term("funds", source.fund).label)
    return "", v.loc.t("chart.budget.no_source")


def _budgets(p: Project) -> dict[str, Decimal]:
    """A project's budget per currency: its own, else the sum of its phases' (each phase in its own currency)."""
    summary = summarize(p.budget, p.funding)
    if summary.budget:
        return {summary.budget.currency: summary.budget.amount}
    out: dict[str, Decimal] = {}
    for phase in p.phases:
        if phase.budget:
            out[phase.budget.currency] = out.get(phase.budget.currency, Decimal(0)) + phase.budget.amount
    return out


def budgets(v: "Views") -> list[ChartView]:
    """One chart per currency: the projects' budgets in that currency (one row: a budget is not split among funders),
    then the contributions the funding sources state, each under its own programme or funder; nothing is summed
    across currencies. Projects with no amount at all are named and linked, not left out silently."""
    t, loc = v.loc.t, v.loc
    routes: dict[str, dict[str, list]] = {}          # currency → route → [cell, sum, projects]
    budget_sums: dict[str, list] = {}                  # currency → [sum, projects]
    left_out: list[Ref] = []
    for p in _projects(v):
        summary = summarize(p.budget, p.funding)
        stated = False
        for currency, amount in _budgets(p).items():
            entry = budget_sums.setdefault(currency, [Decimal(0), 0])
            entry[0] += amount
            entry[1] += 1
            stated = True
        for figures in list(summary.sources) + [f for ph in p.phases for f in summarize(None, ph.funding).sources]:
            if figures.amount is None or figures.currency is None or figures.source.kind != "contribution":
                continue
            key, cell = _route(v, figures.source)
            entry = routes.setdefault(figures.currency, {}).setdefault(key, [cell, Decimal(0), set()])
            entry[1] += figures.amount
            entry[2].add(p.id)
            stated = True
        if not stated:
            left_out.append(Ref("project", p.id))
    charts = []
    for currency in sorted(set(routes) | set(budget_sums), key=lambda c: (-len(routes.get(c, {})), c)):
        name = loc.currency_name(currency)
        bars = []
        if currency in budget_sums:      # budgets are not split among funders: one row of their own
            total, counted = budget_sums[currency]
            label = loc.t_count("chart.budget.all_budgets", counted)
            bars.append(_Bar(label, label, (total, None), (loc.money(total, currency), ""),
                             (format_compact_currency(total, currency, locale=loc.locale, fraction_digits=1), ""),
                             (loc.number(counted),)))
        contributions = []
        for cell, amount, projects in routes.get(currency, {}).values():
            label = str(cell.label) if isinstance(cell, LinkView) else str(cell)
            drawn = format_compact_currency(amount, currency, locale=loc.locale, fraction_digits=1)
            contributions.append(_Bar(label, cell, (None, amount), ("", loc.money(amount, currency)), ("", drawn),
                                      (loc.number(len(projects)),)))
        bars += sorted(contributions, key=lambda b: (-b.values[1], b.label.casefold()))
        series = [_Series(t("chart.budget.budgets"), BUDGET_FILL["total"], "bar-total"),
                  _Series(t("chart.budget.contributions"), BUDGET_FILL["contribution"], "bar-contribution")]
        desc = [t("chart.budget.desc", currency=name)]
        head = [t("chart.budget.route"), t("chart.budget.budgets"), t("chart.budget.contributions"), t("chart.budget.projects_counted")]
        charts.append(_bar_chart(f"chart-budget-{currency.lower()}", t("chart.budget.title", currency=name), desc,
                                 t("chart.budget.caption", currency=name), bars, series, head, v, open=True))
    if charts and left_out:
        names = [v.link(r) for r in sorted(left_out)]
        extra = Markup(escape(t("chart.budget.no_figures", count=loc.number(len(names))))) + Markup(" ") + \
            Markup(", ").join(show(n) for n in names)
        last = charts[-1]
        charts[-1] = ChartView(last.id, last.title, Markup(escape(last.caption)) + Markup(" ") + extra, last.svg, last.table, last.open)
    return charts


def statistics(views: "Views") -> list[ChartView]:
    """The charts of the statistics page, in reading order; charts without data are left out."""
    refs = list(views.g.refs("project"))
    charts = [timeline(views, refs), by_start_year(views), by_taxonomy(views, "programmes"), *budgets(views),
              by_taxonomy(views, "countries"), by_taxonomy(views, "themes")]
    return [c for c in charts if c is not None]
