"""One valid fiche cannot flood the site or the build machine's disk.

A 1 MiB fiche listed under every country, theme and partner made a 4.5 GB site in 52 s. Two budgets bound what
content can cost: `max_pages_per_fiche`, which `check` enforces before anything is rendered (a fiche's own page
and one page per term it is listed under, in every language), and `max_site_bytes`, which `build` counts while
it writes and enforces before the new site replaces the previous one (never a half-written site). The build
summary says how much of the budget the site uses.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fichegen.budgets import human_bytes, pages_brought, site_size
from fichegen.build import build
from fichegen.check import check
from fichegen.config import SiteConfig

from test_hostile_files import FICHEGEN, VALID, make_project

LANGUAGES = 'title = { en = "Budgets" }\nlanguages = ["en", "fr", "es", "pt"]\nfallback = ["en"]\nbuild_date = 2024-06-01\n'
COUNTRIES = ["PT", "ES", "FR", "DE", "IT", "CV", "MA", "SN", "ML", "BR"]


def listed_under(countries: list[str]) -> str:
    return VALID + "countries: [" + ", ".join(countries) + "]\n"


# --- pages one fiche brings -----------------------------------------------------------------------

def test_a_fiche_that_would_bring_too_many_pages_is_refused_by_check_at_the_file(tmp_path):
    root = make_project(tmp_path, {"content/projects/flood.yaml": listed_under(COUNTRIES)},
                        LANGUAGES + "max_pages_per_fiche = 40\n")
    found = check(root).diagnostics
    assert [(d.path, d.line, d.column, d.code) for d in found] == [("content/projects/flood.yaml", 1, 1, "too-many-pages")]
    d = found[0]
    # its own page and 10 country pages, in each of 4 languages
    assert "44 pages" in d.message and "10 countries" in d.message and "4 languages" in d.message and "40" in d.message
    assert "max_pages_per_fiche" in d.hint and "base branch" in d.hint
    result = build(root, tmp_path / "site", search=False)
    assert not result.ok and not (tmp_path / "site").exists()


def test_the_page_budget_is_exact_at_its_bound(tmp_path):
    root = make_project(tmp_path, {"content/projects/p.yaml": listed_under(COUNTRIES)}, LANGUAGES + "max_pages_per_fiche = 44\n")
    assert check(root).diagnostics == []


def test_every_fiche_listed_under_the_terms_counts_them_whatever_the_order(tmp_path):
    """Counting only the terms a fiche is first to bring would let two fiches share a flood: each counts all."""
    root = make_project(tmp_path, {"content/projects/a.yaml": listed_under(COUNTRIES),
                                   "content/projects/b.yaml": listed_under(COUNTRIES)}, LANGUAGES + "max_pages_per_fiche = 40\n")
    assert sorted(d.path for d in check(root).diagnostics) == ["content/projects/a.yaml", "content/projects/b.yaml"]


def test_the_default_page_budget_leaves_room_for_real_fiches():
    """The showcase's busiest fiche and the benchmark corpus's stay far below the default."""
    repo = Path(__file__).resolve().parents[1]
    result = check(repo)
    busiest = max(pages.total for pages in pages_brought(result.graph).values())
    default = SiteConfig.model_fields["max_pages_per_fiche"].default
    print(f"\nbusiest showcase fiche: {busiest} pages; max_pages_per_fiche default {default} ({default / busiest:.1f}× room)")
    assert busiest * 4 <= default


# --- the site's size -------------------------------------------------------------------------------

def big_project(root: Path, fiches: int, text_bytes: int, budget: int | None) -> Path:
    words = ("word " * (text_bytes // 5)).strip()
    files = {f"content/projects/p{i:03d}.yaml": VALID + f"description: {{en: '{words}'}}\n" for i in range(fiches)}
    return make_project(root, files, LANGUAGES + (f"max_site_bytes = {budget}\n" if budget else ""))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_site_over_its_budget_is_never_swapped_in(tmp_path):
    """The pages alone pass the budget: the build stops while rendering (not at the end, with the disk full),
    the previous site stays byte-identical, and no staging folder is left."""
    root = big_project(tmp_path / "p", 12, 60_000, None)
    out = tmp_path / "site"
    first = build(root, out, search=False, workers=1)
    assert first.ok and first.site_bytes == site_size(out)
    before = snapshot(out)
    (root / "fichegen.toml").write_text(LANGUAGES + "max_site_bytes = 1000000\n", encoding="utf-8")
    for i in range(12, 30):
        (root / "content" / "projects" / f"p{i:03d}.yaml").write_text((root / "content/projects/p000.yaml").read_text())
    result = build(root, out, search=False, workers=2)
    assert not result.ok
    [d] = result.check.errors
    assert (d.path, d.line, d.code) == ("fichegen.toml", 5, "site-too-large")
    assert "already" in d.message and "1,000,000 bytes" in d.message and "previous site" in d.message
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".fichegen-")]
    print(f"\nstopped at {d.message.split('already ')[1].split(' (')[0]} of a 1 MB budget; the previous site "
          f"({first.site_bytes:,} bytes) left as it was")


def test_a_site_whose_data_files_pass_the_budget_stops_before_the_swap(tmp_path):
    """Here the pages alone fit the budget; with the data files the site does not."""
    root = big_project(tmp_path / "p", 6, 40_000, None)
    probe = build(root, tmp_path / "probe", search=False)
    pages = sum(p.stat().st_size for p in (tmp_path / "probe").rglob("*.html"))
    budget = (pages + probe.site_bytes) // 2
    assert pages < budget < probe.site_bytes and budget >= 1_000_000, (pages, probe.site_bytes)
    (root / "fichegen.toml").write_text(LANGUAGES + f"max_site_bytes = {budget}\n", encoding="utf-8")
    result = build(root, tmp_path / "site", search=False)
    assert not result.ok and [d.code for d in result.check.errors] == ["site-too-large"]
    assert not (tmp_path / "site").exists()


def test_an_incremental_update_that_would_pass_the_budget_is_not_applied(tmp_path):
    root = big_project(tmp_path / "p", 3, 30_000, None)
    out, cache = tmp_path / "site", root / ".fichegen-cache"
    first = build(root, out, search=False, cache_dir=cache)
    assert first.ok
    before = snapshot(out)
    (root / "fichegen.toml").write_text(LANGUAGES + f"max_site_bytes = {max(first.site_bytes + 1000, 1_000_000)}\n", encoding="utf-8")
    assert build(root, out, search=False, cache_dir=cache).ok
    before = snapshot(out)
    words = ("word " * 19_000).strip()
    (root / "content/projects/p000.yaml").write_text(
        VALID + "description: {" + ", ".join(f"{lang}: '{words}'" for lang in ("en", "fr", "es", "pt")) + "}\n", encoding="utf-8")
    result = build(root, out, search=False, cache_dir=cache)
    assert not result.ok and [d.code for d in result.check.errors] == ["site-too-large"]
    assert snapshot(out) == before


def test_the_build_summary_says_how_much_of_the_budget_the_site_uses(tmp_path):
    root = make_project(tmp_path / "p", {"content/projects/ok.yaml": VALID}, LANGUAGES)
    run = subprocess.run(FICHEGEN + ["build", "--root", str(root), "--out", str(tmp_path / "site"), "--no-search"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    size = site_size(tmp_path / "site")
    assert f"Site size {human_bytes(size)}: <0.1% of its budget of 8.0 GB (max_site_bytes)." in run.stderr


@pytest.mark.slow
def test_the_showcase_fits_its_default_budget_comfortably(showcase_site):
    size = site_size(showcase_site)
    default = SiteConfig.model_fields["max_site_bytes"].default
    print(f"\nshowcase site: {size:,} bytes, {size / default:.2%} of the default max_site_bytes ({default:,})")
    assert size * 100 < default


def test_sizes_are_said_in_the_decimal_units_hosts_state_their_limits_in():
    assert [human_bytes(n) for n in (999, 6_500_300, 1_000_000_000)] == ["999 bytes", "6.5 MB", "1.0 GB"]
