"""<lang>/feed.xml: Atom feeds a feed reader accepts, newest first, dated from the fiches or from git."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from fichegen.build import build
from fichegen.exports.history import parse_log

FIXTURES = Path(__file__).parent / "fixtures"
BUILD_DAY = "2024-06-15T00:00:00Z"


def copy_fixture(target: Path) -> Path:
    shutil.copytree(FIXTURES / "exports", target)
    return target


def built(root: Path) -> Path:
    result = build(root, root / "site", search=False)
    assert result.ok, [str(d) for d in result.check.diagnostics]
    return root / "site"


def feed(site: Path, lang: str):
    parsed = feedparser.parse((site / lang / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def stamp(parsed_time) -> str:
    return datetime(*parsed_time[:6], tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Outside any git repository: dates come from the fiches' fields or the build date."""
    return built(copy_fixture(tmp_path_factory.mktemp("feeds") / "project"))


def entry(parsed, fiche_path: str):
    return next(e for e in parsed.entries if e.id.endswith(fiche_path))


def test_each_language_has_a_valid_atom_feed_listing_every_fiche(site):
    for lang in ("en", "fr"):
        parsed = feed(site, lang)
        assert parsed.version == "atom10"
        assert parsed.feed.language == lang
        assert parsed.feed.links[0].href == f"https://data.example.org/kb/{lang}/feed.xml"
        assert len(parsed.entries) == 6 + 2 + 1 + 1      # projects, organisations, strategy, discussion


def test_entries_are_newest_first(site):
    parsed = feed(site, "en")
    updated = [e.updated_parsed for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)


def test_dates_come_from_the_fiche_fields_else_the_build_date(site):
    parsed = feed(site, "en")
    full = entry(parsed, "/projects/full-project/")
    assert (stamp(full.published_parsed), stamp(full.updated_parsed)) == ("2020-01-10T00:00:00Z", "2023-05-02T00:00:00Z")
    other = entry(parsed, "/projects/no-dates/")
    assert (stamp(other.published_parsed), stamp(other.updated_parsed)) == (BUILD_DAY, BUILD_DAY)
    assert stamp(parsed.feed.updated_parsed) == BUILD_DAY


def test_entries_are_localized_and_a_fallback_keeps_its_true_language(site):
    fr = entry(feed(site, "fr"), "/projects/full-project/")
    assert fr.title == "Un projet complet" and fr.title_detail.language == "fr"
    assert "<strong>tout</strong>" in fr.summary and fr.summary_detail.language == "fr"
    en = entry(feed(site, "en"), "/projects/year-only/")
    assert en.title == "Projet connu à l'année près"
    assert en.title_detail.language == "fr" and en.summary_detail.language == "fr"


def test_each_entry_links_only_to_its_page_in_the_feeds_language(site):
    # Feed readers open an entry's last alternate link: one link, so an English reader gets the English page.
    for lang in ("fr", "en"):
        parsed = feed(site, lang)
        full = entry(parsed, "/projects/full-project/")
        assert [(l.rel, l.hreflang, l.href) for l in full.links] == [
            ("alternate", lang, f"https://data.example.org/kb/{lang}/projects/full-project/")]
        assert full.link == f"https://data.example.org/kb/{lang}/projects/full-project/"
        assert all(len(e.links) == 1 and f"/kb/{lang}/" in e.link for e in parsed.entries)
    assert entry(feed(site, "fr"), "/projects/full-project/").tags[0].term == "project"


def test_hostile_text_is_escaped_and_reads_back_as_text(site):
    raw = (site / "en" / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw and "<img" not in raw
    hostile = entry(feed(site, "en"), "/projects/hostile-text/")
    assert hostile.title == "</script><script>alert('x')</script> & \"quoted\""
    # The raw HTML of the summary is shown as the text it is: no element, no attribute.
    assert "<img" not in hostile.summary and "&lt;img src=x onerror=alert(1)&gt;" in hostile.summary


def test_the_site_links_its_feed_from_every_page(site):
    head = (site / "fr" / "projects" / "full-project" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in head and 'href="/kb/fr/feed.xml"' in head


# --- dates from git ------------------------------------------------------------------------

def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")
def test_without_date_fields_the_git_history_dates_each_fiche(tmp_path):
    """First commit = published, last commit = updated, following a rename; uncommitted = build date."""
    root = copy_fixture(tmp_path / "project")
    (root / "content/projects/no-dates.yaml").rename(tmp_path / "no-dates.yaml")
    (root / "content/projects/hostile-text.yaml").rename(root / "content/projects/old-name.yaml")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first", when="2021-03-01T10:00:00+02:00")
    (root / "content/projects/year-only.yaml").write_text(
        (root / "content/projects/year-only.yaml").read_text(encoding="utf-8") + "acronym: YO\n", encoding="utf-8")
    git(root, "mv", "content/projects/old-name.yaml", "content/projects/hostile-text.yaml")
    git(root, "commit", "-q", "-am", "second", when="2022-07-04T09:30:00+00:00")
    shutil.move(tmp_path / "no-dates.yaml", root / "content/projects/no-dates.yaml")   # never committed
    parsed = feed(built(root), "en")

    def dates(path):
        e = entry(parsed, path)
        return stamp(e.published_parsed), stamp(e.updated_parsed)

    assert dates("/projects/year-only/") == ("2021-03-01T08:00:00Z", "2022-07-04T09:30:00Z")
    assert dates("/projects/hostile-text/") == ("2021-03-01T08:00:00Z", "2022-07-04T09:30:00Z")   # renamed
    assert dates("/projects/planned-project/") == ("2021-03-01T08:00:00Z", "2021-03-01T08:00:00Z")
    assert dates("/projects/full-project/") == ("2020-01-10T00:00:00Z", "2023-05-02T00:00:00Z")   # its fields win
    assert dates("/projects/no-dates/") == (BUILD_DAY, BUILD_DAY)


def test_git_log_reading_follows_renames_and_stops_at_a_files_creation():
    log = "\n".join([
        "\x002024-03-01T00:00:00+00:00", "", "M\tcontent/projects/b.yaml",
        "\x002023-02-01T00:00:00+00:00", "", "R100\tcontent/projects/a.yaml\tcontent/projects/b.yaml",
        "\x002022-01-01T00:00:00+00:00", "", "A\tcontent/projects/a.yaml",
        "\x002021-01-01T00:00:00+00:00", "", "D\tcontent/projects/a.yaml",    # an older, deleted a.yaml
        "\x002020-01-01T00:00:00+00:00", "", "A\tcontent/projects/a.yaml",
    ])
    dates = parse_log(log)
    first, last = dates["content/projects/b.yaml"]
    assert (first.year, last.year) == (2022, 2024)
    assert "content/projects/a.yaml" not in dates
