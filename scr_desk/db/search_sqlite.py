"""The search index in a SQLite file: two FTS5 tables kept right by triggers.

- `search_item`: one document per review, recommendation and action, holding what it says itself
  (reference, text, agencies, named owner, themes). It stores its own copy of these short texts, so
  a document is replaced by deleting its row, whatever changed.
- `search_history`: one document per recommendation and action, holding every update's narrative,
  evidence and author. It stores no copy of them (content=''): the updates are most of the file, and
  a second copy would double it. Such a document is removed by handing FTS5 the same words again,
  which the triggers read from the updates as they stand before the change (BEFORE triggers), and
  put back from what stands after (AFTER triggers).

A document's number (rowid) is the item's id * 4 + its kind (scr_desk.domain.search.doc_id), so
the index answers with the items themselves. Triggers keep both tables right whatever writes the
record (edits, imports and their undo, merges, deletes cascading); a restore brings back a file
whose index was right when it was copied. Bulk loads suspend them and rebuild once (`suspended`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, TextClause, bindparam, column, text
from sqlalchemy.sql.selectable import TextualSelect

from scr_desk.domain.search import SearchTerm

__all__ = [
    "NoFullTextSearch", "OPTIONS", "SHADOWS", "SqliteTextIndex", "TABLES", "TRIGGERS", "action_docs", "create", "drop",
    "fill", "is_search_table", "normalised", "rebuild", "recommendation_docs", "review_docs", "shadow_tables",
    "suspended", "trigger_tables", "verify",
]


# Accents folded as the find box folds them (domain.search.fold); prefix indexes for the first one,
# two and three letters, so a word typed so far is found without scanning every word of the index.
OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3'"
TABLES = {
    "search_item": f"CREATE VIRTUAL TABLE search_item USING fts5(reference, body, agencies, owner, themes, {OPTIONS})",
    "search_history": f"CREATE VIRTUAL TABLE search_history USING fts5(history, content = '', {OPTIONS})",
}
# What FTS5 makes for each table to keep its index in (and, for search_item, its copy of the text).
SHADOWS = {"search_item": ("data", "idx", "content", "docsize", "config"),
           "search_history": ("data", "idx", "docsize", "config")}


def _text(*parts: str) -> str:
    return " || ' ' || ".join(f"coalesce({part}, '')" for part in parts)


def _clean(number: str) -> str:
    """A number as references write it (rules._clean): spaces and marks taken out."""
    return f"replace(replace(replace(replace({number}, ' ', ''), '-', ''), '(', ''), ')', '')"


def review_docs(where: str) -> str:
    return (f"SELECT v.id * 4 + 1, v.code, {_text('v.name', 'v.reference', 'v.review_type', 'v.summary')}, "
            f"coalesce(v.partnership, ''), coalesce(v.reviewer, ''), '' FROM review v WHERE {where}")


def recommendation_docs(where: str) -> str:
    agencies = _text("(SELECT a.name FROM agency a WHERE a.id = r.lead_agency_id)",
                     "(SELECT group_concat(a.name, ' ') FROM recommendation_contributor c "
                     "JOIN agency a ON a.id = c.agency_id WHERE c.recommendation_id = r.id)")
    return (f"SELECT r.id * 4 + 2, v.code || '-R' || {_clean('r.number')} || ' Recommendation ' || r.number, "
            f"coalesce(r.text, ''), {agencies}, '', coalesce(r.themes, '') "
            f"FROM recommendation r JOIN review v ON v.id = r.review_id WHERE {where}")


def action_docs(where: str) -> str:
    return (f"SELECT ac.id * 4 + 3, v.code || '-R' || {_clean('r.number')} || '-A' || {_clean('ac.number')} "
            f"|| ' Action ' || ac.number, {_text('ac.text', 'ac.success_measure')}, "
            "coalesce((SELECT a.name FROM agency a WHERE a.id = ac.owner_agency_id), ''), "
            "coalesce(ac.owner_name, ''), '' FROM action ac JOIN recommendation r ON r.id = ac.recommendation_id "
            f"JOIN review v ON v.id = r.review_id WHERE {where}")


_ITEM_COLUMNS = "search_item(rowid, reference, body, agencies, owner, themes)"
_HISTORY_TEXT = f"group_concat({_text('narrative', 'evidence', 'author')}, ' ')"
# An update points at a recommendation or an action: its history document is that item's.
_POINTERS = (("recommendation_id", 2), ("action_id", 3))


def _history(row: str, pointer: str, code: int, *, delete: bool, moved_only: bool = False) -> str:
    """Put back (or, with `delete`, take out) the history document of the item that `row`
    (NEW or OLD) points at through `pointer`, from the updates as they stand now."""
    other = "OLD" if row == "NEW" else "NEW"
    moved = f" AND {row}.{pointer} IS NOT {other}.{pointer}" if moved_only else ""
    target = "search_history(search_history, rowid, history) SELECT 'delete', " if delete else \
        "search_history(rowid, history) SELECT "
    return (f"INSERT INTO {target}{pointer} * 4 + {code}, {_HISTORY_TEXT} FROM progress_update "
            f"WHERE {pointer} = {row}.{pointer}{moved} GROUP BY {pointer};")


def _histories(row: str, *, delete: bool, moved_only: bool = False) -> str:
    return "\n".join(_history(row, pointer, code, delete=delete, moved_only=moved_only) for pointer, code in _POINTERS)


_UPDATE_TEXT = "narrative, evidence, author, recommendation_id, action_id"


def _insert(docs: str) -> str:
    return f"INSERT INTO {_ITEM_COLUMNS} {docs};"


def _triggers() -> dict[str, str]:
    drop_rec = "DELETE FROM search_item WHERE rowid = {row}.id * 4 + 2;"
    rec_of_contributor = "DELETE FROM search_item WHERE rowid = {row}.recommendation_id * 4 + 2;\n" + \
        _insert(recommendation_docs("r.id = {row}.recommendation_id"))
    with_agency = "r.lead_agency_id = NEW.id OR r.id IN " \
                  "(SELECT recommendation_id FROM recommendation_contributor WHERE agency_id = NEW.id)"
    bodies = {
        "search_review_insert": ("AFTER INSERT ON review", _insert(review_docs("v.id = NEW.id"))),
        "search_review_update": (
            "AFTER UPDATE OF code, name, reference, review_type, partnership, reviewer, summary ON review",
            "DELETE FROM search_item WHERE rowid = OLD.id * 4 + 1;\n" + _insert(review_docs("v.id = NEW.id"))),
        # A review's code begins the reference of everything in it.
        "search_review_code": (
            "AFTER UPDATE OF code ON review WHEN OLD.code IS NOT NEW.code",
            "DELETE FROM search_item WHERE rowid IN (SELECT id * 4 + 2 FROM recommendation WHERE review_id = NEW.id);\n"
            f"INSERT INTO {_ITEM_COLUMNS} {recommendation_docs('r.review_id = NEW.id')};\n"
            "DELETE FROM search_item WHERE rowid IN (SELECT ac.id * 4 + 3 FROM action ac "
            "JOIN recommendation r ON r.id = ac.recommendation_id WHERE r.review_id = NEW.id);\n"
            f"INSERT INTO {_ITEM_COLUMNS} {action_docs('r.review_id = NEW.id')};"),
        "search_review_delete": ("AFTER DELETE ON review", "DELETE FROM search_item WHERE rowid = OLD.id * 4 + 1;"),
        "search_recommendation_insert": (
            "AFTER INSERT ON recommendation", f"INSERT INTO {_ITEM_COLUMNS} {recommendation_docs('r.id = NEW.id')};"),
        "search_recommendation_update": (
            "AFTER UPDATE OF review_id, number, text, themes, lead_agency_id ON recommendation",
            drop_rec.format(row="OLD") + f"\nINSERT INTO {_ITEM_COLUMNS} {recommendation_docs('r.id = NEW.id')};"),
        # A recommendation's number is in its actions' references.
        "search_recommendation_number": (
            "AFTER UPDATE OF review_id, number ON recommendation "
            "WHEN OLD.number IS NOT NEW.number OR OLD.review_id IS NOT NEW.review_id",
            "DELETE FROM search_item WHERE rowid IN (SELECT id * 4 + 3 FROM action WHERE recommendation_id = NEW.id);\n"
            f"INSERT INTO {_ITEM_COLUMNS} {action_docs('ac.recommendation_id = NEW.id')};"),
        "search_recommendation_delete": ("AFTER DELETE ON recommendation", drop_rec.format(row="OLD")),
        "search_action_insert": ("AFTER INSERT ON action", _insert(action_docs("ac.id = NEW.id"))),
        "search_action_update": (
            "AFTER UPDATE OF recommendation_id, number, text, success_measure, owner_agency_id, owner_name ON action",
            "DELETE FROM search_item WHERE rowid = OLD.id * 4 + 3;\n" + _insert(action_docs("ac.id = NEW.id"))),
        "search_action_delete": ("AFTER DELETE ON action", "DELETE FROM search_item WHERE rowid = OLD.id * 4 + 3;"),
        "search_contributor_insert": ("AFTER INSERT ON recommendation_contributor",
                                      rec_of_contributor.format(row="NEW")),
        "search_contributor_delete": ("AFTER DELETE ON recommendation_contributor",
                                      rec_of_contributor.format(row="OLD")),
        # A renamed agency: every item it leads, contributes to or owns.
        "search_agency_name": (
            "AFTER UPDATE OF name ON agency WHEN OLD.name IS NOT NEW.name",
            "DELETE FROM search_item WHERE rowid IN (SELECT id * 4 + 2 FROM recommendation "
            "WHERE lead_agency_id = NEW.id UNION SELECT recommendation_id * 4 + 2 FROM recommendation_contributor "
            "WHERE agency_id = NEW.id);\n"
            f"INSERT INTO {_ITEM_COLUMNS} {recommendation_docs(with_agency)};\n"
            "DELETE FROM search_item WHERE rowid IN (SELECT id * 4 + 3 FROM action WHERE owner_agency_id = NEW.id);\n"
            f"INSERT INTO {_ITEM_COLUMNS} {action_docs('ac.owner_agency_id = NEW.id')};"),
        # An update's item: its history document out before the change, back in after it.
        "search_update_before_insert": ("BEFORE INSERT ON progress_update", _histories("NEW", delete=True)),
        "search_update_after_insert": ("AFTER INSERT ON progress_update", _histories("NEW", delete=False)),
        "search_update_before_delete": ("BEFORE DELETE ON progress_update", _histories("OLD", delete=True)),
        "search_update_after_delete": ("AFTER DELETE ON progress_update", _histories("OLD", delete=False)),
        "search_update_before_update": (
            f"BEFORE UPDATE OF {_UPDATE_TEXT} ON progress_update",
            _histories("OLD", delete=True) + "\n" + _histories("NEW", delete=True, moved_only=True)),
        "search_update_after_update": (
            f"AFTER UPDATE OF {_UPDATE_TEXT} ON progress_update",
            _histories("OLD", delete=False) + "\n" + _histories("NEW", delete=False, moved_only=True)),
    }
    triggers = {}
    for name, (when, body) in bodies.items():
        event, _, condition = when.partition(" WHEN ")
        condition = f" WHEN {condition}" if condition else ""
        triggers[name] = f"CREATE TRIGGER {name} {event} FOR EACH ROW{condition} BEGIN\n{body}\nEND"
    return triggers


TRIGGERS = _triggers()


@cache
def trigger_tables() -> dict[str, str]:
    """trigger -> the table it is on (the schema check compares what a file holds with these)."""
    return {name: re.search(r" ON (\w+)", sql.split(" FOR EACH ROW", 1)[0]).group(1)  # type: ignore[union-attr]
            for name, sql in TRIGGERS.items()}


def shadow_tables() -> set[str]:
    return {f"{table}_{suffix}" for table, suffixes in SHADOWS.items() for suffix in suffixes}


def is_search_table(name: str | None) -> bool:
    """The index's tables and FTS5's storage for them: not in the models, made by the migration."""
    return name in TABLES or name in shadow_tables()


def normalised(sql: str) -> str:
    return " ".join(sql.split())


# --- making and filling ---------------------------------------------------------------------------
def _execute(connection: Connection, sql: str) -> None:
    connection.exec_driver_sql(sql)


def fill(connection: Connection) -> None:
    """Index every review, recommendation, action and update (into empty tables)."""
    _execute(connection, f"INSERT INTO {_ITEM_COLUMNS} {review_docs('1')} UNION ALL {recommendation_docs('1')} "
                         f"UNION ALL {action_docs('1')}")
    _execute(connection, " UNION ALL ".join(
        f"SELECT {pointer} * 4 + {code}, {_HISTORY_TEXT} FROM progress_update WHERE {pointer} IS NOT NULL "
        f"GROUP BY {pointer}" for pointer, code in _POINTERS).join(("INSERT INTO search_history(rowid, history) ", "")))


def drop(connection: Connection) -> None:
    for name in TRIGGERS:
        _execute(connection, f"DROP TRIGGER IF EXISTS {name}")
    for table in TABLES:
        _execute(connection, f"DROP TABLE IF EXISTS {table}")


class NoFullTextSearch(RuntimeError):
    """This Python's SQLite was built without FTS5 (every release of Python for Windows and macOS
    has it, as do the Linux distributions' own)."""


def create(connection: Connection) -> None:
    """Make the index and its triggers, and fill it from the record (in the caller's transaction)."""
    options = {row[0] for row in connection.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        raise NoFullTextSearch("this computer's SQLite has no full-text search (FTS5), which the search index needs")
    for sql in TABLES.values():
        _execute(connection, sql)
    fill(connection)
    for sql in TRIGGERS.values():
        _execute(connection, sql)


def rebuild(connection: Connection) -> None:
    """Throw the index away and make it again from the record."""
    drop(connection)
    create(connection)


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """For a bulk load (the large demo, a whole partnership's workbook into an empty database):
    no per-row upkeep while it runs, one rebuild when it ends, all in the caller's transaction."""
    drop(connection)
    yield
    create(connection)


# --- asking ---------------------------------------------------------------------------------------
def _phrase(term: SearchTerm) -> str:
    """A term in FTS5's query language: its tokens as a phrase, the last one a prefix. Tokens are
    letters and digits only (domain.search.parse_terms), so they need no escaping in quotes."""
    return '"' + " ".join(term.tokens) + '"*'


def _textual(sql: str, values: dict[str, str]) -> TextualSelect:
    clause: TextClause = text(sql).bindparams(*(bindparam(name, value, unique=True) for name, value in values.items()))
    return clause.columns(column("kind", Integer), column("item_id", Integer))


class SqliteTextIndex:
    """scr_desk.services.search.TextIndex for a SQLite file."""

    def matching(self, terms: Sequence[SearchTerm]) -> TextualSelect:
        """Reviews, recommendations and actions holding every term, in what they say themselves or in
        one of their updates (one term may be in the text and the next in an update)."""
        values = {f"term{n}": _phrase(term) for n, term in enumerate(terms)}
        per_term = [f"SELECT doc FROM (SELECT rowid AS doc FROM search_item WHERE search_item MATCH :{name} "
                    f"UNION SELECT rowid FROM search_history WHERE search_history MATCH :{name})" for name in values]
        return _textual(f"SELECT doc & 3 AS kind, doc >> 2 AS item_id FROM ({' INTERSECT '.join(per_term)})", values)

    def matching_in_own_words(self, terms: Sequence[SearchTerm]) -> TextualSelect:
        """Those holding every term in what they say themselves, not counting their updates."""
        return _textual("SELECT rowid & 3 AS kind, rowid >> 2 AS item_id FROM search_item "
                        "WHERE search_item MATCH :query", {"query": " AND ".join(_phrase(term) for term in terms)})

    def rebuild(self, connection: Connection) -> None:
        rebuild(connection)

    def suspended(self, connection: Connection) -> Any:
        return suspended(connection)

    def verify(self, connection: Connection) -> list[str]:
        return verify(connection)


def verify(connection: Connection) -> list[str]:
    """Where the index differs from the record, one sentence each (empty when it is right): each
    item's own document against what it says now, and every word of every update history against
    an index made afresh."""
    problems: list[str] = []
    computed = f"SELECT * FROM ({review_docs('1')} UNION ALL {recommendation_docs('1')} UNION ALL {action_docs('1')})"
    stored = "SELECT rowid, reference, body, agencies, owner, themes FROM search_item"
    for label, first, second in (("indexed but not in the record", stored, computed),
                                 ("in the record but not indexed", computed, stored)):
        rows = connection.exec_driver_sql(f"SELECT count(*) FROM ({first} EXCEPT {second})").scalar() or 0
        if rows:
            problems.append(f"{rows} item documents {label}")
    _execute(connection, f"CREATE VIRTUAL TABLE temp.search_fresh USING fts5(history, content = '', {OPTIONS})")
    try:
        _execute(connection, " UNION ALL ".join(
            f"SELECT {pointer} * 4 + {code}, {_HISTORY_TEXT} FROM progress_update WHERE {pointer} IS NOT NULL "
            f"GROUP BY {pointer}" for pointer, code in _POINTERS).join(
            ("INSERT INTO temp.search_fresh(rowid, history) ", "")))
        vocabulary = "CREATE VIRTUAL TABLE temp.{} USING fts5vocab({}, {}, 'instance')"
        _execute(connection, vocabulary.format("search_fresh_words", "temp", "search_fresh"))
        _execute(connection, vocabulary.format("search_words", "main", "search_history"))
        words = "SELECT DISTINCT term, doc FROM temp.{}"
        for label, first, second in (("indexed but not in the record", "search_words", "search_fresh_words"),
                                     ("in the record but not indexed", "search_fresh_words", "search_words")):
            pairs = connection.exec_driver_sql(
                f"SELECT count(*) FROM ({words.format(first)} EXCEPT {words.format(second)})").scalar() or 0
            if pairs:
                problems.append(f"{pairs} words of update histories {label}")
    finally:
        for table in ("search_words", "search_fresh_words", "search_fresh"):
            _execute(connection, f"DROP TABLE IF EXISTS temp.{table}")
    return problems
