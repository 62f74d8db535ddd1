"""The loader reads YAML as plain strings with positions, and refuses what could run code or explode."""

import time

import pytest

from fichegen.load import LoadError, Limits, decode, parse_yaml


def test_plain_scalars_stay_strings():
    """Norway's code, a version-like number and a year-month must not become False, 1.1 and a number."""
    data, _ = parse_yaml("country: NO\npriority: 1.10\nstart: 2024-05\nyes: yes\ncount: 12\n")
    assert data == {"country": "NO", "priority": "1.10", "start": "2024-05", "yes": "yes", "count": "12"}


def test_empty_values_are_none_but_quoted_null_is_text():
    data, _ = parse_yaml("a:\nb: ~\nc: null\nd: 'null'\n")
    assert data == {"a": None, "b": None, "c": None, "d": "null"}


def test_positions_are_one_based_lines_and_columns_of_values_and_keys():
    text = "title:\n  en: Hello\npartners:\n  - organisation: x\n    role: lead\n"
    _, pos = parse_yaml(text)
    assert pos.of(("title", "en")) == (2, 7)
    assert pos.of(("partners", 0, "role")) == (5, 11)
    assert pos.of(("partners", 0, "role"), key=True) == (5, 5)
    assert pos.of(("partners", 0, "missing")) == (4, 5), "falls back to the nearest ancestor"


def test_bom_and_crlf_are_accepted():
    data, pos = parse_yaml(decode(b"\xef\xbb\xbftitle: a\r\nsummary: b\r\n"))
    assert data == {"title": "a", "summary": "b"}
    assert pos.of(("summary",)) == (2, 10)


def test_non_utf8_reports_line_column_and_byte_offset():
    with pytest.raises(LoadError) as err:
        decode(b"a: ok\nb: caf\xe9\n")
    assert (err.value.line, err.value.column, err.value.code) == (2, 7, "not-utf8")
    assert "offset 12" in err.value.message


def test_duplicate_keys_are_reported_and_the_first_value_kept():
    data, pos = parse_yaml("a: 1\nb: 2\na: 3\n")
    assert data == {"a": "1", "b": "2"}
    (problem,) = pos.problems
    assert (problem.code, problem.line, problem.column) == ("duplicate-key", 3, 1)


@pytest.mark.parametrize("text, code", [
    ("a: !!python/object:os.system x\n", "yaml-tag"),
    ("a: !include other.yaml\n", "yaml-tag"),
    ("a: !!int 3\n", "yaml-tag"),
    ("a: &x 1\nb: *x\n", "yaml-alias"),
    ("base: &b {x: 1}\nother:\n  <<: *b\n", "yaml-alias"),
    ("a:\n\t- b\n", "yaml-tab"),
    ("a: [1, 2\n", "yaml-syntax"),
])
def test_refused_constructs(text, code):
    with pytest.raises(LoadError) as err:
        parse_yaml(text)
    assert err.value.code == code


def test_billion_laughs_fails_fast():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    with pytest.raises(LoadError) as err:
        parse_yaml("\n".join(lines))
    assert err.value.code == "yaml-alias"
    assert time.perf_counter() - started < 1.0


def test_nesting_depth_is_limited():
    deep = "a: " + "[" * 50 + "]" * 50
    with pytest.raises(LoadError) as err:
        parse_yaml(deep, Limits(max_depth=20))
    assert err.value.code == "yaml-too-deep"
