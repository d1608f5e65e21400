"""The panel report is whole: PDF and Word hold the same content for several reviews, the
window's PDF equals the command line's, and hostile text (control characters, a huge update)
is written safely and bounded with a visible note."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from scr_desk.db.engine import Database, open_database
from scr_desk.domain.dto import ItemKey
from scr_desk.rendering.report_pdf import write_report
from scr_desk.services import updates
from scr_desk.services.report_content import action_row, detail_rows
from scr_desk.services.reports import TEXT_LIMIT, PanelReport, build_report
from scr_desk.services.sample import load_sample
from scr_desk.services.synthetic import QUICK, add_synthetic_data
from scr_desk.ui.main_window import MainWindow
from scr_desk.ui.report_dialog import ReportRequest
from tests.ui.window_helpers import trigger

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def _flat(text: str) -> str:
    """Text as both extractions can agree on it: ligatures (pdftotext gives "ﬂ") unfolded, any
    run of white space one space, and hyphens left out (pdftotext joins "multi-" and "agency"
    broken across two lines into "multiagency")."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"-\s*", "", " ".join(text.split()))


def pdf_text(path: Path) -> str:
    return _flat(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)


def docx_text(path: Path) -> str:
    import docx
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return _flat("\n".join(parts))


def expected_content(report: PanelReport) -> tuple[list[str], list[str]]:
    """Every review heading and summary, every recommendation heading and text (each whole), and
    every row of its table (status, panel assurance, target, latest update, actions) and each
    action's cells: the Word and the PDF say the same things. (Text extracted from a PDF table
    of several columns interleaves wrapped cells, so those are compared word by word there.)"""
    whole, cells = [], []
    for section in report.sections:
        whole += [f"{section.review_type}: {section.name}", section.summary]
        for line in section.lines:
            whole += [f"Recommendation {line.number} ({line.reference})", line.text]
            cells += [value for label, value in detail_rows(line) if label != "Status"]
            cells += [line.status_text, line.change]
            cells += [cell for action in line.action_lines for cell in action_row(action)]
    return [_flat(w) for w in whole], [_flat(c) for c in cells]


def _missing(text: str, whole: list[str], cells: list[str], cells_whole: bool) -> list[str]:
    present = set(text.split())
    missing = [w[:60] for w in whole if w not in text]
    if cells_whole:
        return missing + [c[:60] for c in cells if c not in text]
    return missing + [c[:60] for c in cells if not set(c.split()) <= present]


def test_pdf_and_word_hold_the_same_content_for_several_reviews(qapp: Any, db: Database, tmp_path: Path) -> None:
    add_synthetic_data(db.sessions, QUICK)
    report = build_report(db.sessions, as_of=date(2024, 6, 1))
    assert len(report.sections) >= 5
    assert write_report(report, tmp_path / "r.pdf") > 5
    assert write_report(report, tmp_path / "r.docx") == 0
    pdf, word = pdf_text(tmp_path / "r.pdf"), docx_text(tmp_path / "r.docx")
    whole, cells = expected_content(report)
    assert any(line.action_lines for section in report.sections for line in section.lines)
    missing_pdf, missing_word = _missing(pdf, whole, cells, False), _missing(word, whole, cells, True)
    assert not missing_pdf and not missing_word, (missing_pdf[:5], missing_word[:5])


def test_the_windows_pdf_equals_the_command_lines(qtbot: QtBot, make_window: Callable[..., MainWindow],
                                                 empty_db_path: Path, tmp_path: Path) -> None:
    database = open_database(empty_db_path)
    add_synthetic_data(database.sessions, QUICK)
    load_sample(database.sessions)
    database.close()
    window = make_window(empty_db_path)
    window.prompts.answers["report_request"] = ReportRequest(("Clare", "Child A0"), date(2020, 12, 3), "",
                                                             tmp_path / "window.pdf")
    window.prompts.answers["confirm"] = False
    trigger(window, "report")
    qtbot.waitUntil(lambda: (tmp_path / "window.pdf").exists() and not window.runner.busy, timeout=20000)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-m", "scr_desk", "report", "--db", str(window.workspace.path), "--review",
                    "Clare", "--review", "Child A0", "--as-of", "03/12/2020", "--out", str(tmp_path / "cli.pdf")],
                   check=True, capture_output=True, env=env, timeout=120)
    ours, theirs = pdf_text(tmp_path / "window.pdf"), pdf_text(tmp_path / "cli.pdf")
    assert ours == theirs
    assert "Clare" in ours and "Child A0" in ours and _flat("Recommendation 4 (CLARE-R4)") in ours


def test_control_characters_and_a_huge_update_are_written_safely(qapp: Any, sample_db: Database,
                                                                 tmp_path: Path) -> None:
    report = build_report(sample_db.sessions)
    rec = report.sections[0].lines[0]
    from scr_desk.services.tree import load_tree
    tree = load_tree(sample_db.sessions)
    rec_id = next(n.id for n in tree.walk() if n.reference == rec.reference)
    huge = "Audit of referrals\x01 with a form feed\x0c and a vertical\x0btab. " + "x" * (TEXT_LIMIT * 3)
    updates.add_update(sample_db.sessions, ItemKey.recommendation(rec_id), {"narrative": huge})
    report = build_report(sample_db.sessions)
    write_report(report, tmp_path / "r.docx")  # python-docx refused any control character before
    write_report(report, tmp_path / "r.pdf")
    note = f"(continues: {len(huge) - TEXT_LIMIT:,} more characters in the database)"
    for text in (docx_text(tmp_path / "r.docx"), pdf_text(tmp_path / "r.pdf")):
        assert "Audit of referrals with a form feed and a vertical tab." in text
        assert note in text
