"""A fiche written for the first content model gets the new shape explained, once, at the old key."""

import shutil
from pathlib import Path

from fichegen.check import check

FIXTURES = Path(__file__).parent / "fixtures"

OLD = """original_language: en
title: {en: An old fiche}
summary: {en: Written for fichegen 0.1.}
programme: cadses
funding:
  currency: EUR
  total: "1000000"
  contribution:
    rate: "50"
    fund: amif
partners:
  - organisation: aima
    role: lead
partner_count: 12
"""


def test_each_old_field_is_explained_with_the_shape_to_write(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal", root)
    (root / "content" / "projects" / "old.yaml").write_text(OLD, encoding="utf-8")
    found = {d.message.split("`")[1]: d for d in check(root).diagnostics}
    assert set(found) == {"programme", "funding", "partners", "partner_count"}
    assert {d.code for d in found.values()} == {"old-shape"}
    assert [found[k].line for k in ("programme", "funding", "partners", "partner_count")] == [4, 5, 11, 14]
    assert "budget:\n  amount: \"1000000\"\n  currency: EUR" in found["funding"].hint
    assert "share: \"50\"" in found["funding"].hint and "fund: amif" in found["funding"].hint
    assert "roles: [lead, implementing]" in found["partners"].hint
    assert "count: 11" in found["partner_count"].hint        # twelve partners, one of them named
    assert "- programme: cadses" in found["programme"].hint
