"""Every rating is drawn in its own colour, in every output: judged by the hue of what is written
(tests/colours.py), not by the swatch table, so a table with Amber and Green swapped fails here
(issue 25's first escape). The window's chips and bars are in tests/ui/test_rag_colours_window.py."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
from docx import Document

from scr_desk.db.engine import Database
from scr_desk.domain.colours import NOT_RATED, RAG_SWATCHES, rag_chip_html
from scr_desk.domain.enums import Rag
from scr_desk.services import updates
from scr_desk.services.full_export import export_full
from scr_desk.services.report_docx import write_docx
from scr_desk.services.report_html import render_html
from scr_desk.services.reports import build_report
from scr_desk.services.returns_export import export_return
from scr_desk.services.tree import load_tree
from tests.colours import RAG_NAMES, colour_name, contrast, meant


def rated_four_ways(db: Database) -> Database:
    """CLARE-R1, R3 and R4 and a new action rated Red, Amber, Green and Blue by dated updates."""
    nodes = {n.reference: n.key for n in load_tree(db.sessions).walk()}
    for reference, rag in (("CLARE-R1", "Red"), ("CLARE-R3", "Amber"), ("CLARE-R4", "Green")):
        updates.add_update(db.sessions, nodes[reference], {"as_at": "01/12/2020", "narrative": "Rated", "rag": rag})
    return db


def test_each_swatch_is_the_colour_of_its_rating_with_legible_ink() -> None:
    for rag, swatch in RAG_SWATCHES.items():
        assert colour_name(swatch.fill) == rag.value
        assert contrast(swatch.fill, swatch.ink) >= 4.5, rag  # the letter on the chip is read, not guessed
    assert colour_name(NOT_RATED.fill) == "Grey"
    assert contrast(NOT_RATED.fill, NOT_RATED.ink) >= 4.5


def test_the_timeline_and_report_chips_are_the_colour_of_their_rating() -> None:
    for rag in Rag:
        [background] = re.findall(r"background-color:(#[0-9a-f]{6})", rag_chip_html(rag))
        assert colour_name(background) == rag.value


def test_the_report_colours_each_rating_as_it_names_it(sample_db: Database, tmp_path: Path) -> None:
    report = build_report(rated_four_ways(sample_db).sessions, as_of=date(2020, 12, 3))
    chips = re.findall(r'background-color:(#[0-9a-f]{6})[^>]*>&nbsp;\w&nbsp;</span> (\w+)', render_html(report))
    assert {name for _, name in chips} >= {"Red", "Amber", "Green"}
    assert all(colour_name(colour) == name for colour, name in chips), chips
    out = tmp_path / "report.docx"
    write_docx(report, out)
    coloured = [(run.text, str(run.font.color.rgb)) for table in Document(str(out)).tables for row in table.rows
                for cell in row.cells for paragraph in cell.paragraphs for run in paragraph.runs
                if run.font.color is not None and run.font.color.rgb is not None]
    said = [(re.search(r"RAG (\w+)", text), colour) for text, colour in coloured]
    assert {m.group(1) for m, _ in said if m} >= {"Red", "Amber", "Green"}
    assert all(colour_name(colour) == m.group(1) for m, colour in said if m), coloured


def test_the_return_fills_each_rating_in_its_colour(sample_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "scc.xlsx"
    export_return(sample_db.sessions, "SCC", out, period="2020-21 Q4", deadline=date(2021, 4, 14))
    book = openpyxl.load_workbook(out)
    # the instructions' legend: each rating's name on its colour
    legend = {cell.value: cell.fill.fgColor.rgb for row in book.worksheets[0].iter_rows() for cell in row
              if cell.value in RAG_NAMES}
    assert set(legend) == set(RAG_NAMES)
    assert all(colour_name(fill) == name for name, fill in legend.items()), legend
    # the Returns sheet colours the RAG and proposed RAG columns as the partner chooses
    rules = [(rule.formula[0], rule.dxf.fill.fgColor.rgb) for formatting in book["Returns"].conditional_formatting
             for rule in formatting.rules]
    chosen = [(re.search(r'="(\w+)"', formula).group(1), fill) for formula, fill in rules]  # type: ignore[union-attr]
    assert len(chosen) == 2 * len(RAG_NAMES)
    assert all(colour_name(fill) == name for name, fill in chosen), chosen


def test_the_full_workbooks_chart_draws_each_rating_in_its_colour(sample_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "full.xlsx"
    export_full(rated_four_ways(sample_db).sessions, out)
    with zipfile.ZipFile(out) as book:
        [chart] = [name for name in book.namelist() if name.startswith("xl/charts/chart")]
        xml = book.read(chart).decode()
    series = re.findall(r"<(?:c:)?ser>.*?</(?:c:)?ser>", xml, re.S)
    fills = [re.search(r'<a:srgbClr val="([0-9A-Fa-f]{6})"', one).group(1) for one in series]  # type: ignore[union-attr]
    titles = [re.search(r"<(?:c:)?tx><(?:c:)?strRef><(?:c:)?f>'?([^<'!]+)'?!\$?([A-Z]+)\$?(\d+)<", one).groups()  # type: ignore[union-attr]
              for one in series]
    sheet = openpyxl.load_workbook(out)[titles[0][0]]
    names = [sheet[f"{column}{row}"].value for _, column, row in titles]
    assert names == [*RAG_NAMES, "Not rated"]
    assert [colour_name(fill) for fill in fills] == [meant(name) for name in names]
