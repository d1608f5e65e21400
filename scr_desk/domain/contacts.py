"""An agency's contact details: email addresses checked for form (never sent anywhere), and the
short codes people write for agencies.

Several addresses are stored in one field, "; "-separated in the order given, so the full
workbook and the dump carry them as one readable cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import getaddresses

__all__ = ["AddressError", "SEPARATOR", "join_addresses", "parse_addresses", "split_addresses", "suggest_code"]


SEPARATOR = "; "
# A dot-atom address as people type it: no spaces, one @, a domain with a dot in it. The standard
# library parses leniently (a bare word is an "address" to it), so the form is checked here too.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


class AddressError(ValueError):
    """Something given as an email address is not one."""


def parse_addresses(given: str | Iterable[str]) -> list[str]:
    """The addresses in `given` (one text with ";", "," or line breaks between them, or several
    texts), as bare addresses in the order given, each once; AddressError naming the first that
    is not an address. "J Smith <j.smith@police.example>" gives "j.smith@police.example"."""
    texts = [given] if isinstance(given, str) else list(given)
    pieces = [piece.strip() for text in texts for piece in re.split(r"[;\n]", text or "") if piece.strip()]
    found: list[str] = []
    for piece in pieces:
        parsed = getaddresses([piece])
        if not parsed or any(not address for _name, address in parsed):
            raise AddressError(f"{piece!r} is not an email address")
        for _name, address in parsed:
            if not _ADDRESS.match(address) or ".." in address:
                raise AddressError(f"{address!r} is not an email address (name@organisation.org.uk, say)")
            if address.casefold() not in (a.casefold() for a in found):
                found.append(address)
    return found


def join_addresses(addresses: Iterable[str]) -> str:
    return SEPARATOR.join(addresses)


def split_addresses(stored: str) -> list[str]:
    """The addresses as stored (already checked when they were saved)."""
    return [piece.strip() for piece in (stored or "").split(";") if piece.strip()]


_SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "at", "to"}


def suggest_code(name: str) -> str:
    """The short code people write for an agency: the initials of its significant words, with an
    acronym kept whole and a possessive part of its word ("Children's Social Care" -> "CSC",
    "Hampshire Constabulary" -> "HC", "NHS England" -> "NHSE"); a one-word name is the word
    itself ("Police" -> "POLICE"). Words in brackets ("(illustrative)") are not part of it."""
    plain = re.sub(r"\([^)]*\)", " ", name)
    words = [w for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", plain) if w.casefold() not in _SMALL_WORDS]
    if not words:
        return "AG"
    if len(words) == 1:
        return _ascii(words[0]).upper()[:8] or "AG"
    parts = [word if len(word) > 1 and word.isupper() else word[0] for word in words]
    return _ascii("".join(parts)).upper()[:10] or "AG"


def _ascii(text: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalnum())
