"""A reference's number and the part under it, as trackers write them in a number column ('1a',
'1.2', 'R1.1', '2 (i)') or at the start of a cell ('1a. Audit the MASH'). Moved out of
tracker_readings when that module passed 400 lines."""

from __future__ import annotations

import re
from typing import Any

NUMBER = re.compile(r"^(?:recommendation|rec|no\.?|number|[a-z]{1,6})?\s*\.?\s*[-:#]?\s*(\d{1,3})\s*"
                    r"(?:(?:[.\-]\s*(\d{1,2}))|(?:\(?\s*([a-h]|[ivx]{1,4})\s*\)?))?\s*[.:)\-–]?$", re.IGNORECASE)
ACTION_ONLY = re.compile(r"^(?:action|a)?\s*\.?\s*(\d{1,2}|[a-h]|\(?[ivx]{1,4}\)?)\s*[.:)]?$", re.IGNORECASE)


def split_number(value: Any) -> tuple[str, str] | None:
    """'1a' -> ('1', 'a'); '1.2' -> ('1', '2'); 'R1.1' -> ('1', '1'); '2 (i)' -> ('2', 'i'); '3' -> ('3', '')."""
    text = " ".join(str(value).split()) if value is not None else ""
    if isinstance(value, float) and not value.is_integer():
        text = repr(value)
    match = NUMBER.match(text)
    if not match:
        return None
    return match[1], (match[2] or match[3] or "").strip("()").casefold()


LEADING_NUMBER = re.compile(r"^\s*(?:recommendation|rec\.?|learning point|finding|r)?\s*(?:"
                            r"(\d{1,3}(?:[.\-]\d{1,2}|\s*\(?[a-h]\)|[a-h]\b)?)\s*[.:)\-–]\s+"
                            r"|(\d{1,3}(?:\.\d{1,2}|[a-h]))\s+)(.+)$", re.IGNORECASE | re.DOTALL)


def leading_number(text: str) -> tuple[str, str] | None:
    """'1a. Audit the MASH' -> ('1a', 'Audit the MASH'); text without a leading number -> None."""
    match = LEADING_NUMBER.match(text)
    return ((match[1] or match[2]).replace(" ", ""), match[3].strip()) if match else None
