"""Pages that gather fiches stay readable when the knowledge base grows."""

from __future__ import annotations

import shutil
from pathlib import Path

from fichegen.check import check
from fichegen.overrides import Theme
from fichegen.render import listings
from fichegen.render.pages import SiteRenderer

FIXTURES = Path(__file__).parent / "fixtures"


def test_the_home_page_shows_the_latest_ongoing_projects_and_links_to_all_of_them(tmp_path, monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", root)
    with open(root / "fichegen.toml", "a", encoding="utf-8") as f:
        f.write('build_date = "2025-06-30"\n')
    for n, start in enumerate(("2023-01", "2024-05", "2025-02"), 1):
        (root / f"content/projects/ongoing-{n}.yaml").write_text(
            f"original_language: en\ntitle: {{en: Ongoing {n}}}\nsummary: {{en: Running.}}\nstart_date: '{start}'\nend_date: '2027-12'\n",
            encoding="utf-8")
    result = check(root)
    assert result.ok(), [str(d) for d in result.diagnostics]
    views = SiteRenderer(result.graph, Theme()).views["en"]
    monkeypatch.setattr(listings, "HOME_ONGOING", 2)
    home = listings.home(views)
    assert [str(c["title"]) for c in home["ongoing"]] == ["Ongoing 3", "Ongoing 2"]      # most recently started first
    assert home["ongoing_all"].url == "/en/status/ongoing/"
    assert home["ongoing_all"].label == "All 3 ongoing projects"
    monkeypatch.setattr(listings, "HOME_ONGOING", 3)
    assert listings.home(views)["ongoing_all"] is None
