"""The search index on a PostgreSQL server: two tables of `tsvector` documents with GIN indexes,
kept right by the server itself (statement-level triggers), whoever writes the record.

It answers as the SQLite index does (db/search_sqlite.py), so the window finds the same items on
a file and on a server:

- `search_item`: one document per review, recommendation and action, from what it says itself,
  its fields (reference, text, agencies, owner, themes) kept apart so that a phrase never runs
  from one into the next, as in FTS5's columns;
- `search_history`: one document per recommendation and action, from every update's narrative,
  evidence and author, in the order they were written.

A document's number is the item's id * 4 + its kind (domain.search.doc_id). Words are what the
find box makes of what is typed (domain.search.parse_terms): letters and digits, lower case,
accents taken off (the SQL function `search_words`); a term is a phrase whose last word is a
prefix (`'domestic' <-> 'abus':*`). The triggers refresh the documents of the items a statement
touched, once per statement (an import of five thousand rows refreshes the items it reached in
one go); a bulk load suspends them for its transaction and rebuilds once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Integer, TextClause, bindparam, column, text
from sqlalchemy.sql.selectable import TextualSelect

from scr_desk.domain.search import SearchTerm

__all__ = [
    "PostgresTextIndex", "SUSPENDED", "TABLES", "TRIGGERS", "create", "drop", "expected_triggers", "fill",
    "is_search_table", "rebuild", "suspended", "verify",
]


TABLES = ("search_item", "search_history")
SUSPENDED = "scr_desk.search_suspended"  # a setting local to a bulk load's transaction
# Combining marks, taken off after decomposing (NFD), as domain.search.fold does.
_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
# What is not a letter or a digit becomes a space, so the server's parser sees the find box's words
# (no hyphenated compounds, addresses or version numbers of its own).
_NOT_WORD = "[^[:alnum:][:space:]]|_"
_GAP = "searchgapzz"  # stands between two fields while they are joined, then taken out

_HELPERS = f"""
CREATE FUNCTION search_words(value text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple', regexp_replace(regexp_replace(normalize(lower(coalesce(value, '')), NFD),
         '{_MARKS}', '', 'g'), '{_NOT_WORD}', ' ', 'g'))
$$;
CREATE FUNCTION search_fields(VARIADIC fields text[]) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  joined tsvector := '';
  field text;
BEGIN
  FOREACH field IN ARRAY fields LOOP
    joined := joined || to_tsvector('simple', '{_GAP}') || search_words(field);
  END LOOP;
  RETURN ts_delete(joined, '{_GAP}');
END $$;
CREATE FUNCTION search_number(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(coalesce(value, ''), ' ', ''), '-', ''), '(', ''), ')', '')
$$;
"""


def _review_docs(where: str) -> str:
    return ("SELECT v.id * 4 + 1 AS doc, search_fields(v.code, concat_ws(' ', v.name, v.reference, v.review_type, "
            f"v.summary), v.partnership, v.reviewer, '') AS words FROM review v WHERE {where}")


def _recommendation_docs(where: str) -> str:
    agencies = ("concat_ws(' ', (SELECT a.name FROM agency a WHERE a.id = r.lead_agency_id), "
                "(SELECT string_agg(a.name, ' ' ORDER BY a.id) FROM recommendation_contributor c "
                "JOIN agency a ON a.id = c.agency_id WHERE c.recommendation_id = r.id))")
    return ("SELECT r.id * 4 + 2, search_fields(v.code || '-R' || search_number(r.number) || ' Recommendation ' "
            f"|| r.number, r.text, {agencies}, '', r.themes) FROM recommendation r "
            f"JOIN review v ON v.id = r.review_id WHERE {where}")


def _action_docs(where: str) -> str:
    return ("SELECT ac.id * 4 + 3, search_fields(v.code || '-R' || search_number(r.number) || '-A' || "
            "search_number(ac.number) || ' Action ' || ac.number, concat_ws(' ', ac.text, ac.success_measure), "
            "(SELECT a.name FROM agency a WHERE a.id = ac.owner_agency_id), ac.owner_name, '') "
            "FROM action ac JOIN recommendation r ON r.id = ac.recommendation_id JOIN review v ON v.id = r.review_id "
            f"WHERE {where}")


def _history_docs(pointer: str, code: int, where: str) -> str:
    return (f"SELECT {pointer} * 4 + {code}, search_words(string_agg(concat_ws(' ', narrative, evidence, author), "
            f"' ' ORDER BY id)) FROM progress_update WHERE {pointer} IS NOT NULL AND ({where}) GROUP BY {pointer}")


def _item_docs(reviews: str, recs: str, actions: str) -> str:
    return " UNION ALL ".join((_review_docs(reviews), _recommendation_docs(recs), _action_docs(actions)))


def _history_all(recs: str, actions: str) -> str:
    return f"{_history_docs('recommendation_id', 2, recs)} UNION ALL {_history_docs('action_id', 3, actions)}"


_REFRESH = f"""
CREATE FUNCTION search_refresh(reviews integer[], recs integer[], actions integer[], rec_histories integer[],
                               action_histories integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_item WHERE doc IN (SELECT unnest(reviews) * 4 + 1 UNION ALL SELECT unnest(recs) * 4 + 2
                                        UNION ALL SELECT unnest(actions) * 4 + 3);
  INSERT INTO search_item (doc, words) {_item_docs("v.id = ANY(reviews)", "r.id = ANY(recs)",
                                                   "ac.id = ANY(actions)")};
  DELETE FROM search_history WHERE doc IN (SELECT unnest(rec_histories) * 4 + 2
                                           UNION ALL SELECT unnest(action_histories) * 4 + 3);
  INSERT INTO search_history (doc, words) {_history_all("recommendation_id = ANY(rec_histories)",
                                                        "action_id = ANY(action_histories)")};
END $$;
"""

# What each statement on a table touches, from its transition tables (changed: the rows whose
# searched columns changed, old and new side by side). Arrays, in the order search_refresh takes.
_EMPTY = "'{}'::integer[]"


def _ids(query: str) -> str:
    return f"coalesce(ARRAY({query}), {_EMPTY})"


_TOUCHED: dict[str, dict[str, tuple[str, ...]]] = {
    "review": {
        "INSERT": ("SELECT id FROM new_rows",),
        "DELETE": ("SELECT id FROM old_rows",),
        "UPDATE": ("SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.code, n.name, n.reference, "
                   "n.review_type, n.partnership, n.reviewer, n.summary) IS DISTINCT FROM (o.code, o.name, "
                   "o.reference, o.review_type, o.partnership, o.reviewer, o.summary)",
                   # a review's code begins the reference of everything in it
                   "SELECT r.id FROM recommendation r JOIN new_rows n ON n.id = r.review_id JOIN old_rows o "
                   "ON o.id = n.id WHERE n.code IS DISTINCT FROM o.code",
                   "SELECT ac.id FROM action ac JOIN recommendation r ON r.id = ac.recommendation_id JOIN new_rows n "
                   "ON n.id = r.review_id JOIN old_rows o ON o.id = n.id WHERE n.code IS DISTINCT FROM o.code"),
    },
    "recommendation": {
        "INSERT": ("", "SELECT id FROM new_rows"),
        "DELETE": ("", "SELECT id FROM old_rows"),
        "UPDATE": ("", "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.review_id, n.number, "
                       "n.text, n.themes, n.lead_agency_id) IS DISTINCT FROM (o.review_id, o.number, o.text, o.themes, "
                       "o.lead_agency_id)",
                   # a recommendation's number is in its actions' references
                   "SELECT ac.id FROM action ac JOIN new_rows n ON n.id = ac.recommendation_id JOIN old_rows o "
                   "ON o.id = n.id WHERE (n.number, n.review_id) IS DISTINCT FROM (o.number, o.review_id)"),
    },
    "action": {
        "INSERT": ("", "", "SELECT id FROM new_rows"),
        "DELETE": ("", "", "SELECT id FROM old_rows"),
        "UPDATE": ("", "", "SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.recommendation_id, "
                           "n.number, n.text, n.success_measure, n.owner_agency_id, n.owner_name) IS DISTINCT FROM "
                           "(o.recommendation_id, o.number, o.text, o.success_measure, o.owner_agency_id, "
                           "o.owner_name)"),
    },
    "recommendation_contributor": {
        "INSERT": ("", "SELECT recommendation_id FROM new_rows"),
        "DELETE": ("", "SELECT recommendation_id FROM old_rows"),
    },
    "agency": {  # a renamed agency: every item it leads, contributes to or owns
        "UPDATE": ("", "SELECT r.id FROM recommendation r JOIN new_rows n ON n.id = r.lead_agency_id JOIN old_rows o "
                       "ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name UNION SELECT c.recommendation_id FROM "
                       "recommendation_contributor c JOIN new_rows n ON n.id = c.agency_id JOIN old_rows o ON "
                       "o.id = n.id WHERE n.name IS DISTINCT FROM o.name",
                   "SELECT ac.id FROM action ac JOIN new_rows n ON n.id = ac.owner_agency_id JOIN old_rows o "
                   "ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name"),
    },
    "progress_update": {
        "INSERT": ("", "", "", "SELECT recommendation_id FROM new_rows", "SELECT action_id FROM new_rows"),
        "DELETE": ("", "", "", "SELECT recommendation_id FROM old_rows", "SELECT action_id FROM old_rows"),
        "UPDATE": ("", "", "",
                   *(f"SELECT x.{pointer} FROM (SELECT n.{pointer} FROM new_rows n JOIN old_rows o ON o.id = n.id "
                     f"WHERE (n.narrative, n.evidence, n.author, n.recommendation_id, n.action_id) IS DISTINCT FROM "
                     f"(o.narrative, o.evidence, o.author, o.recommendation_id, o.action_id) UNION "
                     f"SELECT o.{pointer} FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE (n.narrative, "
                     f"n.evidence, n.author, n.recommendation_id, n.action_id) IS DISTINCT FROM (o.narrative, "
                     f"o.evidence, o.author, o.recommendation_id, o.action_id)) AS x"
                     for pointer in ("recommendation_id", "action_id"))),
    },
}


def _trigger_name(table: str, event: str) -> str:
    return f"search_{table}_{event.lower()}"


def _trigger_sql(table: str, event: str, queries: tuple[str, ...]) -> tuple[str, str]:
    arrays = [_ids(query) if query else _EMPTY for query in (*queries, "", "", "", "", "")[:5]]
    name = _trigger_name(table, event)
    function = (f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                f"  IF coalesce(current_setting('{SUSPENDED}', true), '') <> 'on' THEN\n"
                f"    PERFORM search_refresh({', '.join(arrays)});\n  END IF;\n  RETURN NULL;\nEND $$")
    referencing = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                   "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]
    trigger = (f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    return function, trigger


TRIGGERS = {_trigger_name(table, event): (table, *_trigger_sql(table, event, queries))
            for table, events in _TOUCHED.items() for event, queries in events.items()}


def is_search_table(name: str | None) -> bool:
    return name in TABLES


def expected_triggers() -> dict[str, str]:
    """trigger -> the table it is on (the schema check accepts these and no other)."""
    return {name: table for name, (table, _function, _trigger) in TRIGGERS.items()}


# --- making and filling ---------------------------------------------------------------------------
def _execute(connection: Connection, sql: str) -> None:
    connection.exec_driver_sql(sql)


def fill(connection: Connection) -> None:
    """Index every review, recommendation, action and update (into empty tables)."""
    _execute(connection, f"INSERT INTO search_item (doc, words) {_item_docs('true', 'true', 'true')}")
    _execute(connection, f"INSERT INTO search_history (doc, words) {_history_all('true', 'true')}")


def create(connection: Connection) -> None:
    """Make the index, its functions and triggers, and fill it (in the caller's transaction)."""
    for table in TABLES:
        _execute(connection, f"CREATE TABLE {table} (doc integer PRIMARY KEY, words tsvector NOT NULL)")
        _execute(connection, f"CREATE INDEX {table}_words ON {table} USING gin (words)")
    _execute(connection, _HELPERS)
    _execute(connection, _REFRESH)
    fill(connection)
    for _table, function, trigger in TRIGGERS.values():
        _execute(connection, function)
        _execute(connection, trigger)


def drop(connection: Connection) -> None:
    for name, (table, _function, _trigger) in TRIGGERS.items():
        _execute(connection, f"DROP TRIGGER IF EXISTS {name} ON {table}")
        _execute(connection, f"DROP FUNCTION IF EXISTS {name}()")
    for function in ("search_refresh(integer[], integer[], integer[], integer[], integer[])",
                     "search_fields(text[])", "search_words(text)", "search_number(text)"):
        _execute(connection, f"DROP FUNCTION IF EXISTS {function}")
    for table in TABLES:
        _execute(connection, f"DROP TABLE IF EXISTS {table}")


def rebuild(connection: Connection) -> None:
    """Throw the documents away and make them again from the record (functions and triggers stay)."""
    _execute(connection, "TRUNCATE search_item, search_history")
    fill(connection)


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """For a bulk load: no upkeep statement by statement inside the caller's transaction, one
    rebuild at its end. (A setting local to the transaction: another's writes keep theirs.)"""
    _execute(connection, f"SET LOCAL {SUSPENDED} = 'on'")
    yield
    _execute(connection, f"SET LOCAL {SUSPENDED} = 'off'")
    rebuild(connection)


# --- asking ---------------------------------------------------------------------------------------
def _query(term: SearchTerm) -> str:
    """A term as a tsquery: its tokens in a row, the last a prefix. Tokens are letters and digits
    (domain.search.parse_terms), quoted all the same."""
    words = [f"'{token}'" for token in term.tokens]
    words[-1] += ":*"
    return " <-> ".join(words)


def _textual(sql: str, values: dict[str, str]) -> TextualSelect:
    clause: TextClause = text(sql).bindparams(*(bindparam(name, value, unique=True) for name, value in values.items()))
    return clause.columns(column("kind", Integer), column("item_id", Integer))


class PostgresTextIndex:
    """scr_desk.services.search.TextIndex for a database on a PostgreSQL server."""

    def matching(self, terms: Sequence[SearchTerm]) -> TextualSelect:
        values = {f"term{n}": _query(term) for n, term in enumerate(terms)}
        per_term = [f"SELECT doc FROM search_item WHERE words @@ to_tsquery('simple', :{name}) "
                    f"UNION SELECT doc FROM search_history WHERE words @@ to_tsquery('simple', :{name})"
                    for name in values]
        found = " INTERSECT ".join(f"({query})" for query in per_term)
        return _textual(f"SELECT doc & 3 AS kind, doc >> 2 AS item_id FROM ({found}) AS found", values)

    def matching_in_own_words(self, terms: Sequence[SearchTerm]) -> TextualSelect:
        query = " & ".join(f"({_query(term)})" for term in terms)
        return _textual("SELECT doc & 3 AS kind, doc >> 2 AS item_id FROM search_item "
                        "WHERE words @@ to_tsquery('simple', :query)", {"query": query})

    def rebuild(self, connection: Connection) -> None:
        rebuild(connection)

    def suspended(self, connection: Connection) -> Any:
        return suspended(connection)

    def verify(self, connection: Connection) -> list[str]:
        return verify(connection)


def verify(connection: Connection) -> list[str]:
    """Where the index differs from the record, one sentence each (empty when it is right)."""
    problems: list[str] = []
    for table, computed in (("search_item", _item_docs("true", "true", "true")),
                            ("search_history", _history_all("true", "true"))):
        stored = f"SELECT doc, words FROM {table}"
        what = "item documents" if table == "search_item" else "update histories"
        for label, first, second in (("indexed but not in the record", stored, computed),
                                     ("in the record but not indexed", computed, stored)):
            rows = connection.exec_driver_sql(
                f"SELECT count(*) FROM (({first}) EXCEPT ({second})) AS differing").scalar() or 0
            if rows:
                problems.append(f"{rows} {what} {label}")
    return problems
