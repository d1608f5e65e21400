"""A UTF-8 character set for Qt, whatever locale the process was started with.

Qt assumes UTF-8 and complains in several lines on standard error when the locale is plain "C"
(an empty environment, a service, a bare container). CPython coerces such a locale to C.UTF-8
itself (PEP 538), but a frozen bundle's interpreter does not; doing the same here, before Qt is
loaded, keeps both quiet and file names with accents intact.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ensure_utf8_locale"]


def ensure_utf8_locale() -> None:
    if not sys.platform.startswith("linux"):
        return  # Windows and macOS give Qt their own Unicode APIs
    chosen = os.environ.get("LC_ALL") or os.environ.get("LC_CTYPE") or os.environ.get("LANG") or ""
    if "utf-8" not in chosen.lower() and "utf8" not in chosen.lower():
        os.environ.pop("LC_ALL", None)
        os.environ["LC_CTYPE"] = "C.UTF-8"
