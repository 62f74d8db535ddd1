"""tests/iati_rules.py, the IATI ruleset checker: one passing and one failing activity per rule type, then the
real standard.json on a complete activity and on variants that break one rule each, then a real export."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from iati_rules import RULES, Checker, Failure, check_ruleset, iati_rule_failures, registration_agencies, report
from iati_rules import standard_ruleset

ACTIVITY = "/iati-activities/iati-activity"
BUDGET = "/iati-activities/iati-activity/budget"
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=timezone.utc)
CHECKER = Checker(NOW, org_id_prefixes=frozenset({"XM-DAC", "GB-COH"}))
ID = "XM-DAC-7-P1"


def activity(body: str, attributes: str = 'xml:lang="en" default-currency="EUR"') -> etree._ElementTree:
    """One activity; its body starts on line 4."""
    text = (f'<iati-activities version="2.03">\n<iati-activity {attributes}>\n<iati-identifier>{ID}</iati-identifier>\n'
            f"{body}\n</iati-activity>\n</iati-activities>")
    return etree.ElementTree(etree.fromstring(text))


def ruleset(rule: str, case: dict, context: str = ACTIVITY) -> dict:
    return {context: {rule: {"cases": [case]}}}


def found(document, rules: dict, checker: Checker = CHECKER) -> list[tuple[str, str, str]]:
    return [(f.rule, f.identifier, f.detail) for f in check_ruleset(document, rules, checker)]


# --- every rule type, hand-written cases ------------------------------------------------------------

def test_no_more_than_one():
    rules = ruleset("no_more_than_one", {"paths": ["title"]})
    assert found(activity("<title/>"), rules) == []
    assert found(activity("<title/><title/>"), rules) == [
        ("no_more_than_one", ID, "2 found for title, at most one allowed.")]


def test_atleast_one_and_its_condition():
    rules = ruleset("atleast_one", {"paths": ["activity-date[@type='1' or @type='2']"]})
    assert found(activity('<activity-date type="2" iso-date="2020-01-01"/>'), rules) == []
    assert found(activity('<activity-date type="3" iso-date="2020-01-01"/>'), rules) == [
        ("atleast_one", ID, "None found for activity-date[@type='1' or @type='2'].")]
    conditional = ruleset("atleast_one", {"condition": "@vocabulary='99'", "paths": ["narrative"]},
                          context=ACTIVITY + "/policy-marker")
    assert found(activity('<policy-marker vocabulary="1" code="1"/>'), conditional) == []     # condition false
    assert found(activity('<policy-marker vocabulary="99" code="1"/>'), conditional) == [
        ("atleast_one", ID, "None found for narrative.")]


def test_only_one_of():
    rules = ruleset("only_one_of", {"excluded": ["recipient-country"], "paths": ["transaction/recipient-country"]})
    assert found(activity('<recipient-country code="SN"/><transaction/>'), rules) == []
    assert found(activity('<transaction><recipient-country code="SN"/></transaction>'), rules) == []
    assert found(activity('<recipient-country code="SN"/><transaction><recipient-country code="SN"/></transaction>'),
                 rules) == [("only_one_of", ID, "recipient-country is present, so transaction/recipient-country "
                                                "must not be, but 1 found.")]
    assert found(activity("<transaction/>"), rules) == [
        ("only_one_of", ID, "recipient-country is absent, so exactly one of transaction/recipient-country is "
                            "required, but 0 found.")]


def test_one_or_all():
    lang = ruleset("one_or_all", {"one": "@xml:lang", "all": "lang"})
    assert found(activity("<title><narrative>T</narrative></title>"), lang) == []
    assert found(activity('<title><narrative xml:lang="fr">T</narrative></title>', attributes=""), lang) == []
    assert found(activity('<title><narrative xml:lang="fr">T</narrative>\n<narrative>U</narrative></title>',
                          attributes=""), lang) == [
        ("one_or_all", ID, "No @xml:lang, and 1 narrative without xml:lang (line 5).")]
    currency = ruleset("one_or_all", {"one": "@default-currency", "all": "currency"})
    assert found(activity('<budget><value currency="XOF">1</value></budget>', attributes=""), currency) == []
    assert found(activity("<budget><value>1</value></budget>", attributes=""), currency) == [
        ("one_or_all", ID, "No @default-currency, and 1 amount without @currency (line 4).")]
    sector = ruleset("one_or_all", {"one": "sector", "all": "sector"})
    assert found(activity("<transaction><sector/></transaction>"), sector) == []
    assert found(activity("<transaction><sector/></transaction>\n<transaction/>"), sector) == [
        ("one_or_all", ID, "No sector, and 1 transaction without sector (line 5).")]


def test_dependent():
    rules = ruleset("dependent", {"paths": ["period-start", "period-end"]}, context=BUDGET)
    assert found(activity('<budget><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/></budget>'),
                 rules) == []
    assert found(activity("<budget/>"), rules) == []
    assert found(activity('<budget><period-start iso-date="2020-01-01"/></budget>'), rules) == [
        ("dependent", ID, "period-start present but period-end missing.")]


def test_sum_ignores_an_activity_without_values():
    rules = ruleset("sum", {"paths": ["sector/@percentage"], "sum": 100})
    assert found(activity(""), rules) == []
    assert found(activity('<sector code="15190" percentage="60"/><sector code="15136" percentage="40"/>'), rules) == []
    assert found(activity('<sector code="15190" percentage="50"/><sector code="15136" percentage="40"/>'), rules) == [
        ("sum", ID, "50 + 40 = 90, not 100 (sector/@percentage).")]


def test_strict_sum_requires_the_values_and_rounds_like_the_validator():
    rules = ruleset("strict_sum", {"condition": "count(recipient-country) > 1",
                                   "paths": ["recipient-country/@percentage"], "sum": 100})
    thirds = "".join(f'<recipient-country code="{c}" percentage="{p}"/>'
                     for c, p in (("SN", "33.33"), ("ML", "33.33"), ("NE", "33.34")))
    assert found(activity(thirds), rules) == []
    assert found(activity(thirds.replace("33.34", "33.33333").replace("33.33\"", "33.33333\"")), rules) == []
    assert found(activity('<recipient-country code="SN"/>'), rules) == []                      # condition false
    assert found(activity('<recipient-country code="SN"/><recipient-country code="ML"/>'), rules) == [
        ("strict_sum", ID, "nothing = 0, not 100 (recipient-country/@percentage).")]
    assert found(activity('<recipient-country code="SN" percentage="50"/>'
                          '<recipient-country code="ML" percentage="40"/>'), rules) == [
        ("strict_sum", ID, "50 + 40 = 90, not 100 (recipient-country/@percentage).")]
    assert found(activity('<recipient-country code="SN" percentage="50"/>'
                          '<recipient-country code="ML" percentage="49.99"/>'), rules) == [
        ("strict_sum", ID, "50 + 49.99 = 99.99, not 100 (recipient-country/@percentage).")]
    assert found(activity('<recipient-country code="SN" percentage="half"/>'
                          '<recipient-country code="ML" percentage="50"/>'), rules) == [
        ("strict_sum", ID, "Not all numbers: half + 50 (recipient-country/@percentage).")]


def test_date_order():
    rules = ruleset("date_order", {"less": "activity-date[@type='1']/@iso-date",
                                   "more": "activity-date[@type='3']/@iso-date"})
    dates = '<activity-date type="1" iso-date="{}"/><activity-date type="3" iso-date="{}"/>'
    assert found(activity(dates.format("2024-01-01", "2024-12-31")), rules) == []
    assert found(activity(dates.format("2024-01-01", "2024-01-01")), rules) == []               # equal is in order
    assert found(activity('<activity-date type="1" iso-date="2024-01-01"/>'), rules) == []       # no end: ignored
    assert found(activity(dates.format("2024-06-01", "2024-01-31")), rules) == [
        ("date_order", ID, "activity-date[@type='1']/@iso-date 2024-06-01 is after "
                           "activity-date[@type='3']/@iso-date 2024-01-31.")]
    now = ruleset("date_order", {"less": "activity-date[@type='2']/@iso-date", "more": "NOW"})
    assert found(activity('<activity-date type="2" iso-date="2026-06-15"/>'), now) == []
    assert found(activity('<activity-date type="2" iso-date="2026-06-16"/>'), now) == [
        ("date_order", ID, "activity-date[@type='2']/@iso-date 2026-06-16 is after today (2026-06-15).")]


def test_date_now():
    rules = ruleset("date_now", {"date": "@last-updated-datetime"})
    assert found(activity("", attributes='last-updated-datetime="2026-06-15T11:00:00Z"'), rules) == []
    assert found(activity("", attributes='last-updated-datetime="June"'), rules) == []          # unreadable: ignored
    assert found(activity("", attributes='last-updated-datetime="2026-06-15T13:00:00Z"'), rules) == [
        ("date_now", ID, "@last-updated-datetime 2026-06-15T13:00:00Z is after now (2026-06-15T12:00:00+00:00).")]


def test_time_limit_allows_budget_periods_of_at_most_365_days():
    rules = ruleset("time_limit", {"start": "period-start/@iso-date", "end": "period-end/@iso-date"}, context=BUDGET)
    period = '<budget><period-start iso-date="{}"/><period-end iso-date="{}"/></budget>'
    assert found(activity(period.format("2024-01-01", "2024-12-31")), rules) == []     # a leap year: 365 days
    assert found(activity(period.format("2019-01-01", "2020-01-01")), rules) == []     # a whole year, 365 days
    assert found(activity(period.format("2024-01-01", "")), rules) == []               # no end date: ignored
    assert found(activity(period.format("2024-01-01", "2025-06-30")), rules) == [      # 18 months
        ("time_limit", ID, "period-start/@iso-date 2024-01-01 to period-end/@iso-date 2025-06-30 is 546 days, "
                           "more than 365.")]
    assert found(activity(period.format("2019-06-06", "2020-06-06")), rules) == [      # across 29 February
        ("time_limit", ID, "period-start/@iso-date 2019-06-06 to period-end/@iso-date 2020-06-06 is 366 days, "
                           "more than 365.")]


def test_between_dates():
    rules = ruleset("between_dates", {"date": "value/@value-date", "start": "period-start/@iso-date",
                                      "end": "period-end/@iso-date"}, context=BUDGET)
    budget = ('<budget><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/>'
              '<value value-date="{}">1</value></budget>')
    assert found(activity(budget.format("2024-01-01")), rules) == []                  # the bounds are inside
    assert found(activity(budget.format("2024-12-31")), rules) == []
    assert found(activity(budget.format("2025-01-01")), rules) == [
        ("between_dates", ID, "value/@value-date 2025-01-01 is not between 2024-01-01 and 2024-12-31.")]


def test_regex_matches():
    rules = ruleset("regex_matches", {"regex": "^[^\\/\\&\\|\\?]+$", "paths": ["participating-org/@ref"]})
    assert found(activity('<participating-org ref="XM-DAC-7"/><participating-org ref=""/>'), rules) == []
    assert found(activity('<participating-org ref="XM-DAC-7/1"/>'), rules) == [
        ("regex_matches", ID, "participating-org/@ref 'XM-DAC-7/1' does not match ^[^\\/\\&\\|\\?]+$.")]


def test_regex_no_matches():
    rules = ruleset("regex_no_matches", {"regex": "%", "paths": ["title/narrative"]})
    assert found(activity("<title><narrative>Half</narrative></title>"), rules) == []
    assert found(activity("<title><narrative>50 % of it</narrative></title>"), rules) == [
        ("regex_no_matches", ID, "title/narrative '50 % of it' matches %.")]


def test_startswith_a_prefix_and_separator():
    rules = ruleset("startswith", {"prefix": ["reporting-org/@ref", "other-identifier[@type='B1']/@ref"],
                                   "separator": "-", "paths": ["iati-identifier"]})
    assert found(activity('<reporting-org ref="XM-DAC-7"/>'), rules) == []
    assert found(activity('<reporting-org ref="XM-DAC-9"/><other-identifier type="B1" ref="XM-DAC-7"/>'), rules) == []
    assert found(activity('<reporting-org ref="XM-DAC-7-P"/>'), rules) == [
        ("startswith", ID, "iati-identifier 'XM-DAC-7-P1' does not start with 'XM-DAC-7-P-'.")]
    python_edition = ruleset("startswith", {"start": "reporting-org/@ref", "paths": ["iati-identifier"]})
    assert found(activity('<reporting-org ref="XM-DAC"/>'), python_edition) == []
    assert found(activity('<reporting-org ref="GB-COH"/>'), python_edition) == [
        ("startswith", ID, "iati-identifier 'XM-DAC-7-P1' does not start with 'GB-COH'.")]


def test_startswith_a_registration_agency_and_the_id_condition():
    rules = ruleset("startswith", {"idCondition": "NOT_EXISTING_ORG_ID", "prefix": ["ORG-ID-PREFIX"],
                                   "paths": ["reporting-org/@ref"]})
    assert found(activity('<reporting-org ref="XM-DAC-7"/>'), rules) == []
    assert found(activity('<reporting-org ref="XX-FICHEGEN-NOT-SET"/>'), rules) == [
        ("startswith", ID, "reporting-org/@ref 'XX-FICHEGEN-NOT-SET' does not start with a registration agency "
                           "code (OrganisationRegistrationAgency).")]
    registered = Checker(NOW, org_ids=frozenset({"XX-FICHEGEN-NOT-SET"}), org_id_prefixes=CHECKER.org_id_prefixes)
    assert found(activity('<reporting-org ref="XX-FICHEGEN-NOT-SET"/>'), rules, registered) == []  # a known publisher
    assert found(activity('<reporting-org ref="XX-FICHEGEN-NOT-SET"/>'), rules, Checker(NOW)) == []  # agencies unknown


def test_id_conditions_exempt_the_identifiers_of_registered_publishers():
    """Publishers already on the IATI Registry keep their old identifiers: the rule skips them."""
    rules = ruleset("regex_matches", {"idCondition": "NOT_EXISTING_ORG_ID_PREFIX", "regex": "^[^\\/]+$",
                                      "paths": ["iati-identifier"]})
    slashed = etree.ElementTree(etree.fromstring(
        "<iati-activities><iati-activity><iati-identifier>XM-DAC-7-P/1</iati-identifier></iati-activity>"
        "</iati-activities>"))
    assert found(slashed, rules) == [
        ("regex_matches", "XM-DAC-7-P/1", "iati-identifier 'XM-DAC-7-P/1' does not match ^[^\\/]+$.")]
    assert found(slashed, rules, Checker(NOW, org_ids=frozenset({"XM-DAC-7"}))) == []
    assert found(slashed, rules, Checker(NOW, org_ids=frozenset({"XM-DAC"}))) == []
    assert found(slashed, rules, Checker(NOW, org_ids=frozenset({"XM-DAC-7-P/1"}))) != []   # a prefix, not the id


def test_unique():
    rules = ruleset("unique", {"paths": ["reporting-org/@ref", "iati-identifier"]})
    assert found(activity('<reporting-org ref="XM-DAC-7"/>'), rules) == []
    assert found(activity(f'<reporting-org ref="{ID}"/>'), rules) == [
        ("unique", ID, "'XM-DAC-7-P1' found more than once among reporting-org/@ref | iati-identifier.")]


def test_if_then_uses_xpath_booleans():
    rules = ruleset("if_then", {"if": "count(recipient-country) = 1",
                                "then": "not(recipient-country/@percentage) or recipient-country/@percentage = 100"})
    assert found(activity('<recipient-country code="SN"/>'), rules) == []
    assert found(activity('<recipient-country code="SN" percentage="100"/>'), rules) == []
    assert found(activity('<recipient-country code="SN" percentage="60"/>'), rules) == [
        ("if_then", ID, "count(recipient-country) = 1 holds, but not not(recipient-country/@percentage) or "
                        "recipient-country/@percentage = 100.")]
    node_sets = ruleset("if_then", {"if": "not(recipient-country)", "then": "transaction[recipient-country]"})
    assert found(activity('<recipient-country code="SN"/>'), node_sets) == []
    assert found(activity('<transaction><recipient-country code="SN"/></transaction>'), node_sets) == []
    assert found(activity("<transaction/>"), node_sets) == [                    # an empty node-set is false
        ("if_then", ID, "not(recipient-country) holds, but not transaction[recipient-country].")]


def test_loop_runs_its_cases_once_per_value():
    rules = ruleset("loop", {"foreach": "sector[@vocabulary != '1']/@vocabulary",
                             "do": {"strict_sum": {"cases": [{
                                 "condition": "count(sector[@vocabulary = '$1']) > 1",
                                 "paths": ["sector[@vocabulary = '$1']/@percentage"], "sum": 100}]}},
                             "subs": ["paths", "condition"]})
    sectors = ('<sector vocabulary="1" code="15190" percentage="70"/>'       # vocabulary 1 is not looped over
               '<sector vocabulary="2" code="151" percentage="{}"/><sector vocabulary="2" code="152" percentage="40"/>'
               '<sector vocabulary="99" code="A" percentage="100"/>')
    assert found(activity(sectors.format("60")), rules) == []
    failures = check_ruleset(activity(sectors.format("50")), rules, CHECKER)
    assert [(f.rule, f.identifier, f.detail) for f in failures] == [
        ("strict_sum", ID, "50 + 40 = 90, not 100 (sector[@vocabulary = '2']/@percentage).")]
    assert failures[0].case == {"condition": "count(sector[@vocabulary = '2']) > 1",
                                "paths": ["sector[@vocabulary = '2']/@percentage"], "sum": 100}


def test_evaluates_to_true():
    rules = ruleset("evaluates_to_true", {"eval": "count(title) = 1"})
    assert found(activity("<title/>"), rules) == []
    assert found(activity(""), rules) == [("evaluates_to_true", ID, "count(title) = 1 is false.")]
    number = ruleset("evaluates_to_true", {"eval": "count(title)"})       # a number: true unless 0 or NaN
    assert found(activity("<title/>"), number) == []
    assert found(activity(""), number) == [("evaluates_to_true", ID, "count(title) is false.")]
    assert found(activity(""), ruleset("evaluates_to_true", {"eval": "number('x')"})) == [
        ("evaluates_to_true", ID, "number('x') is false.")]


def test_range():
    rules = ruleset("range", {"paths": ["sector/@percentage"], "min": 0.0, "max": 100.0})
    assert found(activity('<sector code="1" percentage="0"/><sector code="2" percentage="100"/>'), rules) == []
    assert found(activity('<sector code="1" percentage="120"/><sector code="2" percentage="-1"/>'), rules) == [
        ("range", ID, "sector/@percentage '120' is not a number from 0.0 to 100.0; "
                      "sector/@percentage '-1' is not a number from 0.0 to 100.0.")]


def test_no_spaces():
    rules = ruleset("no_spaces", {"paths": ["iati-identifier"]})
    assert found(activity(""), rules) == []
    spaced = etree.ElementTree(etree.fromstring(
        "<iati-activities><iati-activity><iati-identifier> XM-DAC-7-P1\n</iati-identifier></iati-activity>"
        "</iati-activities>"))
    assert found(spaced, rules) == [
        ("no_spaces", "XM-DAC-7-P1", "iati-identifier ' XM-DAC-7-P1\\n' starts or ends with white space.")]


def test_every_rule_type_of_the_spec_is_implemented_and_camel_case_names_are_accepted():
    spec_rules = {"no_more_than_one", "atleast_one", "only_one_of", "one_or_all", "dependent", "sum", "date_order",
                  "date_now", "time_limit", "between_dates", "regex_matches", "regex_no_matches", "startswith",
                  "unique", "if_then", "strict_sum", "no_spaces", "range", "evaluates_to_true"}
    assert spec_rules == set(RULES)          # and `loop`, which runs the others
    assert found(activity(""), ruleset("atLeastOne", {"paths": ["title"]})) == [
        ("atleast_one", ID, "None found for title.")]


def test_an_unknown_rule_type_is_an_error_not_a_pass():
    with pytest.raises(ValueError, match="unknown rule type 'at_most_two'"):
        check_ruleset(activity(""), ruleset("at_most_two", {"paths": ["title"]}), CHECKER)


def test_a_failure_names_its_rule_activity_and_line():
    rules = {BUDGET: {"time_limit": {"cases": [{
        "start": "period-start/@iso-date", "end": "period-end/@iso-date",
        "ruleInfo": {"id": "7.5.3", "severity": "error",
                     "message": "Budget Period must not be longer than one year."}}]}}}
    document = activity('<title/>\n<budget><period-start iso-date="2024-01-01"/><period-end iso-date="2025-06-30"/>'
                        "</budget>")
    [failure] = check_ruleset(document, rules, CHECKER)
    assert (failure.rule_id, failure.severity, failure.context, failure.identifier, failure.line) == (
        "7.5.3", "error", BUDGET, ID, 5)
    assert str(failure) == ("XM-DAC-7-P1, line 5: [error] 7.5.3 time_limit: Budget Period must not be longer than "
                            "one year. period-start/@iso-date 2024-01-01 to period-end/@iso-date 2025-06-30 is "
                            "546 days, more than 365.")
    assert report([]) == "no failure"


# --- the IATI Standard's ruleset (shared/iati-rulesets/standard.json) --------------------------------

COMPLETE = f"""<iati-activities version="2.03" generated-datetime="2026-06-01T00:00:00Z">
<iati-activity xml:lang="en" default-currency="EUR" last-updated-datetime="2026-06-01T00:00:00Z">
  <iati-identifier>{ID}</iati-identifier>
  <reporting-org ref="XM-DAC-7" type="10"><narrative>Ministry</narrative></reporting-org>
  <title><narrative>Migration and development</narrative>
    <narrative xml:lang="fr">Migration et développement</narrative></title>
  <description type="1"><narrative>What it does.</narrative></description>
  <participating-org ref="XM-DAC-7" role="1" type="10"><narrative>Ministry</narrative></participating-org>
  <participating-org role="4"><narrative>An association</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2025-01-01"/>
  <activity-date type="3" iso-date="2026-12-31"/>
  <recipient-country code="SN" percentage="60"/>
  <recipient-country code="ML" percentage="40"/>
  <sector vocabulary="1" code="15190" percentage="100"/>
  <budget type="1" status="1"><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
    <value value-date="2025-01-01">100000</value></budget>
  <budget type="1" status="1"><period-start iso-date="2026-01-01"/><period-end iso-date="2026-12-31"/>
    <value value-date="2026-01-01">100000</value></budget>
</iati-activity>
</iati-activities>"""


def standard_failures(*replacements: tuple[str, str]) -> list[tuple[str, str, str]]:
    """(rule id, rule, detail) of the standard ruleset's failures on COMPLETE after the replacements."""
    text = COMPLETE
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    checker = Checker(NOW, org_id_prefixes=registration_agencies())
    return [(f.rule_id, f.rule, f.detail)
            for f in check_ruleset(etree.ElementTree(etree.fromstring(text)), standard_ruleset(), checker)]


def test_every_rule_type_of_standard_json_is_implemented():
    used = set()
    for rules in standard_ruleset().values():
        for rule, spec in rules.items():
            used.add(rule)
            if rule == "loop":
                used.update(sub for case in spec["cases"] for sub in case["do"])
    assert used - {"loop"} <= set(RULES)


def test_a_complete_activity_passes_the_standard_ruleset():
    assert standard_failures() == []


def test_an_18_month_budget_breaks_the_one_year_limit():
    assert standard_failures(('<period-end iso-date="2025-12-31"/>', '<period-end iso-date="2026-06-30"/>')) == [
        ("7.5.3", "time_limit", "period-start/@iso-date 2025-01-01 to period-end/@iso-date 2026-06-30 is 545 days, "
                                "more than 365.")]


def test_sector_percentages_summing_to_90_break_the_sum():
    assert standard_failures(('<sector vocabulary="1" code="15190" percentage="100"/>',
                              '<sector vocabulary="1" code="15190" percentage="60"/>'
                              '<sector vocabulary="1" code="15136" percentage="30"/>')) == [
        ("2.1.2", "strict_sum", "60 + 30 = 90, not 100 (sector[@vocabulary = '1' or @vocabulary = '' or "
                                "not(@vocabulary)]/@percentage).")]


def test_an_end_before_the_start_breaks_the_date_order():
    assert standard_failures(('<activity-date type="3" iso-date="2026-12-31"/>',
                              '<activity-date type="4" iso-date="2024-06-30"/>')) == [
        ("11.1.3", "date_order", "activity-date[@type='2']/@iso-date 2025-01-01 is after "
                                 "activity-date[@type='4']/@iso-date 2024-06-30.")]


def test_an_activity_without_sector_or_with_shares_that_do_not_add_up():
    assert standard_failures(('<sector vocabulary="1" code="15190" percentage="100"/>', "")) == [
        ("6.2.2", "atleast_one", "None found for sector | transaction/sector.")]
    assert standard_failures(('percentage="40"', 'percentage="30"')) == [
        ("3.1.2", "strict_sum", "60 + 30 = 90, not 100 (recipient-country/@percentage).")]
    assert standard_failures(('<recipient-country code="ML" percentage="40"/>', "")) == [
        ("3.1.4", "if_then", "count(recipient-country) = 1 and not(recipient-region) holds, but not "
                             "not(recipient-country/@percentage) or recipient-country/@percentage = 100.")]


def test_an_actual_date_in_the_future_and_an_unregistered_reporting_organisation():
    assert standard_failures(('type="2" iso-date="2025-01-01"', 'type="2" iso-date="2026-07-01"')) == [
        ("11.1.4", "date_order", "activity-date[@type='2']/@iso-date 2026-07-01 is after today (2026-06-15).")]
    assert standard_failures(('<reporting-org ref="XM-DAC-7"', '<reporting-org ref="XM-NOPE-7"'),
                             ("<iati-identifier>XM-DAC-7-P1", "<iati-identifier>XM-NOPE-7-P1")) == [
        ("1.14.8", "startswith", "reporting-org/@ref 'XM-NOPE-7' does not start with a registration agency code "
                                 "(OrganisationRegistrationAgency).")]


# --- a real export --------------------------------------------------------------------------------------

def test_the_checker_runs_on_a_real_export(tmp_path):
    """The checker on a file fichegen made (the IATI fixture site: the showcase states no sector yet, so it has no
    IATI file): how it reports what it finds. What the export must pass is tests/test_iati.py's business."""
    from fichegen.build import build

    root = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "fixtures" / "iati", root)
    assert build(root, root / "site", search=False).ok
    path = root / "site" / "data" / "iati-activities.xml"
    failures = iati_rule_failures(path, now=NOW)
    print(f"\nIATI ruleset failures of the fixture export ({len(failures)}):\n{report(failures)}")
    identifiers = etree.parse(str(path)).getroot().xpath("iati-activity/iati-identifier/text()")
    rule_ids = {case["ruleInfo"]["id"] for rules in standard_ruleset().values() for spec in rules.values()
                for case in spec["cases"] if "ruleInfo" in case}
    assert failures      # the placeholder reporting-org ref draws a warning on each activity
    for failure in failures:
        assert isinstance(failure, Failure)
        assert failure.identifier in identifiers and failure.rule in RULES
        assert failure.rule_id in rule_ids and failure.severity in ("error", "warning")
        assert failure.message and failure.detail and failure.line > 0
    assert failures == iati_rule_failures(path, now=NOW)       # the same file gives the same failures
