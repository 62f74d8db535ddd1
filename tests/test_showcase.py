"""The five source documents are the product's showcase: each renders well in every language."""

from __future__ import annotations

from pathlib import Path

import pytest

from fichegen.check import check
from fichegen.i18n import read_catalogue
from fichegen.overrides import BUILTIN_THEME

REPO = Path(__file__).resolve().parents[1]
LANGS = ("en", "fr", "es", "pt")
SEEDS = {  # seed document → its fiche
    "000 MIGRAVALUE": ("projects", "migravalue"),
    "001 e-discussion": ("discussions", "territorial-approach-migration-development-2013"),
    "002 Coop4Int": ("projects", "coop4int"),
    "003 LECIM": ("projects", "lecim"),
    "004 Valencian strategy": ("strategies", "valencian-migration-strategy-2021-2026"),
}


@pytest.fixture(scope="module")
def graph():
    result = check(REPO)
    assert not result.errors, [str(d) for d in result.errors]
    return result.graph


def page(site: Path, lang: str, section: str, fiche_id: str) -> str:
    return (site / lang / section / fiche_id / "index.html").read_text(encoding="utf-8")


def ui(lang: str, key: str) -> str:
    return read_catalogue(BUILTIN_THEME / "i18n" / f"{lang}.yaml")[key]


def test_the_showcase_content_is_valid_with_only_the_expected_warning_which_it_accepts(graph):
    """MIGRALINK has no fiche: the warning is intended, said so in the fiche, so `check --strict` passes."""
    result = check(REPO)
    assert result.ok(strict=True) and not result.warnings
    assert [(d.code, d.path) for d in result.accepted] == [("unlinked-project", "content/projects/migravalue.yaml")]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_seed_has_title_and_summary_in_en_fr_es(graph, seed):
    section, fiche_id = SEEDS[seed]
    kind = {"projects": "project", "discussions": "discussion", "strategies": "strategy"}[section]
    fiche = graph.fiches[kind][fiche_id]
    for lang in ("en", "fr", "es"):
        assert fiche.title.get(lang) and fiche.summary.get(lang), f"{fiche_id} lacks {lang}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_seed_page_shows_its_title_in_every_language(showcase_site, graph, seed, lang):
    section, fiche_id = SEEDS[seed]
    kind = {"projects": "project", "discussions": "discussion", "strategies": "strategy"}[section]
    fiche = graph.fiches[kind][fiche_id]
    html = page(showcase_site, lang, section, fiche_id)
    title = fiche.title.get(lang) or fiche.title.get("en")
    from markupsafe import escape
    assert str(escape(title)) in html
    assert f'<html lang="{lang}"' in html


def test_coop4int_budget_is_localized_in_every_language(showcase_site):
    expected = {"en": "€1,532,558.68", "fr": "1\u202f532\u202f558,68\xa0€", "es": "1.532.558,68\xa0€",
                "pt": "1\xa0532\xa0558,68\xa0€"}
    for lang, money in expected.items():
        assert money in page(showcase_site, lang, "projects", "coop4int"), lang


def test_coop4int_dates_are_localized(showcase_site):
    assert "décembre 2021" in page(showcase_site, "fr", "projects", "coop4int")
    assert "December 2021" in page(showcase_site, "en", "projects", "coop4int")
    assert "diciembre de 2021" in page(showcase_site, "es", "projects", "coop4int")


def test_coop4int_partners_link_to_organisations_that_link_back(showcase_site):
    html = page(showcase_site, "en", "projects", "coop4int")
    assert 'href="/en/organisations/aima/"' in html
    aima = page(showcase_site, "en", "organisations", "aima")
    assert 'href="/en/projects/coop4int/"' in aima.split('id="lead"')[1].split("</section>")[0]


def test_migravalue_has_twelve_unnamed_partners_and_an_unlinked_predecessor(showcase_site):
    html = page(showcase_site, "en", "projects", "migravalue")
    assert ui("en", "project.unnamed_participants.other").format(count=12) in html
    assert "MIGRALINK" in html and "/projects/migralink/" not in html
    assert "889,400.00" in html     # the contribution the source states


def test_lecim_shows_its_grant_agreement_number(showcase_site):
    assert "504814-LLP-1-2009-2817/001-001" in page(showcase_site, "en", "projects", "lecim")


def test_valencian_strategy_shows_five_priorities_and_every_objective(showcase_site, graph):
    strategy = graph.strategies["valencian-migration-strategy-2021-2026"]
    assert [p.number for p in strategy.priorities] == ["1", "2", "3", "4", "5"]
    html = page(showcase_site, "fr", "strategies", strategy.id)
    for number in ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"):
        assert f'id="objective-{number}"' in html
    assert "ES-VC" not in html.split("<main")[1], "regions are shown by their label, not their code"


def test_discussion_keeps_each_contribution_in_its_own_language(showcase_site, graph):
    discussion = graph.discussions["territorial-approach-migration-development-2013"]
    assert len(discussion.rounds) == 4
    html = page(showcase_site, "en", "discussions", discussion.id)
    for i, c in enumerate(discussion.contributions, 1):
        block = html.split(f'id="contribution-{i}"')[1]
        assert f'lang="{c.language}"' in block.split("</article>")[0]
    named = {c.author for c in discussion.contributions if c.author}
    assert "Ayad Zarouali" in named and "Antonio García-Nieto Gómez-Guillamón" in named
    for author in named:
        assert author in html


def test_every_organisation_named_in_the_showcase_has_a_page(showcase_site, graph):
    for org in graph.organisations:
        for lang in LANGS:
            assert (showcase_site / lang / "organisations" / org / "index.html").is_file()
