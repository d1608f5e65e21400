"""One agency name, one key: NFKC and case folded, unique, used by every lookup; names cleaned of
invisible characters on the way in, and every writer safe with whatever is stored."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.services import agencies
from scr_desk.services.errors import ValidationError
from scr_desk.services.returns_export import export_returns


def _names(path: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT name, code FROM agency ORDER BY id").fetchall()
    finally:
        connection.close()


def _tracker(path: Path, lead: str) -> Path:
    path.write_text("Rec No.,Recommendation,Lead Agency,Status,Progress Update,Date\n"
                    f"1,Schools share attendance concerns,{lead},In progress,Protocol drafted,15/01/2021\n",
                    encoding="utf-8")
    return path


def test_a_name_beyond_ascii_is_one_name_in_any_case(sample_db: Database, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: `--agency 'Éducation Nationale'` was 'not an agency' while listed, `--agency
    École` wrote another agency's return, and 'École' and 'éCOLE' could both exist."""
    agencies.create_agency(sample_db.sessions, "Éducation Nationale", "EN")
    agencies.create_agency(sample_db.sessions, "École", "ECO")
    with pytest.raises(ValidationError, match="an agency called 'École' already exists"):
        agencies.create_agency(sample_db.sessions, "éCOLE", "EC2")
    sample_db.close()
    for typed, meant in (("éducation nationale", "Éducation Nationale"), ("ÉDUCATION NATIONALE", "Éducation "
                         "Nationale"), ("école", "École"), ("ÉCOLE", "École"), ("eco", "École")):
        out = tmp_path / f"{len(typed)}-{typed.encode().hex()[:8]}.xlsx"
        assert main(["export", "--db", str(sample_db.path), "--agency", typed, "--out", str(out)]) == 0, typed
        assert f"the return for {meant} (" in capsys.readouterr().out
    assert [name for name, _ in _names(sample_db.path)].count("École") == 1


def test_a_tracker_naming_an_agency_in_another_form_uses_it(sample_db: Database, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a tracker naming an agency in another case failed with a UNIQUE constraint."""
    agencies.create_agency(sample_db.sessions, "Éducation Nationale", "EN")
    sample_db.close()
    before = _names(sample_db.path)
    assert main(["import", "--db", str(sample_db.path), str(_tracker(tmp_path / "t.csv", "ÉDUCATION NATIONALE"))]) \
        == 0
    assert "UNIQUE" not in capsys.readouterr().err
    assert _names(sample_db.path) == before  # no second agency


def test_a_control_character_in_a_name_stops_no_return(sample_db: Database, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a control character in an agency's name (from a tracker cell) crashed every
    later return export in the page footer ('unexpected error: ValueError'), stopping a batch."""
    sample_db.close()
    tracker = _tracker(tmp_path / "t.csv", "Youth\x07 Offending\tTeam")
    assert main(["import", "--db", str(sample_db.path), str(tracker)]) == 0
    assert ("Youth Offending Team", "YOT") in _names(sample_db.path)  # cleaned on the way in
    # A name stored with one by another tool: every writer copes with it
    raw = sqlite3.connect(sample_db.path)
    raw.execute("UPDATE agency SET name = 'Hampshire\x07Constabulary\x1b' WHERE code = 'HC'")
    raw.commit()
    raw.close()
    database = open_database(sample_db.path)
    ids = [a.id for a in agencies.list_agencies(database.sessions)]
    batch = export_returns(database.sessions, tmp_path / "returns", ids, period="2020-21 Q4",
                           deadline=date(2021, 4, 14))
    database.close()
    assert batch.failed == [] and len(batch) == len(ids)


def test_an_upgraded_database_with_names_that_collide_keeps_both(sample_db_path: Path) -> None:
    """Two agencies whose names are one name under the new key: both are kept with every record,
    the later renamed '(2)' and the rename in the audit trail."""
    from alembic import command

    from scr_desk.db.engine import _make_engine
    from scr_desk.db.migrate import alembic_config
    engine = _make_engine(sample_db_path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_returns_chase")
    engine.dispose()
    raw = sqlite3.connect(sample_db_path)
    raw.execute("INSERT INTO agency (uid, name, code, contact_name, contact_email) VALUES "
                "('a1', 'École', 'E1', '', ''), ('a2', 'éCOLE', 'E2', '', ''), ('a3', 'Bell\x07 Lane', 'E3', '', '')")
    raw.execute("UPDATE recommendation SET lead_agency_id = (SELECT id FROM agency WHERE uid = 'a2') "
                "WHERE number = '1'")
    raw.commit()
    raw.close()
    database = open_database(sample_db_path)
    database.close()
    raw = sqlite3.connect(sample_db_path)
    names = dict(raw.execute("SELECT uid, name FROM agency WHERE uid IN ('a1', 'a2', 'a3')").fetchall())
    assert names == {"a1": "École", "a2": "éCOLE (2)", "a3": "Bell Lane"}
    assert raw.execute("SELECT a.uid FROM recommendation r JOIN agency a ON a.id = r.lead_agency_id "
                       "WHERE r.number = '1'").fetchone() == ("a2",)
    audit = raw.execute("SELECT entity_uid, old_value, new_value FROM audit_entry WHERE source LIKE 'upgrade%' "
                        "ORDER BY entity_uid").fetchall()
    assert audit == [("a2", "éCOLE", "éCOLE (2)"), ("a3", "Bell\x07 Lane", "Bell Lane")]
    raw.close()
