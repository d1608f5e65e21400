"""Text that survives a trip through a workbook exactly.

- Text is always written as text: openpyxl would store a string starting with '=' as a formula,
  so such cells get data type 's' and Excel's quote prefix (which also stops Excel from
  re-reading '+', '-', '@' as the start of a formula when a partner edits the cell).
- XML cannot hold control characters or lone surrogates (and turns CR into LF); they are
  written with Excel's own escape, _xHHHH_, and a literal "_x" that would look like one is escaped as _x005F_ (Excel's
  rule), so `unescape` gives back the original text exactly.
- A cell holds at most 32,767 characters; longer text is split into parts by `split_long`.
"""

from __future__ import annotations

import re

__all__ = [
    "EXCEL_MAX_CHARS", "FORMULA_STARTS", "escape", "escape_for_full", "needs_quote_prefix", "protect_nonchars",
    "restore_nonchars", "split_long", "truncate_for_display", "unescape",
]


EXCEL_MAX_CHARS = 32767
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# Characters XML 1.0 cannot carry, lone surrogates, and CR, which XML parsers turn into LF
# (Excel escapes it as _x000D_ for the same reason). Tab and LF pass through.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """Make any Python string writable to a cell, reversibly."""
    text = _LOOKS_ESCAPED.sub("_x005F_", text)
    return _UNWRITABLE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    """Undo `escape` (and Excel's own _xHHHH_ escapes, such as _x000D_ for a carriage return)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def needs_quote_prefix(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def split_long(text: str, limit: int = EXCEL_MAX_CHARS) -> list[str]:
    """Cut (escaped) text into cell-sized parts without splitting an escape sequence in two.

    Escapes are found left to right exactly as a reader decodes them (in `_x005F_x0041_` the
    first escape is `_x005F_`, and `x0041_` is plain text), and a cut never falls inside one.
    A part is at most `limit` UTF-16 units, Excel's measure (a character beyond U+FFFF is two).
    """
    if len(text) * 2 <= limit:  # even if every character took two UTF-16 units, it fits: most text
        return [text]
    parts: list[str] = []
    start, total = 0, len(text)
    while start < total:
        end = min(start + limit, total)
        while len(text[start:end].encode("utf-16-le")) // 2 > limit:
            end -= (len(text[start:end].encode("utf-16-le")) // 2 - limit)
        if end < total:
            for match in _ESCAPED.finditer(text, start, min(total, end + 6)):
                if match.start() < end < match.end():
                    end = match.start()
                    break
        parts.append(text[start:end])
        start = end
    return parts or [text]


# The full workbook must give back every code point. XML cannot carry U+FFFE, U+FFFF or lone
# surrogates even escaped as _xHHHH_: readers leave such an escape as it is, so "\ufffe" and the
# typed text "_xFFFE_" would read back alike. For the full workbook these few code points (and the
# escape character) get a second escape layer of the same form, undone after reading.
_NONCHAR_CODES = re.compile(r"_x(005[Ff]|[Ff]{3}[EeFf]|[Dd][89A-Fa-f][0-9A-Fa-f]{2})_")
_LOOKS_NONCHAR = re.compile(r"_(?=x(?:005[Ff]|[Ff]{3}[EeFf]|[Dd][89A-Fa-f][0-9A-Fa-f]{2})_)")
_NONCHARS = re.compile("[\ufffe\uffff\ud800-\udfff]")


def protect_nonchars(text: str) -> str:
    """The full workbook's extra layer: U+FFFE, U+FFFF and surrogates as _xHHHH_ text."""
    if "_x" not in text and not _NONCHARS.search(text):
        return text
    text = _LOOKS_NONCHAR.sub("_x005F_", text)
    return _NONCHARS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


_NEEDS_ESCAPING = re.compile("_x|[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape_for_full(text: str) -> str:
    """`escape(protect_nonchars(text))`, with one quick look first: nearly all text needs neither."""
    if not _NEEDS_ESCAPING.search(text):
        return text
    return escape(protect_nonchars(text))


def restore_nonchars(text: str) -> str:
    """Undo `protect_nonchars` on text as read back (after the reader's own unescaping)."""
    if "_x" not in text:
        return text
    return _NONCHAR_CODES.sub(lambda m: chr(int(m.group(1), 16)), text)


def truncate_for_display(text: str, limit: int = EXCEL_MAX_CHARS) -> tuple[str, bool]:
    """For read-only context columns: the start of the text and a note that it was cut."""
    if len(text) <= limit:
        return text, False
    note = " […truncated: the full text is in SCR Desk]"
    return text[: limit - len(note)] + note, True
