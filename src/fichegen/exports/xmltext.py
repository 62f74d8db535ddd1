"""Text from fiches made fit for XML 1.0: characters XML cannot carry at all are dropped.

Escaping of < > & and quotes is left to the XML serializer; this only removes what no escaping can
carry (control characters other than tab and newlines, lone surrogates, U+FFFE/U+FFFF), which YAML's
double-quoted escapes would otherwise let through into an unreadable file.
"""

from __future__ import annotations

import re

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
