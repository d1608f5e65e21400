"""The large demo: N times the data set on request, and every item saying what its newest update
says (issue 22, "The large demo disagrees with itself": R008-R17 "Not started" in the tree while
its newest update said "→ Withdrawn"; Blue beside a newest update of Green)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from scr_desk.cli import main
from scr_desk.db.engine import Database, open_database
from scr_desk.db.models import Action, Recommendation, Review, Update
from scr_desk.domain.enums import DONE_STATUSES, Rag, Status
from scr_desk.services.synthetic import QUICK, add_synthetic_data


def _disagreements(database: Database) -> list[str]:
    """Every item whose stored status or RAG is not what its updates, replayed oldest first as the
    app's write path applies them (each stated status or RAG moves the item), leave it at."""
    found = []
    with database.sessions() as session:
        for model, column in ((Recommendation, Update.recommendation_id), (Action, Update.action_id)):
            said: dict[int, tuple[Status, Rag | None]] = {}
            for item_id, status, rag in session.execute(select(column, Update.status, Update.rag)
                                                        .where(column.is_not(None))
                                                        .order_by(column, Update.as_at, Update.id)):
                was_status, was_rag = said.get(item_id, (Status.NOT_STARTED, None))
                said[item_id] = (status or was_status, rag or was_rag)
            for item_id, status, rag in session.execute(select(model.id, model.status, model.rag)):
                if said.get(item_id, (Status.NOT_STARTED, None)) != (status, rag):
                    found.append(f"{model.__name__} {item_id}: {status}, {rag} but its updates say "
                                 f"{said.get(item_id)}")
    return found


def test_the_large_demo_disagrees_with_itself_nowhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "large.sqlite"
    assert main(["demo", "--large", "--db", str(path)]) == 0
    assert ("with the sample data and the large synthetic data set (200 reviews, 5,000 recommendations, "
            "10,000 actions, 120,000 updates).") in capsys.readouterr().out
    database = open_database(path)
    try:
        assert _disagreements(database) == []
        with database.sessions() as session:
            items = [*session.execute(select(Recommendation.status, Recommendation.rag)),
                     *session.execute(select(Action.status, Action.rag))]
            assert len(items) == 15_000 + 3  # the Clare sample's three recommendations too
            # Blue marks finished work: it is never beside open work, and finished work was rated Blue
            # by the update that finished it.
            assert all((rag is Rag.BLUE) == (status in DONE_STATUSES) for status, rag in items if rag is not None)
            assert {status for status, _ in items} == set(Status)  # every status is shown somewhere
            assert {rag for _, rag in items} == {*Rag, None}
            assert session.scalar(select(func.count()).select_from(Update)) == 120_000 + 3
    finally:
        database.close()


def test_scale_multiplies_every_record_but_the_agencies(db: Database) -> None:
    add_synthetic_data(db.sessions, QUICK.scaled(3))
    with db.sessions() as session:
        counted = {model.__name__: session.scalar(select(func.count()).select_from(model))
                   for model in (Review, Recommendation, Action, Update)}
    assert counted == {"Review": 24, "Recommendation": 360, "Action": 720, "Update": 3600}
    assert QUICK.scaled(3).agencies == QUICK.agencies
    assert _disagreements(db) == []


def test_the_same_seed_makes_the_same_records(tmp_path: Path, template_paths: dict[str, Path]) -> None:
    def records(seed: int) -> list[tuple[object, ...]]:
        path = tmp_path / f"seed{seed}-{len(list(tmp_path.iterdir()))}.sqlite"
        path.write_bytes(template_paths["empty"].read_bytes())
        database = open_database(path)
        try:
            add_synthetic_data(database.sessions, QUICK, seed=seed)
            with database.sessions() as session:
                return list(session.execute(select(Update.uid, Update.as_at, Update.status, Update.narrative)
                                            .order_by(Update.id)))
        finally:
            database.close()
    assert records(7) == records(7)
    assert records(7) != records(8)


@pytest.mark.parametrize(("options", "said"), [
    (["--scale", "3"], "--scale sizes the large data set: give it with --large"),
    (["--large", "--scale", "0"], "--scale: 0 is not a size from 1 to 100"),
])
def test_scale_is_given_with_large_and_a_sensible_size(tmp_path: Path, options: list[str], said: str,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sqlite"
    with pytest.raises(SystemExit) as exited:
        main(["demo", "--db", str(path), *options])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert said in err and err.startswith("usage: scr-desk demo ")
    assert not path.exists()
