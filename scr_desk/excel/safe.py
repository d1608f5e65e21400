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
    """Cut text into cell-sized parts without splitting an escape sequence in two."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        # never end a part inside "_xHHHH_"
        cut = text.rfind("_x", max(start, end - 6), end)
        if cut > start and end < len(text) and _ESCAPED.match(text, cut) and cut + 7 > end:
            end = cut
        parts.append(text[start:end])
        start = end
    return parts


def truncate_for_display(text: str, limit: int = EXCEL_MAX_CHARS) -> tuple[str, bool]:
    """For read-only context columns: the start of the text and a note that it was cut."""
    if len(text) <= limit:
        return text, False
    note = " […truncated: the full text is in SCR Desk]"
    return text[: limit - len(note)] + note, True
