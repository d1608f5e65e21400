"""Parsing the command line, running one command, and turning every failure into one line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from scr_desk import APP_TITLE, __version__
from scr_desk.cli.common import EXIT_INPUT, EXIT_OK, Command, UsageError, never_fail_on_encoding
from scr_desk.db.location import database_target
from scr_desk.domain.errors import ScrDeskError
from scr_desk.logs import configure_logging, log_unexpected
from scr_desk.paths import user_data_dir

__all__ = [
    "COMMAND_NAMES", "DATABASE_SUFFIXES", "NO_DISPLAY", "WHOLE_PARSER_WORDS", "build_parser", "cmd_window", "commands",
    "main",
]


log = logging.getLogger("scr_desk")

NO_DISPLAY = ("SCR Desk needs a desktop session: no display was found. (Command-line commands such as "
              "`scr-desk export` work without one.)")


# Most launches open the window. When no command is named, its few options are parsed without
# importing the command modules: they are a fifth of the time before the window's first paint.
# (tests/unit/test_cli.py keeps this list equal to the commands the parser knows.)
COMMAND_NAMES = frozenset({"agencies", "backups", "check", "copy", "demo", "dump", "export", "import", "new",
                           "proposals", "report", "restore", "returns", "settings", "users"})
WHOLE_PARSER_WORDS = frozenset({"-h", "--help", "--version"})


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scr-desk", description=f"{APP_TITLE}: safeguarding case-review recommendations.")
    parser.add_argument("--version", action="version", version=f"scr-desk {__version__}")
    parser.add_argument("--db", type=database_target,
                        help="database file, or a PostgreSQL URL (postgresql+psycopg://ROLE@HOST/DBNAME) "
                             "(default: scr_desk.sqlite in your data folder)")
    parser.add_argument("--sample", action="store_true",
                        help="open the sample database, the 'Clare' review (created in your data folder if needed)")
    parser.add_argument("--showcase", action="store_true",
                        help="open the illustrative partnership: invented, five reviews with two years of updates")
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="open the window, print how many ms it took to load, and exit")
    return parser


def build_parser() -> argparse.ArgumentParser:
    from scr_desk.cli import agencies, backups, exchange, records, report, returns, team
    parser = _window_parser()
    # --db may come before or after the command's name: each command accepts it too, and only
    # overrides the top-level value when it is given there (SUPPRESS leaves it alone otherwise).
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", type=database_target, default=argparse.SUPPRESS,
                           help="the database file, or a PostgreSQL URL")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    records.add_parsers(commands, db_option)
    exchange.add_parsers(commands, db_option)
    report.add_parsers(commands, db_option)
    backups.add_parsers(commands, db_option)
    agencies.add_parsers(commands, db_option)
    returns.add_parsers(commands, db_option)
    team.add_parsers(commands, db_option)
    return parser


def cmd_window(args: argparse.Namespace) -> int:
    if sys.platform.startswith("linux") and not any(
            os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        print(NO_DISPLAY, file=sys.stderr)
        return EXIT_INPUT
    from scr_desk.app import run_window

    return run_window(db=args.db, sample=args.sample, exit_when_ready=args.exit_when_ready,
                      showcase=args.showcase)


def commands() -> dict[str | None, Command]:
    """Each command's function by name (None: the window)."""
    from scr_desk.cli import agencies, backups, exchange, records, report, returns, team
    return {**records.COMMANDS, **exchange.COMMANDS, **report.COMMANDS, **backups.COMMANDS, **agencies.COMMANDS,
            **returns.COMMANDS, **team.COMMANDS, None: cmd_window}


def _names_a_command(argv: Sequence[str]) -> bool:
    return any(word in COMMAND_NAMES or word in WHOLE_PARSER_WORDS for word in argv)


def _tidy_private_folders() -> None:
    """Private by default from the first line: files this process writes are its user's only, the
    data folder (if there is one yet) is 0700, and scratch files a killed export left are swept."""
    from scr_desk.db.private import make_process_private, private_folder
    from scr_desk.services.export_temp import sweep_stale_scratch
    make_process_private()
    try:
        folder = user_data_dir()
        if folder.is_dir():
            private_folder(folder)
            for name in ("logs", "tmp"):
                if (folder / name).is_dir():
                    private_folder(folder / name)
        sweep_stale_scratch()
    except OSError:
        log.debug("Could not tidy the data folder", exc_info=True)


def _command_parser(parser: argparse.ArgumentParser | None, command: str | None) -> argparse.ArgumentParser:
    """The parser whose usage line fits a wrong option: the command's, else the whole program's."""
    if parser is None:
        return _window_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return action.choices[command]  # type: ignore[no-any-return]
    return parser


def _quietly_closed_pipe() -> int:
    """The reader of our output went away (`scr-desk dump | head`): stop quietly, like any Unix
    tool, without Python's own complaint when it flushes standard output at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


DATABASE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def _database_named_alone(words: list[str]) -> list[str]:
    """`scr-desk FILE.sqlite` (a file opened with the app, or dropped on it) means
    `scr-desk --db FILE.sqlite`: one word that is a database's name or an existing file."""
    loose = [w for w in words if not w.startswith("-")]
    if len(loose) != 1 or "--db" in words or any(w.startswith("--db=") for w in words):
        return words
    word = loose[0]
    path = Path(word).expanduser()
    if path.suffix.lower() in DATABASE_SUFFIXES or path.is_file():
        return [w if w != word else f"--db={word}" for w in words]
    return words


def _suggest_a_command(unknown: list[str]) -> None:
    """A misspelt command ('exprot') is answered with the nearest command, in argparse's own
    form (the usage line, then the sentence; exit 2)."""
    import difflib
    word = next((w for w in unknown if not w.startswith("-")), None)
    if word is None:
        return
    parser = build_parser()
    names = sorted(next(action.choices for action in parser._actions
                        if isinstance(action, argparse._SubParsersAction)))
    nearest = difflib.get_close_matches(word.casefold(), names, n=1, cutoff=0.6)
    if nearest:
        parser.error(f"{word!r} is not a command; did you mean {nearest[0]}? (the commands are {', '.join(names)})")


def main(argv: Sequence[str] | None = None) -> int:
    never_fail_on_encoding()
    configure_logging()
    _tidy_private_folders()
    words = sys.argv[1:] if argv is None else list(argv)
    # The window's own launches take the short way; a word that merely looks like a command (a
    # database called "export") takes the whole parser, which reads it rightly.
    parser: argparse.ArgumentParser | None = None
    if not _names_a_command(words):
        words = _database_named_alone(words)  # `scr-desk lscp.sqlite`: the window on that file
        args, unknown = _window_parser().parse_known_args(words)
        if unknown:  # a misspelt command: the whole parser names the choices, and the nearest
            _suggest_a_command(unknown)
            parser = build_parser()
    else:
        parser = build_parser()
    if parser is not None:
        args = parser.parse_args(words)
    try:
        return commands()[args.command](args) if parser is not None else cmd_window(args)
    except UsageError as exc:  # exits 2 with the usage line (the command's own), as argparse's own errors do
        _command_parser(parser, getattr(args, "command", None)).error(str(exc))
    except BrokenPipeError:
        return _quietly_closed_pipe()
    except ScrDeskError as exc:
        print(f"scr-desk: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        from scr_desk.db.errors import describe_file_error
        print(f"scr-desk: {describe_file_error(exc)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("scr-desk: interrupted; nothing more was written.", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        from scr_desk.db.errors import describe_storage_error
        if (meaning := describe_storage_error(exc, getattr(args, "db", None))) is not None:
            print(f"scr-desk: {getattr(args, 'db', '') or 'database'}: {meaning}.", file=sys.stderr)
            return EXIT_INPUT
        logged = log_unexpected(exc, f"running {getattr(args, 'command', None) or 'the window'}")
        where = f" (details in {logged})" if logged else ""
        print(f"scr-desk: unexpected error: {type(exc).__name__}: {exc}{where}", file=sys.stderr)
        return EXIT_INPUT
