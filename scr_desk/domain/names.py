"""Names as stored, and the one key by which two names are the same name.

A name reaches the record from a person typing it, a tracker's cell, a partner's workbook. Such
a cell can hold a control character (a stray tab, a line break, a NUL from a bad export), which
crashed every later return's printed footer. So a name is cleaned on the way in: control and
format characters, non-characters and lone surrogates go, runs of white space become one space.

Two names are one when they are the same once compatibility forms and case are folded: Unicode's
NFKC with case folding ("École", "éCOLE", "ÉCOLE" and "Ecole" in a decomposed form are one name,
"Ecole" without its accent is another). Every lookup and the database's unique key use `name_key`.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_name", "name_key"]


# Cc (controls), Cf (format: zero-width spaces, bidi marks), Cs (lone surrogates), Cn (unassigned
# and the non-characters U+FFFE/U+FFFF among them) are not part of any name anyone writes.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn"})
_SPACE_LIKE = re.compile(r"[\t\n\r\v\f\u0085\u2028\u2029]")


def clean_name(text: str) -> str:
    """A name as it is stored: nothing invisible or unwritable, single spaces, trimmed."""
    text = _SPACE_LIKE.sub(" ", text)
    if not text.isascii() or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join(text.split())


def name_key(text: str) -> str:
    """The form in which two names are compared: cleaned, NFKC, case-folded (NFKC_Casefold)."""
    folded = unicodedata.normalize("NFKC", clean_name(text)).casefold()
    return " ".join(unicodedata.normalize("NFKC", folded).split())
