"""`fichegen links`: every internal href, src and #anchor of a built site must resolve.

Small sites are written here file by file, as a static host would serve them; the showcase is
built for real and must have no broken link, at the root of a host and under a base path.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from fichegen.cli import main
from fichegen.linkcheck import check_links

REPO = Path(__file__).resolve().parents[1]
HOST = "https://kb.example.org"


def write_site(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"


def broken(report) -> dict[str, str]:
    return {b.url: b.reason for b in report.broken}


@pytest.fixture
def small_site(tmp_path):
    return write_site(tmp_path / "site", {
        "index.html": page('<a href="/en/">English</a>\n<a href="en/projects/x/#partners">partners</a>'),
        "en/index.html": page('<main id="main"><a href="#main">skip</a> <a href="projects/x/">x</a> '
                              '<a href="projects/x">x without slash</a> <a href="../static/site.css">css</a></main>',
                              head='<link rel="stylesheet" href="/static/site.css">'),
        "en/projects/x/index.html": page('<h2 id="partners">Partners</h2><a name="old-anchor"></a>'
                                         '<a href="../../">home</a> <a href="/en/projects/x/#old-anchor">old</a>'),
        "static/site.css": "body { background: url(img/bg.svg); }\n",
        "static/img/bg.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    })


def test_links_between_existing_pages_files_and_anchors_resolve(small_site):
    """Root-absolute, relative, folder addresses with or without the slash, ids and <a name> all count."""
    report = check_links(small_site)
    assert report.broken == []
    assert report.files == 4  # three pages and the stylesheet
    assert report.links == 10


def test_a_missing_page_and_a_missing_anchor_are_reported_where_they_are_written(small_site):
    """An editor needs the page, line and column of the link, and why it leads nowhere."""
    (small_site / "en/about/index.html").parent.mkdir(parents=True)
    (small_site / "en/about/index.html").write_text(page(
        '<p>See\n<a href="/en/projects/y/">y</a> and <a href="/en/projects/x/#budget">x</a>.</p>'), encoding="utf-8")
    report = check_links(small_site)
    assert broken(report) == {
        "/en/projects/y/": "no file en/projects/y/index.html in the built site",
        "/en/projects/x/#budget": 'no element with id "budget" in en/projects/x/index.html',
    }
    assert [(b.page, b.line, b.column, b.url) for b in report.broken] == [
        ("en/about/index.html", 5, 1, "/en/projects/y/"),
        ("en/about/index.html", 5, 37, "/en/projects/x/#budget"),
    ]


def test_other_hosts_and_non_web_schemes_are_not_followed(tmp_path):
    """No network: external links, mail, phone, data and javascript addresses are left alone."""
    site = write_site(tmp_path / "site", {"index.html": page(
        '<a href="https://other.example.com/missing/">x</a> <a href="//cdn.example.com/x.js">x</a> '
        '<a href="mailto:info@example.org">m</a> <a href="tel:+351000">t</a> '
        '<img src="data:image/png;base64,AAAA" alt=""> <a href="javascript:void(0)">j</a>')})
    assert check_links(site, "/", HOST).broken == []


def test_absolute_addresses_on_the_sites_own_host_are_checked(tmp_path):
    """Canonical and alternate links name the published address: they must exist too."""
    site = write_site(tmp_path / "site", {
        "en/index.html": page("", head=f'<link rel="canonical" href="{HOST}/en/">'
                                       f'<link rel="alternate" hreflang="fr" href="{HOST}/fr/">'),
    })
    assert broken(check_links(site, "/", HOST)) == {f"{HOST}/fr/": "no file fr/index.html in the built site"}


def test_under_a_base_path_links_must_stay_inside_it(tmp_path):
    """A site published at /kb/ that links to /en/ would leave its own folder on the host."""
    site = write_site(tmp_path / "site", {
        "index.html": page('<a href="/kb/en/">ok</a> <a href="/en/">wrong</a> <a href="/kb">root</a>'),
        "en/index.html": page(f'<link rel="canonical" href="{HOST}/kb/en/">'),
    })
    report = check_links(site, "/kb/", HOST)
    assert broken(report) == {"/en/": "outside the site's base path /kb/"}


def test_addresses_that_climb_above_the_site_are_broken(tmp_path):
    site = write_site(tmp_path / "site", {"index.html": page(f'<a href="{HOST}/../secret">x</a>')})
    assert broken(check_links(site, "/", HOST)) == {f"{HOST}/../secret": "points above the output folder"}


def test_srcset_meta_refresh_stylesheets_and_sitemaps_are_read(tmp_path):
    """Every place a built site names another of its files is followed, not only <a href>."""
    site = write_site(tmp_path / "site", {
        "index.html": page('<img src="a.png" srcset="a.png 1x, b.png 2x" alt="">',
                           head='<meta http-equiv="refresh" content="0; url=/en/">'),
        "a.png": "png\n",
        "static/site.css": "@import 'print.css';\n.logo { background: url(\"../logo.svg\"); }\n",
        "sitemap.xml": f"<urlset>\n<url><loc>{HOST}/</loc></url>\n<url><loc>{HOST}/fr/</loc></url>\n</urlset>\n",
    })
    report = check_links(site, "/", HOST)
    assert broken(report) == {
        "b.png": "no file b.png in the built site",
        "/en/": "no file en/index.html in the built site",
        "print.css": "no file static/print.css in the built site",
        "../logo.svg": "no file logo.svg in the built site",
        f"{HOST}/fr/": "no file fr/index.html in the built site",
    }
    assert {b.page for b in report.broken} == {"index.html", "static/site.css", "sitemap.xml"}


def test_links_command_exits_1_and_points_at_each_broken_link(small_site, tmp_path):
    (small_site / "en/index.html").write_text(page('<a href="/en/nowhere/">x</a>'), encoding="utf-8")
    summary = tmp_path / "summary.md"
    result = CliRunner().invoke(main, ["links", "--root", str(REPO), "--out", str(small_site), "--summary", str(summary)])
    assert result.exit_code == 1
    assert "en/index.html:4:1: broken link /en/nowhere/: no file en/nowhere/index.html in the built site" in result.output
    assert "1 broken" in result.output
    assert "| en/index.html | 4 | `/en/nowhere/` | no file en/nowhere/index.html in the built site |" in summary.read_text()


def test_links_command_github_format_annotates_the_built_file(small_site):
    """In a workflow the annotation names the file under the output folder, as the job sees it."""
    (small_site / "en/index.html").write_text(page('<a href="/en/nowhere/">x</a>'), encoding="utf-8")
    result = CliRunner().invoke(main, ["links", "--root", str(REPO), "--out", str(small_site), "--format", "github"])
    assert result.exit_code == 1
    assert f"::error file={small_site.as_posix()}/en/index.html,line=4,col=1,title=Broken link::/en/nowhere/: no file" in result.output


def test_links_command_exits_0_on_a_clean_site_and_2_without_one(small_site, tmp_path):
    ok = CliRunner().invoke(main, ["links", "--root", str(REPO), "--out", str(small_site)])
    assert ok.exit_code == 0, ok.output
    assert "none broken" in ok.output
    missing = CliRunner().invoke(main, ["links", "--root", str(REPO), "--out", str(tmp_path / "never-built")])
    assert missing.exit_code == 2
    assert "build the site first" in missing.output


def test_the_showcase_has_no_broken_internal_link(searchable_showcase):
    """What `fichegen build` writes for readers (with its search index) links only to what it wrote."""
    from fichegen.config import load_config

    config, _ = load_config(REPO)
    report = check_links(searchable_showcase, "/", config.base_url)
    assert report.links > 1000
    assert report.broken == []


@pytest.mark.slow
def test_the_showcase_built_for_a_sub_folder_with_its_handbook_has_no_broken_link(tmp_path):
    """GitHub project pages serve the site under /REPO/: every link, the handbook's too, must follow."""
    result = CliRunner().invoke(main, ["build", "--root", str(REPO), "--out", str(tmp_path / "site"), "--no-search",
                                       "--handbook", "--base-path", "/migration-kb/", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site/handbook/index.html").is_file()
    links = CliRunner().invoke(main, ["links", "--root", str(REPO), "--out", str(tmp_path / "site"),
                                      "--base-path", "/migration-kb/"])
    assert links.exit_code == 0, links.output[-3000:]


# --- links written in fiches: checked when the fiche is read, traced back from the built site -------------

FICHE_LINKS = REPO / "tests" / "fixtures" / "fiche-links"


def test_links_written_in_a_fiche_are_checked_at_their_yaml_line_and_column():
    """`[site](www.example.org/x)` in a description fails `check` at the link itself, inside the block text, not
    after the build at the built page; so do wrong paths to other fiches, other schemes, hosts without a dot."""
    from fichegen.check import check

    result = check(FICHE_LINKS)
    found = [(d.code, d.path, d.line, d.column, d.message.split(":", 1)[0]) for d in result.diagnostics]
    fiche = "content/projects/my-test.yaml"
    assert found == [
        ("link-address", fiche, 10, 26, "description.en"),   # www.example.org/x: no scheme
        ("link-page", fiche, 11, 68, "description.en"),      # ../organisations/aima/: one level short
        ("link-page", fiche, 12, 19, "description.en"),      # /en/organisations/aima/: no base path, one language
        ("link-page", fiche, 12, 71, "description.en"),      # ../../organisations/nobody/: no such fiche
        ("link-scheme", fiche, 13, 13, "description.en"),    # ftp://
        ("link-address", fiche, 13, 53, "description.en"),   # https://example/: no dot
        ("link-address", fiche, 14, 18, "description.fr"),   # the same mistake in French, at its own line
        ("link-address", fiche, 17, 10, "links[1].url"),     # https://localhost/x
    ]
    hints = {d.line * 100 + d.column: d.hint for d in result.diagnostics}
    assert hints[1026] == "write https://www.example.org/x"
    assert hints[1168] == "write ../../organisations/aima/: links are relative to this fiche's page"
    assert hints[1219] == "write the address relative to this page: ../../organisations/aima/"
    # the one right link, ../../organisations/aima/, is not reported
    assert not any("'../../organisations/aima/'" in d.message for d in result.diagnostics)


def test_a_relative_link_in_a_summary_is_refused_because_lists_and_feeds_show_it_too(tmp_path):
    from fichegen.check import check

    root = tmp_path / "site"
    shutil.copytree(FICHE_LINKS, root)
    path = root / "content/projects/my-test.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  en: A project whose description", "  en: See [AIMA](../../organisations/aima/). A project whose description"),
                    encoding="utf-8")
    summary = [d for d in check(root).diagnostics if d.message.startswith("summary.en")]
    assert [(d.code, d.line, d.column) for d in summary] == [("link-page", 6, 18)]
    assert "move the link to the description" in summary[0].hint


def test_a_broken_link_written_in_a_fiche_is_named_once_by_links_at_the_fiche_and_field(tmp_path):
    """A link `check` cannot prove (an anchor of another page) breaks in every language the text is shown in:
    `fichegen links` names the fiche's line and field once, with the pages, not each built page."""
    root = tmp_path / "site"
    shutil.copytree(FICHE_LINKS, root)
    path = root / "content/projects/my-test.yaml"
    path.write_text(path.read_text(encoding="utf-8").split("description:")[0] + (
        "description:\n"
        "  en: |\n"
        "    Its partner is\n"
        "    [AIMA's budget](../../organisations/aima/#budget).\n"), encoding="utf-8")   # shown in French too
    built = CliRunner().invoke(main, ["build", "--root", str(root), "--no-search", "--quiet"])
    assert built.exit_code == 0, built.output
    result = CliRunner().invoke(main, ["links", "--root", str(root)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "broken link" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("content/projects/my-test.yaml:11:21: broken link ../../organisations/aima/#budget in "
                               'description.en: no element with id "budget" in en/organisations/aima/index.html (on '
                               "en/projects/my-test/index.html:")
    assert ", fr/projects/my-test/index.html:" in lines[0]
    assert "1 broken" in result.output
    github = CliRunner().invoke(main, ["links", "--root", str(root), "--format", "github"])
    assert github.output.count("::error ") == 1
    assert "::error file=content/projects/my-test.yaml,line=11,col=21,title=Broken link::" in github.output
    as_json = json.loads(CliRunner().invoke(main, ["links", "--root", str(root), "--format", "json"]).stdout)
    assert as_json["broken"] == [] and [len(t["pages"]) for t in as_json["from_fiches"]] == [2]
