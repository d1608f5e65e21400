"""Commands about the database file itself: new, demo, dump, check, settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scr_desk.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Command,
    Subcommands,
    UsageError,
    UserFacingError,
    check_new_database_folder,
    database_path,
    database_target,
    open_existing,
    open_for_writing,
    say,
    writing_to,
)
from scr_desk.db.identity import database_files, remove_database_files
from scr_desk.domain.wording import count

if TYPE_CHECKING:
    from scr_desk.db.engine import Database
    from scr_desk.services.synthetic import Sizes

__all__ = ["COMMANDS", "MAX_SCALE", "add_parsers", "cmd_check", "cmd_demo", "cmd_dump", "cmd_new", "cmd_settings"]


def add_parsers(commands: Subcommands, db_option: argparse.ArgumentParser) -> None:
    new = commands.add_parser("new", parents=[db_option], help="create an empty database (never over an existing file)")
    new.add_argument("--partnership", metavar="NAME", help="the partnership's name, shown on returns and reports")
    demo = commands.add_parser("demo", parents=[db_option], help="create a database holding the sample data")
    demo.add_argument("--large", action="store_true",
                      help="also add a large synthetic data set (200 reviews, 120,000 updates) for benchmarks")
    demo.add_argument("--showcase", action="store_true",
                      help="the illustrative partnership (invented: five reviews, two years of updates) "
                           "instead of the Clare review")
    demo.add_argument("--scale", type=int, default=1, metavar="N",
                      help="with --large: N times the large data set (10: 2,000 reviews, 1,200,000 updates)")
    demo.add_argument("--seed", type=int, default=2020, help="seed of the synthetic data (with --large)")
    dump = commands.add_parser("dump", parents=[db_option], help="print every record as JSON (stable order)")
    dump.add_argument("--out", type=Path, help="write to this file instead of standard output")
    commands.add_parser("check", parents=[db_option], help="check the database's integrity and schema version")
    settings = commands.add_parser("settings", parents=[db_option],
                                   help="show the database's settings, or change them")
    settings.add_argument("--partnership", metavar="NAME",
                          help="the partnership's name, shown on returns and reports ('' clears it)")


MAX_SCALE = 100  # 20,000 reviews and 12 million updates: past any partnership, within a day's disk


def _refuse_existing(path: Path, command: str) -> None:
    if path.is_dir():
        raise UserFacingError(f"{path} is a folder; {command} creates a new database file: name one inside it")
    if path.exists() or path.is_symlink():
        raise UserFacingError(f"{path}: a file of that name already exists; {command} only creates new databases")
    check_new_database_folder(path)


def _on_server(args: argparse.Namespace) -> str | None:
    """The server's URL when --db names one (new and demo make the schema in an empty database
    there; one that holds anything is refused), else None."""
    target = database_target(args)
    return target if isinstance(target, str) else None


def cmd_new(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import create_database

    if (url := _on_server(args)) is not None:
        database = create_database(url)
        try:
            named = _name_partnership(args, database)
        finally:
            database.close()
        say(f"Created an SCR Desk database in {database.shown_as}, empty" + (f", for {named}." if named else "."))
        return EXIT_OK
    path = database_path(args)
    _refuse_existing(Path(args.db).expanduser(), "new")  # a link, even one to nothing, is not replaced
    named = ""
    with writing_to(path, "creating a database") as path:
        _refuse_existing(path, "new")  # made by another command while this one waited
        database = create_database(path)
        try:
            named = _name_partnership(args, database)
        except BaseException:
            database.close()
            remove_database_files(path)  # a name that cannot be kept leaves no half-made database behind
            raise
        database.close()
    say(f"Created {path}, an empty SCR Desk database" + (f" for {named}." if args.partnership else "."))
    return EXIT_OK


def _name_partnership(args: argparse.Namespace, database: Database) -> str:
    if args.partnership is None:
        return ""
    from scr_desk.services.settings import name_partnership
    return name_partnership(database.sessions, args.partnership)


def cmd_settings(args: argparse.Namespace) -> int:
    from scr_desk.services.settings import name_partnership, read_partnership_name, stored_partnership_name

    if args.partnership is not None:  # a change is a write: under the writer lock, like every other
        with open_for_writing(args, "a change of settings") as database:
            named = name_partnership(database.sessions, args.partnership)
        say(f"The partnership is now named {named!r}." if named else "The partnership's name is cleared.")
        return EXIT_OK
    database = open_existing(args, read_only=True)
    try:
        with database.sessions() as session:
            stored = stored_partnership_name(session)
        shown = stored or read_partnership_name(database.sessions)
    finally:
        database.close()
    if stored:
        say(f"Partnership: {stored}")
    elif shown:
        say(f"Partnership: {shown} (from its reviews; set it with settings --partnership NAME)")
    else:
        say("Partnership: not named yet (set it with settings --partnership NAME)")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import create_database
    from scr_desk.services.synthetic import Sizes

    if args.scale != 1 and not args.large:
        raise UsageError("--scale sizes the large data set: give it with --large")
    if not 1 <= args.scale <= MAX_SCALE:
        raise UsageError(f"--scale: {args.scale} is not a size from 1 to {MAX_SCALE}")
    sizes = Sizes().scaled(args.scale)
    what = "the illustrative partnership (invented)" if args.showcase else "the sample data"
    large = (f" and the large synthetic data set{'' if args.scale == 1 else f' at {args.scale} times its size'} "
             f"({count(sizes.reviews, 'review')}, {count(sizes.recommendations, 'recommendation')}, "
             f"{count(sizes.actions, 'action')}, {count(sizes.updates, 'update')})")
    with_what = what + (large if args.large else "") + "."
    if (url := _on_server(args)) is not None:
        database = create_database(url)
        try:
            _fill_demo(args, database, sizes)  # one transaction per step: a failure leaves the schema empty or whole
        finally:
            database.close()
        say(f"Created an SCR Desk database in {database.shown_as} with {with_what}")
        return EXIT_OK
    path = database_path(args)
    _refuse_existing(Path(args.db).expanduser(), "demo")  # a link, even one to nothing, is not replaced
    with writing_to(path, "creating a database") as path:
        _refuse_existing(path, "demo")  # made by another command while this one waited
        _make_demo(args, path, sizes)
    say(f"Created {path} with {with_what}")
    return EXIT_OK


def _make_demo(args: argparse.Namespace, path: Path, sizes: Sizes) -> None:
    from scr_desk.db.engine import create_database

    database = create_database(path)
    try:
        _fill_demo(args, database, sizes)
    except BaseException:
        database.close()
        remove_database_files(path)
        raise
    database.close()


def _fill_demo(args: argparse.Namespace, database: Database, sizes: Sizes) -> None:
    from scr_desk.services.sample import load_sample
    if args.large:
        from scr_desk.services.synthetic import add_synthetic_data
        add_synthetic_data(database.sessions, sizes, seed=args.seed)  # numbers agencies from 1: before the sample
    if args.showcase:
        from scr_desk.services.sample import load_showcase
        load_showcase(database.sessions)
    else:
        load_sample(database.sessions)


def cmd_dump(args: argparse.Namespace) -> int:
    from scr_desk.services.dump import dump_json

    if args.out:
        from scr_desk.services.files import check_output
        check_output(args.out)  # before any work: never over the database, a backup, a folder or a device
    from scr_desk.cli.common import holds_every_character

    database = open_existing(args, read_only=True)
    try:
        text = dump_json(database.sessions, ascii_only=not args.out and not holds_every_character(sys.stdout))
    finally:
        database.close()
    if args.out:
        from scr_desk.services.files import replace_atomically
        replace_atomically(args.out, text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from scr_desk.db.engine import let_go_of_log

    if isinstance(database_target(args), str):
        return _check_server(args)
    path = database_path(args)
    wal = Path(f"{path}-wal")
    wal_size = wal.stat().st_size if wal.is_file() else 0
    companions_before = any(part.exists() for part in database_files(path, with_main=False))
    try:
        return _check(args, path, wal, wal_size)
    finally:
        if not companions_before and path.is_file():
            let_go_of_log(path)  # a look leaves no empty -wal and -shm files behind


def _check(args: argparse.Namespace, path: Path, wal: Path, wal_size: int) -> int:
    from scr_desk.db.engine import integrity_report, probe
    from scr_desk.db.errors import UnexpectedSchemaError
    from scr_desk.db.migrate import head_revision
    from scr_desk.services.stats import record_counts

    try:
        revision, _ = probe(path, for_writing=False)
    except UnexpectedSchemaError as exc:
        say(f"File: {path}")
        say(f"Schema: {count(len(exc.differences), 'difference')} from SCR Desk's own; the file is refused:")
        for difference in exc.differences:
            say(f"  {difference}")
        say(f"{path}: its schema is not SCR Desk's; it was not opened (a file changed by another tool, or made to "
            "harm: restore it from a backup).", to_stderr=True)
        return EXIT_INPUT
    database = open_existing(args, read_only=True)
    try:
        problems = integrity_report(database)
        counts = record_counts(database.sessions)
        unknown = _unknown_values(database)
    finally:
        database.close()
    current = head_revision()
    say(f"File: {path}")
    say(f"Schema: {revision}" + (" (current)" if revision == current
                                 else f" (older; upgraded to {current} when next opened)"))
    say("Records: " + ", ".join(count(n, _ONE.get(name, name), name) for name, n in counts.items()))
    if wal_size:
        say(f"Write-ahead log: {wal.name} holds {wal_size:,} bytes of changes not yet folded into {path.name}: "
            "the database is open elsewhere, or was not closed cleanly. A copy of the .sqlite file alone would "
            "lack them; open and close it in SCR Desk (or copy both files together).")
    if unknown:
        say(f"Values this version does not know ({count(len(unknown), 'column')}; shown as stored, marked):")
        for line in unknown:
            say(f"  {line}")
    if problems:
        say(f"Integrity: {count(len(problems), 'problem')}")
        for problem in problems[:20]:
            say(f"  {problem}")
        say(f"{path}: the integrity check found problems; restore it from a backup.", to_stderr=True)
        return EXIT_INPUT
    say("Integrity: sound" + (" (with the values listed above shown as stored)" if unknown else ""))
    return EXIT_OK


def _check_server(args: argparse.Namespace) -> int:
    """`check` of a database on a server: its schema, its records, and every reference sound (the
    server checks its own pages and keeps its own backups)."""
    from scr_desk.db.engine import integrity_report
    from scr_desk.db.migrate import head_revision
    from scr_desk.services.stats import record_counts
    database = open_existing(args, read_only=True)
    try:
        with database.engine.connect() as connection:
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        problems = integrity_report(database)
        counts = record_counts(database.sessions)
    finally:
        database.close()
    say(f"Database: {database.shown_as} (on a PostgreSQL server; connected as {database.author})")
    say(f"Schema: {revision}" + (" (current)" if revision == head_revision() else ""))
    say("Records: " + ", ".join(count(n, _ONE.get(name, name), name) for name, n in counts.items()))
    if database.read_only_reason:
        say(f"Access: read-only ({database.read_only_reason})")
    if problems:
        say(f"Integrity: {count(len(problems), 'problem')}")
        for problem in problems[:20]:
            say(f"  {problem}")
        say(f"{database.shown_as}: the check found problems.", to_stderr=True)
        return EXIT_INPUT
    say("Integrity: sound (every reference checked; the server checks its own storage and keeps the backups)")
    return EXIT_OK


# The record counts are keyed by plural names; a count of one takes the singular.
_ONE = {"agencies": "agency", "reviews": "review", "recommendations": "recommendation", "actions": "action",
        "updates": "update", "meetings": "meeting"}


def _unknown_values(database: Any) -> list[str]:
    from scr_desk.db.value_check import unknown_values
    raw = database.engine.raw_connection()
    try:
        return unknown_values(raw.driver_connection)
    finally:
        raw.close()


COMMANDS: dict[str | None, Command] = {"new": cmd_new, "demo": cmd_demo, "dump": cmd_dump, "check": cmd_check,
                                        "settings": cmd_settings}
