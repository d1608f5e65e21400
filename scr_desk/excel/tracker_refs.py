"""References as identities. "R1", "AFI1", "F1", "1.1", "SAR1.2" and another report's "AFI1" are
different references: the kind a prefix names (a recommendation, an area for improvement, a finding,
a learning point, an agency's own recommendation) is kept in the number, a recommendation's own
prefix ("R", "Rec", "Recommendation") is not, and a review named inside a reference ("DHR6/R1") names
its review. Pure reading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

REC_WORDS = {"r", "rec", "recs", "recommendation", "recommendations", "no", "number", "ref", "item"}
ACTION_WORDS = {"a", "act", "action", "actions"}
REVIEW_WORDS = {"sar", "dhr", "scr", "lcspr", "cspr", "rr", "sarrt", "dhrs", "sars"}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
         "xi": 11, "xii": 12}

_SUB = r"(?:\s*[.\-]\s*\d{1,2}|\s*\(\s*(?:[a-h]|[ivx]{1,4})\s*\)|[a-h](?![a-z])|\s+(?:[ivx]{1,4})(?=\s*$))"
_CORE = re.compile(rf"^(\d{{1,3}})((?:{_SUB}){{0,3}})$", re.IGNORECASE)
_PREFIX = re.compile(r"^([A-Za-z]{1,14})\.?\s*[-:#]?\s*(?=\d|\()")
_REVIEW_PART = re.compile(r"^(sar|dhr|scr|lcspr|cspr|rr|sarrt)\s*(\d{1,4}(?:\s*/\s*\d{2,4})?)?\s*[/:\-–]\s*(.+)$",
                          re.IGNORECASE)
_LETTER_ONLY = re.compile(r"^\(?\s*([a-h]|[ivx]{1,4})\s*\)?[.):]?$", re.IGNORECASE)
QUARTER = re.compile(r"^q(?:uarter)?\s*[1-4]\b", re.IGNORECASE)  # a period, not a reference
_OPAQUE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 ()/.\-_]{0,18}[A-Za-z0-9)]$")


@dataclass(frozen=True)
class Ref:
    """A reference as written, read as an identity."""

    written: str
    prefix: str = ""  # the kind a prefix names ('AFI', 'F', 'P'); '' for a recommendation's own
    parts: tuple[str, ...] = ()  # ('1',), ('1', '2'), ('1', 'a'), ('2', 'ii')
    review: str = ""  # a review named in the reference ('DHR 6', 'SAR')
    action: bool = False  # written as an action's ('A1', 'Action 2')
    opaque: bool = False  # an identity without structure ('NH(25/26)01')

    @property
    def depth(self) -> int:
        return len(self.parts)

    @property
    def number(self) -> str:
        """The recommendation's number as kept: its kind's prefix and first part ('AFI1', '3')."""
        if self.opaque:
            return self.written[:20]
        return f"{self.prefix}{self.parts[0]}" if self.parts else ""

    @property
    def sub(self) -> str:
        """The action's number within its recommendation ('1.2' -> '2', '1b' -> '2', '2 (iii)' -> '3'; a
        step of an action keeps its path: '1.1.2' -> '1.2', never another action's '2')."""
        return ".".join(sub_number(part) for part in self.parts[1:]) if len(self.parts) > 1 else ""

    @property
    def letter_only(self) -> bool:
        return not self.opaque and len(self.parts) == 1 and not self.parts[0].isdigit()


def sub_number(sub: str) -> str:
    """'a' -> '1', 'ii' -> '2', '03' -> '3'."""
    sub = sub.casefold()
    if sub.isdigit():
        return str(int(sub))
    if sub in ROMAN:
        return str(ROMAN[sub])
    if len(sub) == 1 and "a" <= sub <= "z":
        return str(ord(sub) - ord("a") + 1)
    return sub


def _parts(core: str) -> tuple[str, ...] | None:
    match = _CORE.match(core.strip())
    if not match:
        return None
    found = [str(int(match[1]))]
    for piece in re.findall(r"\d{1,2}|[a-h](?![a-z])|[ivx]{1,4}", match[2], re.IGNORECASE):
        found.append(str(int(piece)) if piece.isdigit() else piece.casefold())
    return tuple(found)


def parse_ref(value: object) -> Ref | None:
    """The reference a short cell holds, or None when it holds no reference (words, a date)."""
    if isinstance(value, str | int | float):
        return _parse_ref_cached(value)
    return _parse_ref(value)


@lru_cache(maxsize=8192)
def _parse_ref_cached(value: str | int | float) -> Ref | None:
    return _parse_ref(value)


def _parse_ref(value: object) -> Ref | None:
    """The reference a short cell holds, or None when it holds no reference (words, a date)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int) or isinstance(value, float) and value.is_integer():
        number = int(value)
        return Ref(str(number), parts=(str(number),)) if 0 <= number < 1000 else None
    if isinstance(value, float):  # 1.2 typed as a number
        text = repr(value)
        return Ref(text, parts=tuple(str(int(p)) for p in text.split("."))) if len(text) <= 6 else None
    text = " ".join(str(value).split()).strip(" .:–-")
    if text.endswith(")") and text.count("(") < text.count(")"):
        text = text[:-1].strip()
    if not text or QUARTER.match(text) or len(text) > 24 or re.search(r"\d{1,2}/\d{1,2}/\d{2,4}", text):
        return None
    review = ""
    if match := _REVIEW_PART.match(text):
        review = " ".join(x for x in (match[1].upper(), (match[2] or "").replace(" ", "")) if x)
        text = match[3].strip()
    head = text.split()[0].casefold().rstrip(".:") if text.split() else ""
    if head in REC_WORDS | ACTION_WORDS and len(text.split()) > 1:
        text = text[len(text.split()[0]):].strip(" .:#-")
        prefix_word = head
    else:
        prefix_word = ""
    if parts := _parts(text):
        return Ref(str(value).strip(), parts=parts, review=review, action=prefix_word in ACTION_WORDS)
    if match := _PREFIX.match(text):
        letters = match[1]
        if parts := _parts(text[match.end():]):
            word = letters.casefold()
            if word in REVIEW_WORDS:
                return Ref(str(value).strip(), parts=parts, review=review or letters.upper())
            if word in REC_WORDS:
                return Ref(str(value).strip(), parts=parts, review=review)
            if word in ACTION_WORDS:
                return Ref(str(value).strip(), parts=parts, review=review, action=True)
            if review and len(letters) >= 4:  # 'SAR-ANNA-01': after a review's type, its name, not a kind
                return Ref(str(value).strip(), parts=parts, review=f"{review} {letters.title()}")
            return Ref(str(value).strip(), prefix=letters.upper(), parts=parts, review=review)
    if match := _LETTER_ONLY.match(text):
        return Ref(str(value).strip(), parts=(match[1].casefold(),), review=review, action=True)
    if _OPAQUE.match(text) and len(text.split()) <= 3 and re.search(r"[A-Za-z]", text) and re.search(r"\d", text):
        return Ref(str(value).strip(), opaque=True, review=review)
    return None


_LEADING = re.compile(
    r"^\s*(?:(?P<word>(?i:recommendation|rec\.?|learning point|finding|area for improvement|action))\s+)?"
    r"(?P<ref>(?:[A-Z]{1,4}\s?)?\d{1,3}(?:[.\-]\d{1,2}){0,2}(?:[a-h](?![a-z])|\s?\((?:[a-h]|[ivx]{1,4})\))?)"
    r"(?P<sep>\s*[.:)\-–]\s+|\s+(?=[A-Z‘'\"“(]))(?P<rest>.+)$", re.DOTALL)


@lru_cache(maxsize=8192)
def leading_ref(text: str) -> tuple[Ref, str] | None:
    """'1.1 Refresh the guidance' -> (1.1, 'Refresh the guidance'); 'Recommendation 2: Carers' ->
    (2, 'Carers'); 'P1. Officers should…' -> (P1, …). Text that merely starts with a number
    ('14 of 20 cases were good') has no reference."""
    match = _LEADING.match(text)
    if not match:
        return None
    ref_text, rest = match["ref"], match["rest"].strip()
    if not rest or (match["sep"].strip() == "" and not match["word"] and re.fullmatch(r"\d{1,3}", ref_text)):
        return None  # '3 agencies have…': a count, not a reference
    ref = parse_ref(ref_text)
    if ref is None or ref.opaque or QUARTER.match(ref_text):
        return None
    word = (match["word"] or "").casefold().rstrip(".")
    if word in ("learning point", "finding", "area for improvement"):
        prefix = {"learning point": "LP", "finding": "F", "area for improvement": "AFI"}[word]
        ref = Ref(ref.written, prefix=ref.prefix or prefix, parts=ref.parts, review=ref.review)
    elif word == "action":
        ref = Ref(ref.written, prefix=ref.prefix, parts=ref.parts, review=ref.review, action=True)
    return ref, rest
