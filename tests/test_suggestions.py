"""Editors can trust `check`: the commonest mistakes get the right suggestion, in words, at the right place.

Each fixture site under tests/fixtures/suggestions/ holds mistakes editors make; the tests assert, for each
one, the code, line and column and the exact hint. Then the readers behind the hints are specified one by
one, the handbook's examples are held to what the tool prints, and counts are put in the plural CLDR says."""

from __future__ import annotations

import re
import typing
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, ValidationError

from fichegen.check import check
from fichegen.cli import main
from fichegen.config import SiteConfig
from fichegen.diagnostics import CODES
from fichegen.field_errors import NAMED_KINDS, explain, field_site
from fichegen.i18n import Catalogue, Localizer
from fichegen.load import SourceFile, parse_yaml
from fichegen.models import FICHE_TYPES, VOCABULARIES
from fichegen.models.common import Strict
from fichegen.plural import categories, category, counted, message, missing_forms
from fichegen.suggest import codes, dates, numbers, synonyms
from fichegen.suggest.references import Candidate, ReferenceIndex, describe, initials, suggest_reference
from fichegen.validate import diagnostics_from

FIXTURES = Path(__file__).parent / "fixtures" / "suggestions"
REPO = Path(__file__).resolve().parents[1]

STATUS_HINT = ("remove the line: status is only for a cancelled or suspended project; "
               "otherwise the status (planned, ongoing, closed) is derived from the dates.")

# case → every diagnostic check gives for it: (file, line, column, code, hint), in check's order.
EXPECTED = {
    "codes": [
        ("content/discussions/languages.yaml", 5, 13, "unknown-language", "did you mean 'en'?"),
        ("content/discussions/languages.yaml", 5, 22, "unknown-language", "did you mean 'fr'?"),
        ("content/discussions/languages.yaml", 5, 32, "unknown-language",
         "write it as pt-BR"),
        ("content/discussions/languages.yaml", 5, 39, "unknown-language", "did you mean 'pt'?"),
        ("content/discussions/languages.yaml", 7, 15, "unknown-language", "write it as fr"),
        ("content/organisations/lisbon-ngo.yaml", 4, 10, "invalid-value", "did you mean 'PT' (Portugal)?"),
        ("content/projects/countries.yaml", 5, 5, "invalid-value", "did you mean 'PT' (Portugal)?"),
        ("content/projects/countries.yaml", 6, 5, "invalid-value", "did you mean 'CV' (Cape Verde)?"),
        ("content/projects/countries.yaml", 7, 5, "invalid-value", "did you mean 'CV' (Cape Verde)?"),
        ("content/projects/countries.yaml", 8, 5, "invalid-value", "did you mean 'DE' (Germany)?"),
        ("content/projects/countries.yaml", 9, 5, "invalid-value", "did you mean 'DE' (Germany)?"),
        ("content/projects/countries.yaml", 10, 5, "invalid-value", "write it as PT (Portugal)"),
        ("content/projects/countries.yaml", 11, 5, "invalid-value", "did you mean 'GB' (United Kingdom; UK is not its ISO code)?"),
        ("content/projects/countries.yaml", 12, 5, "invalid-value", "did you mean 'GR' (Greece; EL is not its ISO code)?"),
        ("content/projects/countries.yaml", 13, 5, "invalid-value", "did you mean 'CV' (CVE is the currency of Cape Verde)?"),
        ("content/projects/countries.yaml", 14, 5, "invalid-value", "did you mean 'PT' (Portugal)?"),
        ("content/projects/countries.yaml", 15, 5, "invalid-value",
         "no country has that name or code in any language fichegen knows: check the spelling, or write the code itself"),
        ("content/projects/currency-dollar-sign.yaml", 5, 13, "invalid-value", "'$' could mean USD, LRD, XCD or AUD: write the one you mean"),
        ("content/projects/currency-euro-sign.yaml", 5, 13, "invalid-value", "did you mean 'EUR'?"),
        ("content/projects/currency-euro-word.yaml", 5, 13, "invalid-value", "did you mean 'EUR'?"),
        ("content/projects/currency-lower-case.yaml", 5, 13, "invalid-value", "write it as EUR"),
        ("content/projects/currency-us-dollar.yaml", 5, 13, "invalid-value", "did you mean 'USD'?"),
        ("content/projects/languages.yaml", 1, 20, "unknown-language", "write it as en"),
        ("content/projects/languages.yaml", 2, 46, "unknown-language", "write it as fr"),
    ],
    "dates": [
        ("content/discussions/spanish.yaml", 5, 10, "invalid-value", "write it as 2021-03"),
        ("content/discussions/spanish.yaml", 6, 8, "invalid-value", "write it as 2021-04-30"),
        ("content/projects/english.yaml", 4, 13, "invalid-value", "write it as 2021-03"),
        ("content/projects/english.yaml", 5, 11, "invalid-value", "write it as 2021-12-31"),
        ("content/projects/english.yaml", 6, 12, "invalid-value", "write it as 2021-03-31"),
        ("content/projects/english.yaml", 7, 10, "invalid-value", "a full date is needed here, day included: YYYY-MM-DD"),
        ("content/projects/french.yaml", 4, 13, "invalid-value", "write it as 2021-03"),
        ("content/projects/french.yaml", 5, 11, "invalid-value", "write it as 2021-12-31"),
        ("content/projects/numeric.yaml", 4, 13, "invalid-value", "write it as 2021-03"),
        ("content/projects/numeric.yaml", 5, 11, "invalid-value", "write it as 2021-03"),
        ("content/projects/numeric.yaml", 6, 12, "invalid-value",
         "'03/04/2021' could mean 2021-04-03 or 2021-03-04 (3 April 2021 or 4 March 2021): write the one you mean"),
    ],
    "numbers": [
        ("content/projects/ambiguous.yaml", 5, 11, "invalid-value",
         "if the '.' separates thousands, write 1532 ('1.532' could also mean 1.532, which does not fit here)"),
        ("content/projects/ambiguous.yaml", 8, 12, "wrong-type",
         "if the ',' marks the decimals, write 1.532 ('1,532' could also mean 1532, which does not fit here)"),
        ("content/projects/english.yaml", 5, 11, "wrong-type", "write it as 1532558.68"),
        ("content/projects/english.yaml", 8, 13, "wrong-type", "write it as 2603783.86"),
        ("content/projects/english.yaml", 12, 12, "wrong-type", "write it as 3"),
        ("content/projects/european.yaml", 5, 11, "wrong-type", "write it as 1532558.68"),
        ("content/projects/european.yaml", 8, 12, "wrong-type", "write it as 94.42"),
        ("content/strategies/priorities.yaml", 10, 17, "invalid-value", "write it as 1.1"),
    ],
    "choices": [
        ("content/projects/completed.yaml", 4, 9, "invalid-value", "did you mean 'closed'?"),
        ("content/projects/en-cours.yaml", 4, 9, "invalid-value", "did you mean 'ongoing'?"),
        ("content/projects/on-hold.yaml", 4, 9, "invalid-value", "did you mean 'suspended'?"),
        ("content/projects/roles.yaml", 6, 13, "invalid-value", "did you mean 'lead'?"),
        ("content/projects/roles.yaml", 6, 21, "invalid-value", "did you mean 'lead'?"),
        ("content/projects/roles.yaml", 8, 13, "invalid-value", "did you mean 'lead'?"),
        ("content/projects/roles.yaml", 8, 27, "invalid-value", "did you mean 'partner'?"),
        ("content/projects/roles.yaml", 10, 13, "invalid-value", "did you mean 'lead'?"),
        ("content/projects/roles.yaml", 10, 27, "invalid-value", "did you mean 'funding'?"),
        ("content/projects/roles.yaml", 13, 11, "invalid-value", "did you mean 'website'?"),
    ],
    "references": [
        ("content/projects/by-acronym.yaml", 5, 19, "invalid-value", "write it as aima"),
        ("content/projects/partners.yaml", 5, 19, "unknown-reference",
         "did you mean 'icmpd-vienna'? ('icmpd-vienna' is International Centre for Migration Policy Development)"),
        ("content/projects/partners.yaml", 7, 19, "unknown-reference",
         "did you mean 'aima'? ('aima' is Agência para a Integração, Migrações e Asilo)"),
        ("content/projects/partners.yaml", 9, 19, "unknown-reference", "did you mean 'ngo-one'?"),
        ("content/projects/partners.yaml", 11, 19, "unknown-reference",
         "did you mean 'aima'? ('aima' is Agência para a Integração, Migrações e Asilo)"),
        ("content/projects/partners.yaml", 13, 10, "unknown-reference", "did you mean 'remittances'?"),
        ("content/projects/partners.yaml", 13, 23, "unknown-reference", "did you mean 'remittances'?"),
        ("content/projects/partners.yaml", 13, 44, "unknown-reference", "did you mean 'integration'?"),
    ],
    "shapes": [
        ("content/projects/shapes.yaml", 2, 10, "wrong-type", "write it as {fr: Un résumé sans sa langue}, or on the next lines '  fr: …'"),
        ("content/projects/shapes.yaml", 3, 23, "unknown-language",
         'a comma inside { } starts a new key: put a text that holds a comma in quotes, e.g. title: {fr: "…, en attente de financement."}'),
        ("content/projects/shapes.yaml", 4, 12, "wrong-type", "write it as a list: [PT, CV]"),
        ("content/projects/shapes.yaml", 6, 10, "invalid-value", "write it as https://www.example.org/projet"),
    ],
    "handbook-examples": [
        ("content/projects/coop4int.yaml", 9, 17, "invalid-value", "did you mean 'CV' (CVE is the currency of Cape Verde)?"),
        ("content/projects/my-project.yaml", 2, 1, "missing-key", "add 'summary:'; `fichegen new` shows every required key"),
        ("content/projects/my-project.yaml", 5, 1, "unknown-key", "did you mean 'summary'?"),
    ],
}

#: What no message may say: regular expressions and Pydantic's own wording.
REGEX_SPEAK = re.compile(r"should match|pattern|\^|\$'|\[A-Z|\[a-z|\{\d|Input should|String should|valid decimal|valid integer")


@pytest.fixture(scope="module")
def results():
    return {case: check(FIXTURES / case) for case in sorted({*EXPECTED, "every-error"})}


def test_every_fixture_site_has_an_expectation():
    assert sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) == sorted({*EXPECTED, "every-error"})


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_mistake_gets_its_suggestion_at_its_place(results, case):
    found = [(d.path, d.line, d.column, d.code, d.hint) for d in results[case].diagnostics]
    assert found == EXPECTED[case]


def test_the_country_message_says_what_to_write_without_regex(results):
    by_place = {(d.path, d.line): d for d in results["codes"].diagnostics}
    d = by_place[("content/projects/countries.yaml", 7)]
    assert d.message == ("countries[2]: 'Cabo Verde' is not a country code: write the two-letter ISO 3166-1 code in capitals, e.g. CV")
    d = by_place[("content/projects/languages.yaml", 1)]
    assert d.message == "original_language: 'EN' is not a language code: write the ISO 639-1 code in lower case, e.g. en"


def test_a_status_written_as_the_source_words_it_gets_the_value_it_means(results):
    d = next(d for d in results["choices"].diagnostics if d.path.endswith("completed.yaml"))
    assert d.message == "status: 'completed' is not one of the values it takes: planned, ongoing, closed, cancelled or suspended"
    assert d.hint == "did you mean 'closed'?"


def test_every_error_any_field_can_give_is_said_in_words_with_a_hint(results):
    """A fiche of each type and a vocabulary with a wrong value in every kind of field: each diagnostic has a known
    code, a hint, and no regular expression or Pydantic phrasing."""
    found = results["every-error"].diagnostics
    assert len(found) >= 40
    for d in found:
        assert d.code in CODES, d
        assert d.hint.strip(), d
        assert not REGEX_SPEAK.search(d.message), d.message
    by_field = {(Path(d.path).parent.name, d.message.split(":")[0]): d for d in found}
    assert by_field["discussions", "contributions[0].date"].line == 13, "a field named `date` is a key, not Pydantic's date schema"
    assert by_field["strategies", "territory.country"].hint == "did you mean 'ES' (Spain)?"
    assert by_field["strategies", "period.start"].hint == "write it as 2021-01"
    assert by_field["vocabularies", "ES-VC.country"].hint == "did you mean 'ES' (Spain)?"


def _patterns(model, seen=None) -> set[str]:
    """Every `pattern` constraint in a model and the models inside it."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    found = set()
    for field in model.model_fields.values():
        stack = [field.rebuild_annotation()]
        while stack:
            t = stack.pop()
            for part in typing.get_args(t) if typing.get_origin(t) is typing.Annotated else ():
                if getattr(part, "pattern", None):
                    found.add(part.pattern)
            stack += typing.get_args(t)
            if isinstance(t, type) and issubclass(t, BaseModel):
                found |= _patterns(t, seen)
    return found


def test_every_pattern_of_the_models_has_words_of_its_own():
    """A new `pattern=` in the models must come with a kind in field_errors.NAMED_KINDS (its message and reader)."""
    named = {m.pattern for t in NAMED_KINDS for m in typing.get_args(t)[1:] if getattr(m, "pattern", None)}
    used = set().union(*(_patterns(m) for m in [*FICHE_TYPES.values(), *VOCABULARIES.values()]))
    assert used and used <= named, used - named


# --- the handbook says what the tool prints ----------------------------------------------------------

def _quoted_diagnostics(page: str) -> list[str]:
    """The diagnostics a handbook page shows in ```text blocks, each with its hint line."""
    text = (REPO / "src" / "fichegen" / "handbook" / "docs" / page).read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```text\n(.*?)```", text, re.S):
        found += re.findall(r"^content/\S+:\d+:\d+: (?:error|warning) \[.*\n(?:    hint: .*\n)?", block, re.M)
    return found


@pytest.mark.parametrize("page", ["errors.md", "adding-a-fiche.md"])
def test_the_handbook_quotes_exactly_what_check_prints(results, page):
    from fichegen.diagnostics import format_text

    printed = format_text(results["handbook-examples"].diagnostics) + "\n"
    quoted = _quoted_diagnostics(page)
    assert quoted
    for example in quoted:
        assert example in printed, f"{page} shows\n{example}\nbut check prints\n{printed}"


def test_the_handbook_quotes_the_pull_request_annotation_as_github_shows_it(results):
    d = next(d for d in results["handbook-examples"].diagnostics if d.code == "unknown-key")
    shown = f"{d.title} [{d.code}]\n{d.message}\nHint: {d.hint}\n"
    assert shown in (REPO / "src" / "fichegen" / "handbook" / "docs" / "pull-requests.md").read_text(encoding="utf-8")


# --- the readers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, code", [
    ("Portugal", "PT"), ("Cap-Vert", "CV"), ("Cabo Verde", "CV"), ("cabo verde", "CV"), ("Allemagne", "DE"), ("Alemanha", "DE"),
    ("Deutschland", "DE"), ("España", "ES"), ("ESPAÑA", "ES"), ("Espanha", "ES"), ("Royaume-Uni", "GB"), ("Côte d’Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"), ("pt", "PT"), ("UK", "GB"), ("EL", "GR"), ("PRT", "PT"), ("DEU", "DE"), ("CVE", "CV"),
    ("Portgal", "PT"), ("Marrocos", "MA"), ("Марокко", "MA"),
])
def test_a_country_is_found_by_name_in_any_language_or_by_another_code(written, code):
    assert codes.country(written).values == (code,)


@pytest.mark.parametrize("written", ["Atlantis", "", "EUR", "Republic of Nowhere"])
def test_a_country_that_is_not_one_gets_no_suggestion(written):
    assert not codes.country(written)


@pytest.mark.parametrize("written, readings", [
    ("EN", ("en",)), ("PT-br", ("pt-BR", "pt")), ("pt_BR", ("pt-BR", "pt")), ("zh-hant", ("zh-Hant", "zh")),
    ("English", ("en",)), ("français", ("fr",)), ("Francais", ("fr",)), ("portugais", ("pt",)), ("inglés", ("en",)),
    ("eng", ("en",)), ("fre", ("fr",)), ("Englsh", ("en",)),
])
def test_a_language_is_found_by_code_in_any_case_or_by_name(written, readings):
    assert codes.language(written).values == readings


@pytest.mark.parametrize("written, code", [("€", "EUR"), ("euro", "EUR"), ("Euros", "EUR"), ("eur", "EUR"), ("US$", "USD"),
                                           ("US dollar", "USD"), ("£", "GBP"), ("R$", "BRL"), ("escudo cabo-verdiano", "CVE")])
def test_a_currency_is_found_by_sign_name_or_code_in_any_case(written, code):
    assert codes.currency(written).values == (code,)


@pytest.mark.parametrize("sign", ["$", "¥", "kr"])
def test_a_sign_several_currencies_share_is_ambiguous(sign):
    guess = codes.currency(sign)
    assert guess.ambiguous and len(guess.values) > 1


@pytest.mark.parametrize("written, meant", [
    ("March 2021", "2021-03"), ("mars 2021", "2021-03"), ("marzo de 2021", "2021-03"), ("março de 2021", "2021-03"),
    ("Mar. 2021", "2021-03"), ("März 2021", "2021-03"), ("03/2021", "2021-03"), ("3/2021", "2021-03"), ("2021/03", "2021-03"),
    ("2021-3", "2021-03"), ("31.12.2021", "2021-12-31"), ("12/31/2021", "2021-12-31"), ("31/12/2021", "2021-12-31"),
    ("2021/12/31", "2021-12-31"), ("31 de março de 2021", "2021-03-31"), ("1er mars 2021", "2021-03-01"),
    ("March 31st, 2021", "2021-03-31"), ("20211231", "2021-12-31"), ("2021-03-31T10:00:00", "2021-03-31"),
    ("04/04/2021", "2021-04-04"), ("outubro de 2021", "2021-10"),
])
def test_a_date_is_read_as_people_write_them(written, meant):
    assert dates.date_text(written).values == (meant,)


def test_a_day_and_month_that_could_be_either_way_round_are_not_guessed():
    guess = dates.date_text("03/04/2021")
    assert guess.ambiguous and guess.values == ("2021-04-03", "2021-03-04")
    assert guess.note == "3 April 2021 or 4 March 2021"


@pytest.mark.parametrize("written", ["31.12.21", "yesterday", "2021", "31/31/2021", "Q1 2021", "March", "2021-2026"])
def test_what_is_not_a_readable_date_gets_no_reading(written):
    assert not dates.date_text(written)


@pytest.mark.parametrize("written, meant", [
    ("1.532.558,68", "1532558.68"), ("1,532,558.68 €", "1532558.68"), ("94,42%", "94.42"), ("EUR 2 603 783,86", "2603783.86"),
    ("€1,532,558.68", "1532558.68"), ("1\u202f532\u202f558,68", "1532558.68"), ("1'234.50", "1234.50"), ("1,5", "1.5"),
    ("0,532", "0.532"), ("3 partners", "3"), ("1,5 million", "1500000"), ("2.3 M€", "2300000"),
])
def test_a_number_is_read_as_documents_write_them(written, meant):
    assert numbers.plain_number(written).values == (meant,)


@pytest.mark.parametrize("written", ["1.532", "1,532", "532.000"])
def test_one_separator_before_three_digits_is_ambiguous(written):
    guess = numbers.plain_number(written)
    assert guess.ambiguous and len(guess.values) == 2


@pytest.mark.parametrize("written", ["1 5", "12,34,567", "1.532.55", "1.5e6", "two", "1532558.68"])
def test_what_is_not_one_number_in_another_form_gets_no_reading(written):
    assert not numbers.plain_number(written)


ROLES_BEFORE = ("lead", "partner", "associated", "funder")
ROLES_AFTER = ("funding", "accountable", "extending", "implementing", "lead", "partner", "associated", "beneficiary")


@pytest.mark.parametrize("written, before, after", [
    ("leader", "lead", "lead"), ("coordinator", "lead", "lead"), ("lead partner", "lead", "lead"), ("Chef de file", "lead", "lead"),
    ("donor", None, "funding"), ("funder", "funder", "funding"), ("financer", None, "funding"), ("bailleur de fonds", None, "funding"),
    ("implementer", None, "implementing"), ("executing agency", None, "implementing"), ("associate", "associated", "associated"),
    ("parceiro", "partner", "partner"), ("recipient", None, "beneficiary"),
])
def test_role_synonyms_suggest_only_a_value_the_field_accepts(written, before, after):
    """The same table serves the roles of today and the IATI-based ones: an entry whose value the field does not
    take is left out. ('funder' is a value of its own today, a synonym of 'funding' after.)"""
    assert synonyms.meaning(written, synonyms.ROLES, ROLES_BEFORE).values == ((before,) if before else ())
    assert synonyms.meaning(written, synonyms.ROLES, ROLES_AFTER).values == (after,)


@pytest.mark.parametrize("written, status", [("completed", "closed"), ("finished", "closed"), ("terminé", "closed"),
                                             ("en cours", "ongoing"), ("in progress", "ongoing"), ("em curso", "ongoing"),
                                             ("on hold", "suspended"), ("canceled", "cancelled"), ("annulé", "cancelled")])
def test_status_synonyms_name_the_status(written, status):
    assert synonyms.stands_for(written, synonyms.STATUSES) == status


def test_a_word_standing_for_two_values_is_refused_when_the_table_is_made():
    with pytest.raises(ValueError, match="stands for both"):
        synonyms._table({"lead": ("coordinator",), "partner": ("Coordinator",)})


class _PartnerAfter(Strict):
    """A partner as the IATI-based roles will have it: the suggestion comes from the model's Literal at runtime."""

    role: Literal["funding", "accountable", "extending", "implementing", "lead", "partner", "associated", "beneficiary"]


def _diagnose(model, text: str):
    data, positions = parse_yaml(text)
    source = SourceFile(Path("x.yaml"), "x.yaml", "project", "x", data, positions)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return diagnostics_from(caught.value, source, model)


def test_the_roles_suggested_are_read_from_the_model_as_it_is():
    (d,) = _diagnose(_PartnerAfter, "role: donor\n")
    assert (d.line, d.column, d.code, d.hint) == (1, 7, "invalid-value", "did you mean 'funding'?")
    assert "funding, accountable, extending, implementing, lead, partner, associated or beneficiary" in d.message
    (d,) = _diagnose(FICHE_TYPES["project"], "original_language: en\ntitle: {en: T}\nsummary: {en: S}\nparticipants:\n"
                                             "  - {organisation: ngo, roles: [implementer]}\n")
    assert d.hint == "did you mean 'implementing'?"


class _Ledger(Strict):
    """A decimal any reading fits: an ambiguous number is then left to the editor."""

    amount: Decimal


def test_a_number_both_readings_fit_is_left_to_the_editor():
    (d,) = _diagnose(_Ledger, "amount: '1,532'\n")
    assert d.hint == "'1,532' could mean 1532 or 1.532: write the one you mean"


def test_the_type_of_each_location_is_found_in_the_model():
    project = FICHE_TYPES["project"]
    assert field_site(project, ("countries", 3)).kind == "country"
    assert field_site(project, ("title", "FR", "[key]")).kind == "language"
    assert field_site(project, ("funding", 0, "share")).kind == "decimal"
    assert field_site(project, ("countries", 1, "country")).kind == "country"
    assert field_site(project, ("participants", 0, "roles", 1)).name == "roles"
    assert field_site(project, ("no-such-field",)) is None


def test_a_number_hint_gives_the_field_s_own_example():
    """A rate is not an amount: its hint shows 94.42, not 1532558.68."""
    project = FICHE_TYPES["project"]
    rate = explain({"type": "decimal_parsing", "input": "high", "msg": "Input should be a valid decimal"},
                   field_site(project, ("funding", 0, "share")), "funding[0].share")
    total = explain({"type": "decimal_parsing", "input": "high", "msg": "Input should be a valid decimal"},
                    field_site(project, ("budget", "amount")), "budget.amount")
    assert "e.g. 94.42," in rate.hint and "e.g. 1532558.68," in total.hint


def test_an_error_no_reader_knows_still_gets_words_and_no_regex():
    explained = explain({"type": "string_pattern_mismatch", "input": "x y", "msg": "String should match pattern '^a$'",
                         "ctx": {"pattern": "^a$"}}, None, "somewhere")
    assert explained.message == "somewhere: 'x y' is not written the way this field takes it" and explained.hint


# --- ids by acronym, name, initials or spelling ------------------------------------------------

ORGANISATIONS = [
    Candidate("aima", ("Agência para a Integração, Migrações e Asilo", "Agency for Integration, Migration and Asylum"), ("AIMA",)),
    Candidate("icmpd-vienna", ("International Centre for Migration Policy Development",), ("ICMPD",)),
    Candidate("ngo-one", ("NGO One",)),
    Candidate("alta-autoridade-para-a-imigracao", ("Alta Autoridade para a Imigração",)),
]


@pytest.mark.parametrize("word, meant, via", [
    ("AIMA", "aima", "id"), ("icmpd", "icmpd-vienna", "acronym"), ("ICMPD", "icmpd-vienna", "acronym"),
    ("Agência para a Integração, Migrações e Asilo", "aima", "name"), ("agency-for-integration-migration-and-asylum", "aima", "name"),
    ("NGO_One", "ngo-one", "id"), ("ngo-on", "ngo-one", "spelling"), ("ngoone", "ngo-one", "id"),
    ("alta-autoridade-imigracao", "alta-autoridade-para-a-imigracao", "words"),
])
def test_an_unknown_id_is_matched_by_acronym_name_or_spelling(word, meant, via):
    (match, *_) = suggest_reference(word, ORGANISATIONS)
    assert (match.id, match.via) == (meant, via)


def test_initials_of_a_name_find_it_when_no_acronym_is_given():
    index = ReferenceIndex([Candidate("agency", ("Agência para a Integração, Migrações e Asilo",))])
    assert initials("Agência para a Integração, Migrações e Asilo") == "aima"
    assert [m.id for m in index.suggest("aima")] == ["agency"]


def test_nothing_close_gives_no_suggestion():
    assert suggest_reference("zzz-unrelated", ORGANISATIONS) == []
    assert describe([], "zzz") == ""


def test_a_lookup_among_many_candidates_finds_the_same_as_among_few():
    """The index answers from its tables: two thousand look-alike organisations do not change what is found."""
    crowd = [Candidate(f"organisation-{i:04d}", (f"Organisation number {i}",)) for i in range(2000)]
    index = ReferenceIndex(ORGANISATIONS + crowd)
    assert [m.id for m in index.suggest("icmpd")] == ["icmpd-vienna"]
    assert [m.id for m in index.suggest("organisation-0042x")][0] == "organisation-0042"


# --- counts in the plural CLDR gives ---------------------------------------------------------------

@pytest.mark.parametrize("locale, count, form", [
    ("en", 1, "one"), ("en", 0, "other"), ("en", 2, "other"), ("fr", 0, "one"), ("fr", 1, "one"), ("fr", 2, "other"),
    ("fr", 1_000_000, "many"), ("pt", 0, "one"), ("pt_PT", 0, "other"), ("pt_PT", 1, "one"), ("es", 1, "one"),
    ("ru", 1, "one"), ("ru", 3, "few"), ("ru", 5, "many"), ("ru", 21, "one"), ("ar", 0, "zero"), ("ar", 2, "two"),
])
def test_the_plural_category_is_cldr_s(locale, count, form):
    assert category(count, locale) == form


def test_english_counts_on_the_command_line():
    assert [counted(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert counted(1, "entry", "entries") == "1 entry" and counted(3, "entry", "entries") == "3 entries"


CATALOGUES = {
    "en": {"list.count.one": "{count} fiche", "list.count.other": "{count} fiches", "old.count": "{count} items"},
    "fr": {"list.count.one": "{count} fiche", "list.count.many": "{count} de fiches", "list.count.other": "{count} fiches"},
    "ru": {"list.count.one": "{count} карточка", "list.count.few": "{count} карточки", "list.count.other": "{count} карточек"},
}


def test_a_catalogue_message_is_chosen_by_the_count_s_category():
    assert message(CATALOGUES["ru"], "list.count", 3, "ru") == "{count} карточки"
    assert message(CATALOGUES["ru"], "list.count", 5, "ru") == "{count} карточек", "no 'many' in the catalogue: 'other' is used"
    assert message(CATALOGUES["en"], "old.count", 1, "en") == "{count} items", "a message without plural forms still works"
    assert message(CATALOGUES["en"], "nothing", 1, "en") is None


def test_the_localizer_puts_a_count_in_the_page_language_s_plural():
    config = SiteConfig.model_validate({"title": {"en": "Plurals"}, "languages": ["en", "fr", "ru"], "fallback": ["en"]})
    catalogues = {lang: Catalogue(lang, messages) for lang, messages in CATALOGUES.items()}
    en, fr, ru = (Localizer(lang, config, catalogues) for lang in ("en", "fr", "ru"))
    assert [en.t_count("list.count", n) for n in (0, 1, 2)] == ["0 fiches", "1 fiche", "2 fiches"]
    assert [fr.t_count("list.count", n) for n in (0, 1, 2)] == ["0 fiche", "1 fiche", "2 fiches"]
    assert fr.t_count("list.count", 1_000_000) == "1\u202f000\u202f000 de fiches"
    assert [ru.t_count("list.count", n) for n in (1, 3, 5, 21)] == ["1 карточка", "3 карточки", "5 карточек", "21 карточка"]
    assert fr.t_count("old.count", 1) == "1 items", "a message only the default language has is taken from it"
    with pytest.raises(KeyError):
        en.t_count("nothing", 1)


def test_a_translator_learns_which_plural_forms_a_language_needs():
    assert categories("en") == ("one", "other") and categories("ru") == ("one", "few", "many", "other")
    assert missing_forms(CATALOGUES["ru"], "ru") == {"list.count": ["many"]}
    assert missing_forms(CATALOGUES["fr"], "fr") == {}


def _tally(tmp_path: Path, fiche: str) -> str:
    (tmp_path / "content" / "projects").mkdir(parents=True)
    (tmp_path / "fichegen.toml").write_text('title = { en = "One" }\nlanguages = ["en"]\nfallback = ["en"]\n')
    (tmp_path / "content" / "projects" / "one.yaml").write_text(fiche)
    result = CliRunner().invoke(main, ["check", "--root", str(tmp_path), "--no-cache"], catch_exceptions=False)
    return result.stderr.strip().splitlines()[-1]


def test_check_counts_one_file_and_one_problem_in_the_singular(tmp_path):
    valid = "original_language: en\ntitle: {en: One}\nsummary: {en: One fiche.}\n"
    assert _tally(tmp_path / "clean", valid) == "✓ 1 file checked, no problems."
    assert _tally(tmp_path / "one-error", valid + "countries: [Portugal]\n") == "1 file checked: 1 error, 0 warnings."
    assert _tally(tmp_path / "one-warning", valid + "related_projects:\n  - {relation: follows, project: old}\n") == \
        "1 file checked: 0 errors, 1 warning."
