"""A tracker kept in a Word document (.docx): each table is a grid, with the paragraphs between it
and the table before (which name it), cell shading (a RAG shown by colour), links and comments. Text
is read as Word's final view shows it: tracked insertions in, tracked deletions out."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from scr_desk.excel.guard import WorkbookError, check_archive, check_plain_file
from scr_desk.excel.reader import MAX_COLUMNS, MAX_DATA_ROWS
from scr_desk.excel.tracker_source import Grid, Paragraph, TrackerBook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OPENING_PARAGRAPHS = 8  # the document's first lines: its title, before any table
HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def read_docx(path: Path) -> TrackerBook:
    path = Path(path)
    check_plain_file(path, "tracker")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(path, "this is not a Word document (.docx) that can be read; an old-style .doc "
                                  "must be saved as .docx first")
    if check_archive(path, "tracker").kind != "docx":  # every part and table cell counted before python-docx
        raise WorkbookError(path, "this is a zip archive but not a Word document")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several types for a broken file
        raise WorkbookError(path, f"the Word document could not be read ({' '.join(str(exc).split())[:120]})") from None
    reader = _Reader(path, document)
    try:
        reader.read()
    except WorkbookError:
        raise
    except Exception as exc:  # noqa: BLE001 - a table python-docx cannot lay out (a damaged merge, say)
        raise WorkbookError(path, f"a table could not be read ({' '.join(str(exc).split())[:120]})") from None
    if not reader.grids:
        raise WorkbookError(path, "the Word document holds no table; an action plan is imported from its table")
    book = TrackerBook(path, False, list(reader.grids), opening=reader.opening, closing=reader.closing)
    return book


class _Reader:
    def __init__(self, path: Path, document: Any) -> None:
        self.path = path
        self.document = document
        self.grids: list[Grid] = []
        self.opening: list[Paragraph] = []
        self.closing: list[Paragraph] = []  # the paragraphs after the last table (a key, a source line)
        self.comments = _comments(document)
        self.links = {rid: rel.target_ref for rid, rel in document.part.rels.items() if rel.is_external}
        self.styles: dict[str, str] = {}
        for style in document.styles:
            try:
                self.styles[style.style_id] = style.name or ""
            except Exception:  # noqa: BLE001,S112 - a style without a name is simply not a heading
                continue

    def read(self) -> None:
        for section in self.document.sections:  # the page header often names the partnership
            for part in (section.header, section.first_page_header):
                try:
                    texts = [_text(p) for p in part._element.iter(f"{W}p")] if not part.is_linked_to_previous else []
                except Exception:  # noqa: BLE001,S112 - a section without its own header
                    continue
                self.opening += [Paragraph(t) for t in texts if t]
        above: list[Paragraph] = []
        first = True
        for child in self._blocks(self.document.element.body):
            tag = child.tag.removeprefix(W)
            if tag == "p":
                text = _text(child)
                if text:
                    paragraph = Paragraph(text, self._is_heading(child, text))
                    above.append(paragraph)
                    if first and len(self.opening) < OPENING_PARAGRAPHS + 4:
                        self.opening.append(paragraph)
            elif tag == "tbl":
                first = False
                table = self._table(child, above)
                if not above and self.grids and _continues(self.grids[-1], table):
                    _join(self.grids[-1], table)  # a table split by a page break: one table
                else:
                    self.grids.append(table)
                above = []
        self.closing = above
        title = (self.document.core_properties.title or "").strip()
        if title:
            self.opening.append(Paragraph(title))

    def _blocks(self, parent: Any) -> Any:
        """Paragraphs and tables in document order, content controls opened."""
        for child in parent.iterchildren():
            tag = child.tag.removeprefix(W)
            if tag in ("p", "tbl"):
                yield child
            elif tag in ("sdt", "sdtContent", "customXml"):
                yield from self._blocks(child)

    def _style(self, paragraph: Any) -> str:
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        return self.styles.get(style.get(f"{W}val") or "", "") if style is not None else ""

    def _is_heading(self, paragraph: Any, text: str) -> bool:
        name = self._style(paragraph)
        if name.startswith("Heading") or name in ("Title", "Subtitle"):
            return True
        runs = [r for r in paragraph.iter(f"{W}r") if (r.findtext(f"{W}t") or "").strip()]
        return bool(runs) and all(_bold(r) for r in runs) and len(text.split()) <= 20

    def _table(self, table: Any, above: list[Paragraph]) -> Grid:
        import docx.table

        number = len(self.grids) + 1
        name = f"Table {number}"
        wrapped = docx.table.Table(table, self.document)
        grid = Grid(name, True, [], [], kind="table", index=number - 1, above=list(above))
        starts: dict[int, int] = {}  # column -> row (0-based) where a cell merged down began
        previous: list[Any] = []
        rows = wrapped.rows
        if len(rows) > MAX_DATA_ROWS:
            raise WorkbookError(self.path, f"more than {MAX_DATA_ROWS:,} rows in one table", sheet=name)
        for r, row in enumerate(rows):
            cells = list(row.cells)[:MAX_COLUMNS]
            values: list[Any] = []
            span_start = 0
            for c, cell in enumerate(cells):
                tc = cell._tc
                if c > 0 and tc is cells[c - 1]._tc:  # merged across
                    values.append(None)
                    if c == len(cells) - 1 or cells[c + 1]._tc is not tc:
                        grid.merged.append((r, span_start, r, c))
                    continue
                span_start = c
                if c < len(previous) and tc is previous[c]:  # merged down
                    values.append(None)
                    starts.setdefault(c, r - 1)
                    continue
                if c in starts:
                    grid.merged.append((starts.pop(c), c, r - 1, c))
                values.append(self._cell(tc, grid, r + 1, c + 1))
            for c in [c for c in starts if c >= len(cells) or cells[c]._tc is not previous[c]]:
                grid.merged.append((starts.pop(c), c, r - 1, c))
            previous = [cell._tc for cell in cells]
            while values and values[-1] is None:
                values.pop()
            grid.rows.append(values)
        for c, start in starts.items():
            grid.merged.append((start, c, len(rows) - 1, c))
        while grid.rows and not grid.rows[-1]:
            grid.rows.pop()
        return grid

    def _cell(self, tc: Any, grid: Grid, row: int, column: int) -> str | None:
        lines = []
        for paragraph in tc.iter(f"{W}p"):
            text = _text(paragraph)
            if text:
                listed = paragraph.find(f"{W}pPr/{W}numPr") is not None or "List" in self._style(paragraph)
                lines.append(f"• {text}" if listed and not text.startswith("•") else text)
        shading = tc.find(f"{W}tcPr/{W}shd")
        fill = shading.get(f"{W}fill") if shading is not None else None
        if fill and HEX.match(fill) and set(fill.upper()) not in ({"F"}, {"0"}):  # white or black: unshaded
            grid.fills[(row, column)] = fill.upper()
        notes = [self.comments[ref.get(f"{W}id")] for ref in tc.iter(f"{W}commentReference")
                 if ref.get(f"{W}id") in self.comments]
        if notes:
            grid.comments[(row, column)] = " ".join(notes)
        addresses = [self.links[link.get(R_ID)] for link in tc.iter(f"{W}hyperlink") if link.get(R_ID) in self.links]
        if addresses:
            grid.links[(row, column)] = " ".join(addresses)
        if any(_bold(r) for r in tc.iter(f"{W}r") if (r.findtext(f"{W}t") or "").strip()):
            grid.bold.add((row, column))
        return "\n".join(lines) or None


def _continues(before: Grid, table: Grid) -> bool:
    """A table straight after another (no words between) with as many columns: its continuation."""
    return bool(before.rows and table.rows) and before.width == table.width and before.width >= 2


def _join(before: Grid, table: Grid) -> None:
    offset = len(before.rows)
    before.rows.extend(table.rows)
    before.merged.extend((r0 + offset, c0, r1 + offset, c1) for r0, c0, r1, c1 in table.merged)
    for mine, theirs in ((before.fills, table.fills), (before.links, table.links), (before.comments, table.comments)):
        mine.update({(row + offset, column): value for (row, column), value in theirs.items()})
    before.bold |= {(row + offset, column) for row, column in table.bold}


def _bold(run: Any) -> bool:
    mark = run.find(f"{W}rPr/{W}b")
    return mark is not None and mark.get(f"{W}val") not in ("0", "false", "off")


def _text(paragraph: Any) -> str:
    """A paragraph's words as Word's final view shows them: insertions kept, deletions dropped,
    field codes left out, tabs and line breaks as spaces and new lines."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag.removeprefix(W) if isinstance(child.tag, str) else ""
            if tag in ("del", "moveFrom", "instrText", "delText", "rPr", "pPr", "commentReference"):
                continue
            if tag == "t":
                parts.append(child.text or "")
            elif tag == "tab":
                parts.append(" ")
            elif tag in ("br", "cr"):
                parts.append("\n")
            else:
                walk(child)

    walk(paragraph)
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n")).strip()


def _comments(document: Any) -> dict[str, str]:
    """Comment id -> its words (python-docx 1.2 reads comments; an older one gives none)."""
    found: dict[str, str] = {}
    try:
        for comment in document.comments:
            text = " ".join(str(comment.text or "").split())
            if text:
                author = (comment.author or "").strip()
                found[str(comment.comment_id)] = f"{text} ({author})" if author and author not in text else text
    except Exception:  # noqa: BLE001 - no comments part, or a python-docx without comments
        return found
    return found
