"""Team mode: the same workbook on a PostgreSQL server, for several people at once.

Each test works on databases of the private cluster (tests/pg_cluster.py), reached as the people
IT would make: `lead` and `officer` write, `viewer` may only read."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from scr_desk.cli import main
from scr_desk.db import errors
from scr_desk.db.engine import Database, create_database, open_database
from scr_desk.db.location import server_url
from scr_desk.db.server import ChangeListener
from scr_desk.domain.dto import ItemKey
from scr_desk.domain.enums import ItemKind, Rag
from scr_desk.services import items, team, updates
from scr_desk.services.dump import dump_records
from scr_desk.services.errors import StaleEditError
from scr_desk.services.history import item_history
from scr_desk.services.returns_export import export_return
from scr_desk.services.tree import load_tree
from tests.pg_cluster import SECOND_WRITER, VIEWER, WRITER, Cluster
from tests.returns_kit import add_actions, fill

Make = Callable[..., str]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample_url(pg_cluster: Cluster, pg_database: Make, pg_templates: dict[str, str]) -> str:
    """A database holding the sample, as the lead reaches it."""
    return pg_cluster.url(WRITER, pg_database(pg_templates["sample"]))


def _as(url: str, role: str) -> str:
    return str(server_url(url).set(username=role).render_as_string(hide_password=False))


def _rec3(database: Database) -> int:
    return next(n.id for n in load_tree(database.sessions).walk() if n.reference == "CLARE-R3")


def test_new_makes_the_schema_in_an_empty_database_and_refuses_one_that_holds_anything(
        pg_cluster: Cluster, pg_database: Make, capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_cluster.url(WRITER, pg_database())
    code, out, _ = run(capsys, "new", "--db", url, "--partnership", "Northmere")
    assert code == 0 and out.startswith("Created an SCR Desk database in postgresql+psycopg://lead@/")
    code, _, err = run(capsys, "new", "--db", url)
    assert code == 1 and "already holds an SCR Desk database" in err and "has not been changed" in err
    # Every writer may use what the lead made: the tables belong to the team's role.
    officer = open_database(_as(url, SECOND_WRITER))
    try:
        assert not officer.read_only
        code, out, _ = run(capsys, "settings", "--db", _as(url, SECOND_WRITER), "--partnership", "Northmere SCP")
        assert code == 0
    finally:
        officer.close()


def test_a_newer_or_foreign_schema_on_the_server_is_refused_and_left_alone(
        pg_cluster: Cluster, pg_database: Make, pg_templates: dict[str, str]) -> None:
    newer = pg_database(pg_templates["empty"])
    pg_cluster.admin_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'", database=newer)
    with pytest.raises(errors.DatabaseTooNewError, match="newer version of SCR Desk.*database has not been changed"):
        open_database(pg_cluster.url(WRITER, newer))
    foreign = pg_database()
    pg_cluster.admin_sql("CREATE TABLE payroll (id integer)", f"ALTER TABLE payroll OWNER TO {WRITER}",
                         database=foreign)
    with pytest.raises(errors.NotScrDeskDatabaseError, match="1 table of another program"):
        open_database(pg_cluster.url(WRITER, foreign), create=True)
    planted = pg_database(pg_templates["empty"])
    pg_cluster.admin_sql("CREATE VIEW everything AS SELECT * FROM agency", database=planted)
    with pytest.raises(errors.UnexpectedSchemaError, match="a view the app does not make: everything"):
        open_database(pg_cluster.url(WRITER, planted))
    planted_trigger = pg_database(pg_templates["empty"])
    pg_cluster.admin_sql("CREATE FUNCTION leak() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                         "CREATE TRIGGER search_agency_leak AFTER INSERT ON agency FOR EACH ROW "
                         "EXECUTE FUNCTION leak()",
                         database=planted_trigger)
    with pytest.raises(errors.UnexpectedSchemaError, match="a trigger the app does not make: search_agency_leak"):
        open_database(pg_cluster.url(WRITER, planted_trigger))
    empty = pg_database()
    with pytest.raises(errors.DatabaseMissingError, match="holds no SCR Desk database yet"):
        open_database(pg_cluster.url(WRITER, empty))


def test_a_select_only_role_reads_everything_and_every_writing_command_refuses_it(
        sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    viewer = _as(sample_url, VIEWER)
    database = open_database(viewer)
    try:
        assert database.read_only and "your role (viewer) may read this database but not change it" \
            in database.read_only_reason
        assert len(load_tree(database.sessions).reviews) == 1
    finally:
        database.close()
    lead = open_database(sample_url)
    return_file = tmp_path / "scc.xlsx"
    export_return(lead.sessions, "SCC", return_file, period="2020-21 Q4", deadline=date(2021, 4, 14))
    lead.close()
    before = run(capsys, "dump", "--db", viewer)[1]
    refused = [
        ("settings", "--partnership", "Someone else's"),
        ("import", str(fill(return_file, {"CLARE-R3": {"update": "Not from a viewer"}}))),
        ("export", "--agency", "SCC", "--out", str(tmp_path / "again.xlsx")),
        ("users", "edit", "lead", "--name", "Not allowed"),
        ("agencies", "edit", "SCC", "--phone", "0123"),
        ("returns", "send", "--period", "2020-21 Q4", "--deadline", "14/04/2021", "--out", str(tmp_path / "out")),
    ]
    for command in refused:
        code, _, err = run(capsys, *command, "--db", viewer)
        assert code == 1, command
        assert err.count("\n") == 1 and "may read this database but not change it" in err and \
            "nothing was changed" in err, (command, err)
    assert run(capsys, "dump", "--db", viewer)[1] == before
    assert not (tmp_path / "again.xlsx").exists() and not (tmp_path / "out").exists()


def test_the_author_of_a_change_is_the_role_that_connected_shown_by_its_display_name(
        sample_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    officer = open_database(_as(sample_url, SECOND_WRITER))
    try:
        rec = _rec3(officer)
        items.update_recommendation(officer.sessions, rec, {"rag": Rag.RED})
        assert run(capsys, "users", "edit", "officer", "--name", "Olu Officer", "--db", sample_url)[0] == 0
        [line] = [line for line in item_history(officer.sessions, ItemKey(ItemKind.RECOMMENDATION, rec))
                  if line.what == "RAG"]
        assert line.who == "Olu Officer (officer)"
        added = updates.add_update(officer.sessions, ItemKey(ItemKind.RECOMMENDATION, rec), {"narrative": "Seen"})
        assert added.source_detail == "typed in by officer"
    finally:
        officer.close()
    code, out, _ = run(capsys, "users", "--db", _as(sample_url, VIEWER))
    assert code == 0 and "Olu Officer" in out and "You are connected as viewer (read-only)." in out


def test_two_people_importing_one_return_at_the_same_moment_land_it_once(
        sample_url: str, tmp_path: Path) -> None:
    lead = open_database(sample_url)
    add_actions(lead)
    sent = tmp_path / "scc.xlsx"
    export_return(lead.sessions, "SCC", sent, period="2020-21 Q4", deadline=date(2021, 4, 14))
    lead.close()
    filled = fill(sent, {"CLARE-R3": {"update": "Exactly once"}, "CLARE-R3-A1": {"update": "Also once"}})
    start = threading.Barrier(4)
    codes: list[int] = []

    def import_as(role: str) -> None:
        start.wait()
        codes.append(main(["import", "--db", _as(sample_url, role), str(filled)]))
    threads = [threading.Thread(target=import_as, args=(role,)) for role in (WRITER, SECOND_WRITER) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert codes == [0, 0, 0, 0]
    database = open_database(sample_url)
    try:
        texts = [u.narrative for node in load_tree(database.sessions).walk() if node.kind != "review"
                 for u in updates.list_updates(database.sessions, ItemKey(node.kind, node.id))]
    finally:
        database.close()
    assert texts.count("Exactly once") == 1 and texts.count("Also once") == 1


@pytest.mark.both_engines
def test_a_stale_edit_is_refused_and_says_who_changed_the_item(sample_db: Database) -> None:
    rec = items.get_recommendation(sample_db.sessions, _rec3(sample_db))
    items.update_recommendation(sample_db.sessions, rec.id, {"rag": Rag.RED}, expected_version=rec.version)
    before = dump_records(sample_db.sessions)
    with pytest.raises(StaleEditError, match=r"^CLARE-R3 was changed by \S+ at \d\d:\d\d on \d\d/\d\d/\d{4} after "
                                             r"it was shown here, so your change was not saved; it now shows the "
                                             r"item as it is\.$"):
        items.update_recommendation(sample_db.sessions, rec.id, {"rag": Rag.GREEN}, expected_version=rec.version)
    with pytest.raises(StaleEditError, match="so your update was not added .it is still in the form."):
        updates.add_update(sample_db.sessions, ItemKey(ItemKind.RECOMMENDATION, rec.id), {"narrative": "Late"},
                           expected_version=rec.version)
    assert dump_records(sample_db.sessions) == before


def test_changes_since_say_what_another_person_changed_and_a_notice_comes_with_the_commit(sample_url: str) -> None:
    lead, officer = open_database(sample_url), open_database(_as(sample_url, SECOND_WRITER))
    listener = ChangeListener(officer.engine)
    try:
        seen = team.newest_change(officer.sessions)
        rec = _rec3(lead)
        with lead.sessions() as session:  # a change rolled back sends nothing
            session.execute(text("UPDATE recommendation SET text = 'never' WHERE id = :id"), {"id": rec})
            assert listener.read() == []
            session.rollback()
        assert _wait_for(listener, 0.3) == []
        items.update_recommendation(lead.sessions, rec, {"text": "Changed by the lead"})
        notices = _wait_for(listener)
        assert notices and notices[-1][0] == lead.token and notices[-1][1] > seen
        changes = team.changes_since(officer.sessions, seen)
        review = load_tree(officer.sessions).reviews[0].id
        assert changes.reviews == {review} and changes.items == {ItemKey(ItemKind.RECOMMENDATION, rec)}
        assert not changes.structural and changes.by == ("lead",)
        assert team.changes_since(officer.sessions, changes.upto).any is False
    finally:
        listener.close()
        lead.close()
        officer.close()


def _wait_for(listener: ChangeListener, seconds: float = 5.0) -> list[tuple[str, int]]:
    import select
    ready, _, _ = select.select([listener.fileno()], [], [], seconds)
    return listener.read() if ready else []


def test_copy_file_to_server_to_file_keeps_every_record_and_a_return_sent_before_imports_after(
        sample_db_path: Path, pg_cluster: Cluster, pg_database: Make, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    original = open_database(sample_db_path)
    add_actions(original)
    sent = tmp_path / "scc.xlsx"
    export_return(original.sessions, "SCC", sent, period="2020-21 Q4", deadline=date(2021, 4, 14))
    original.close()
    server = pg_cluster.url(WRITER, pg_database())
    back = tmp_path / "back" / "cases.sqlite"
    back.parent.mkdir()
    code, out, _ = run(capsys, "copy", "--from", str(sample_db_path), "--to", server)
    assert code == 0 and "1 return sent" in out and "keeps the database's identity" in out
    assert run(capsys, "copy", "--from", server, "--to", str(back))[0] == 0
    dumps = [run(capsys, "dump", "--db", where)[1] for where in (str(sample_db_path), server, str(back))]
    assert dumps[0] == dumps[1] == dumps[2]
    from scr_desk.domain.search import FilterCriteria
    from scr_desk.services.search import find
    for where in (server, str(back)):  # each copy's search index made from what it holds
        copied = open_database(where)
        try:
            assert len(find(copied.sessions, FilterCriteria(text="research")).found) == 1
        finally:
            copied.close()
    filled = fill(sent, {"CLARE-R3": {"update": "Sent before the move"}})
    for where in (server, str(back)):
        code, out, err = run(capsys, "import", "--db", where, str(filled))
        assert code == 0 and "1 new update" in out, err
    # A new row on the server is numbered after the copied ones.
    database = open_database(server)
    try:
        updates.add_update(database.sessions, ItemKey(ItemKind.RECOMMENDATION, _rec3(database)), {"narrative": "New"})
    finally:
        database.close()


def test_copy_refuses_a_target_that_holds_anything(sample_db_path: Path, sample_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    before = run(capsys, "dump", "--db", sample_url)[1]
    code, _, err = run(capsys, "copy", "--from", str(sample_db_path), "--to", sample_url)
    assert code == 1 and "already holds" in err and "copy only into an empty database" in err
    assert run(capsys, "dump", "--db", sample_url)[1] == before
    code, _, err = run(capsys, "copy", "--from", sample_url, "--to", str(sample_db_path))
    assert code == 1 and "a file of that name already exists" in err


def test_a_password_is_never_printed_and_an_unreachable_server_is_one_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql+psycopg://lead:hunter2@/cases?host={tmp_path}"
    for command in (("dump",), ("check",), ("import", str(tmp_path / "x.xlsx")), ("backups",)):
        code, out, err = run(capsys, *command, "--db", url)
        assert "hunter2" not in out + err, command
    code, _, err = run(capsys, "dump", "--db", url)
    assert code == 1 and err.count("\n") == 1 and "the server could not be reached" in err
    code, _, err = run(capsys, "dump", "--db", "mysql://lead@host/cases")
    assert code == 1 and "through psycopg 3 only" in err


def test_backups_and_restore_say_what_a_server_does(sample_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "backups", "--db", sample_url)
    assert code == 0 and "its backups are the server's own" in out
    code, _, err = run(capsys, "restore", "--db", sample_url)
    assert code == 1 and "restored from the server's own backups" in err and "nothing was changed" in err


def test_check_on_a_server_reports_schema_records_and_references(sample_url: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--db", sample_url)
    assert code == 0 and "(current)" in out and "Integrity: sound" in out and "connected as lead" in out


def test_the_schema_belongs_to_the_team_so_a_second_writer_can_change_it(sample_url: str) -> None:
    engine = create_engine(server_url(sample_url))
    try:
        with engine.connect() as connection:
            owners = set(connection.execute(text(
                "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    finally:
        engine.dispose()
    assert owners == {"scr_team"}


def test_a_database_made_by_create_database_is_the_same_as_one_made_by_new(pg_cluster: Cluster,
                                                                          pg_database: Make) -> None:
    made = create_database(pg_cluster.url(WRITER, pg_database()))
    try:
        assert made.is_server and made.database_uid and made.author == WRITER
        assert made.name.endswith(f"on {pg_cluster.folder}")
    finally:
        made.close()


@pytest.mark.both_engines
def test_text_is_ordered_and_matched_the_same_on_a_file_and_a_server(db: Database) -> None:
    from scr_desk.services import agencies
    for name in ("apple Trust", "Zebra Council", "Éclair Service", "b-line Health", "Abbey Police"):
        agencies.create_agency(db.sessions, name)
    # Code-point order, as SQLite keeps it (a server's English collation would say apple, Abbey…).
    assert [a.name for a in agencies.list_agencies(db.sessions)] == [
        "Abbey Police", "Zebra Council", "apple Trust", "b-line Health", "Éclair Service"]
    with db.sessions() as session:  # a name is found whatever its case, on either engine
        assert agencies.find_agency(session, "ZEBRA COUNCIL") is not None
    dump = dump_records(db.sessions)
    assert [a["name"] for a in dump["agencies"]] == sorted(a["name"] for a in dump["agencies"])


@pytest.mark.both_engines
def test_a_partners_words_that_look_like_the_apps_own_still_count_as_written(with_actions: Database,
                                                                           tmp_path: Path) -> None:
    """SQLite's LIKE ignored case, PostgreSQL's does not: an update a person wrote in lower case
    that resembles the form's own sentence was left out of a return's 'last update' on a file."""
    import openpyxl
    rec = items.get_recommendation(with_actions.sessions, _rec3(with_actions))
    written = "status changed from worried to hopeful in the detail form."
    updates.add_update(with_actions.sessions, ItemKey(ItemKind.RECOMMENDATION, rec.id), {"narrative": written})
    export_return(with_actions.sessions, "SCC", tmp_path / "scc.xlsx", period="2020-21 Q4",
                  deadline=date(2021, 4, 14))
    cells = [str(c.value) for row in openpyxl.load_workbook(tmp_path / "scc.xlsx")["Returns"].iter_rows()
             for c in row if c.value]
    assert any(written in cell for cell in cells)


def test_a_writer_waited_for_too_long_is_one_sentence_and_nothing_is_saved(sample_url: str,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from scr_desk.db import server
    from scr_desk.db.errors import describe_storage_error
    monkeypatch.setattr(server, "LOCK_WAIT_MS", 300)
    database = open_database(sample_url)
    rec = _rec3(database)
    before = dump_records(database.sessions)
    holder = create_engine(server_url(sample_url))
    try:
        with holder.begin() as connection:  # another writer that does not let go
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({server.WRITER_LOCK})")
            with pytest.raises(Exception) as refused:
                items.update_recommendation(database.sessions, rec, {"rag": Rag.RED})
        assert describe_storage_error(refused.value) == (
            "another person's change has held the database for over a minute; nothing from this step was saved. "
            "Try again in a moment")
        assert dump_records(database.sessions) == before
    finally:
        holder.dispose()
        database.close()
