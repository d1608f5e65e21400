"""A return belongs to the database that sent it: none is ever made for one, and a return taken
to another database is told where it belongs, not called tampered with."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, create_database
from scr_desk.excel.layout import META_SHEET
from tests.returns_kit import export, fill

pytestmark = pytest.mark.both_engines


def test_a_return_into_a_mistyped_database_name_makes_no_database(with_actions: Database, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: `import --db lscp.sqllite return.xlsx` made an empty database and then said the
    return 'was changed after it was sent'."""
    sent = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Training delivered"}})
    mistyped = tmp_path / "lscp.sqllite"
    for dry_run in ([], ["--dry-run"]):
        assert main(["import", "--db", str(mistyped), str(sent), *dry_run]) == 1
        err = capsys.readouterr().err
        assert f"{mistyped} does not exist, and a return can only be imported into the database that sent it" in err
        assert f"({sent.name} is a return)" in err and "No database was created" in err
        assert "changed after it was sent" not in err and err.count("\n") == 1
        assert not mistyped.exists() and not (tmp_path / "backups").exists()


def test_a_return_from_another_database_names_that_database(with_actions: Database, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    sent = fill(export(with_actions, tmp_path), {"CLARE-R3": {"update": "Training delivered"}})
    other = tmp_path / "other" / "partnership.sqlite"
    other.parent.mkdir()
    create_database(other).close()
    assert main(["import", "--db", str(other), str(sent)]) == 1
    err = capsys.readouterr().err
    assert (f"this return was sent from another database, {with_actions.name} (identity "
            f"{with_actions.database_uid[:8]}), not from this one (partnership.sqlite)") in err
    assert "import it there" in err and "changed after it was sent" not in err


def test_a_return_whose_signature_was_edited_is_still_tampering(with_actions: Database, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    sent = export(with_actions, tmp_path)
    book = openpyxl.load_workbook(sent)
    meta = book[META_SHEET]
    row = next(r for r in range(1, 20) if meta.cell(r, 1).value == "signature")
    meta.cell(row, 2).value = "0" * 64
    book.save(sent)
    with_actions.close()
    assert main(["import", "--db", str(with_actions.location), str(sent)]) == 1
    assert "changed after it was sent" in capsys.readouterr().err


def test_the_hidden_part_names_the_sending_database(with_actions: Database, tmp_path: Path) -> None:
    sent = export(with_actions, tmp_path)
    facts = {row[0]: row[1] for row in openpyxl.load_workbook(sent)[META_SHEET].iter_rows(values_only=True)}
    assert facts["database"] == with_actions.database_uid
    assert facts["database_name"] == with_actions.name
