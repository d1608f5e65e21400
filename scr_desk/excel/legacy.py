"""The fields a hand-made tracker's columns can give, as the preview's column mapping names them.
The reading itself is in tracker_read (and the modules it names)."""

from __future__ import annotations

from scr_desk.excel.tracker_vocab import FIELDS, heading_field, normalise_heading

__all__ = ["FIELDS", "heading_field", "normalise_heading"]
