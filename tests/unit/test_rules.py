from datetime import date

import pytest

from scr_desk.domain.enums import AssuranceDecision, Rag, ReviewType, Status
from scr_desk.domain.rules import (
    ActionItemState,
    Period,
    action_reference,
    days_overdue,
    is_overdue,
    natural_key,
    parse_period,
    period_of,
    recommendation_reference,
    review_code,
    roll_up,
    shown_rag,
)

TODAY = date(2021, 6, 30)


@pytest.mark.parametrize(("status", "target", "revised", "expected"), [
    (Status.IN_PROGRESS, date(2021, 6, 29), None, True),
    (Status.IN_PROGRESS, date(2021, 6, 30), None, False),          # due today is not late
    (Status.IN_PROGRESS, date(2021, 1, 1), date(2021, 12, 31), False),  # revised target wins
    (Status.NOT_STARTED, None, date(2021, 1, 1), True),
    (Status.COMPLETE, date(2020, 1, 1), None, False),
    (Status.ASSURED, date(2020, 1, 1), None, False),
    (Status.WITHDRAWN, date(2020, 1, 1), None, False),
    (Status.ON_HOLD, date(2020, 1, 1), None, True),
    (Status.IN_PROGRESS, None, None, False),
])
def test_overdue(status: Status, target: date | None, revised: date | None, expected: bool) -> None:
    assert is_overdue(status, target, revised, TODAY) is expected


def test_days_overdue_counts_from_the_revised_target() -> None:
    assert days_overdue(Status.IN_PROGRESS, date(2021, 1, 1), date(2021, 6, 20), TODAY) == 10
    assert days_overdue(Status.COMPLETE, date(2021, 1, 1), None, TODAY) == 0


def test_completed_items_show_blue() -> None:
    assert shown_rag(Status.COMPLETE, Rag.RED) is Rag.BLUE
    assert shown_rag(Status.IN_PROGRESS, Rag.AMBER) is Rag.AMBER
    assert shown_rag(Status.NOT_STARTED, None) is None


def test_roll_up_of_actions() -> None:
    rollup = roll_up([
        ActionItemState(Status.COMPLETE, Rag.GREEN, False),
        ActionItemState(Status.IN_PROGRESS, Rag.AMBER, True),
        ActionItemState(Status.IN_PROGRESS, Rag.RED, False),
        ActionItemState(Status.WITHDRAWN, None, False),
    ])
    assert (rollup.total, rollup.done, rollup.overdue) == (4, 1, 1)
    assert rollup.worst_rag is Rag.RED
    assert rollup.status is Status.IN_PROGRESS
    assert rollup.label == "1 of 4 actions complete, 1 overdue"


def test_roll_up_when_all_done_or_none_started() -> None:
    done = roll_up([ActionItemState(Status.ASSURED, Rag.GREEN, False),
                    ActionItemState(Status.COMPLETE, None, False)])
    assert done.status is Status.COMPLETE and done.worst_rag is Rag.BLUE
    fresh = roll_up([ActionItemState(Status.NOT_STARTED, None, False)])
    assert fresh.status is Status.NOT_STARTED
    assert roll_up([]).status is None and roll_up([]).label == ""


@pytest.mark.parametrize(("day", "period"), [
    (date(2020, 12, 3), "2020-21 Q3"),
    (date(2020, 4, 1), "2020-21 Q1"),
    (date(2021, 3, 31), "2020-21 Q4"),
    (date(2021, 1, 1), "2020-21 Q4"),
    (date(2099, 9, 30), "2099-00 Q2"),
])
def test_reporting_periods(day: date, period: str) -> None:
    assert str(period_of(day)) == period
    assert parse_period(period) == period_of(day)


def test_period_bounds_and_steps() -> None:
    q3 = parse_period("2020/21 q3")
    assert (q3.first_day, q3.last_day) == (date(2020, 10, 1), date(2020, 12, 31))
    assert str(Period(2020, 4).next()) == "2021-22 Q1"
    assert str(Period(2020, 1).previous()) == "2019-20 Q4"
    assert parse_period("2020-2021 Q2") == Period(2020, 2)
    for bad in ("2020-22 Q1", "Q3 2020", "2020-21 Q5", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.mark.parametrize(("text", "rag"), [
    ("R", Rag.RED), ("red", Rag.RED), (" Amber ", Rag.AMBER), ("G", Rag.GREEN),
    ("Amber/Green", Rag.AMBER), ("green-amber", Rag.AMBER), ("BLUE", Rag.BLUE),
])
def test_rag_from_text(text: str, rag: Rag) -> None:
    assert Rag.parse(text) is rag


def test_rag_rejects_nonsense() -> None:
    for bad in ("purple", "", "R/X"):
        with pytest.raises(ValueError):
            Rag.parse(bad)


def test_enums_read_labels_and_names() -> None:
    assert Status.from_text("in progress") is Status.IN_PROGRESS
    assert Status.from_text("NOT_STARTED") is Status.NOT_STARTED
    assert ReviewType.from_text("serious case review") is ReviewType.SCR
    assert ReviewType.SCR.short == "SCR"
    assert AssuranceDecision.CLOSED.resulting_status is Status.ASSURED
    assert AssuranceDecision.CHALLENGED.resulting_status is None
    with pytest.raises(ValueError):
        Status.from_text("finished-ish")


def test_references_and_ordering() -> None:
    assert review_code("Clare") == "CLARE"
    assert review_code("Child R & S (2019)") == "CHILDRS2019"
    assert recommendation_reference("CLARE", "3") == "CLARE-R3"
    assert action_reference("CLARE", "2a", "1") == "CLARE-R2a-A1"
    assert sorted(["10", "2a", "2", "1", "x"], key=natural_key) == ["1", "2", "2a", "10", "x"]


@pytest.mark.parametrize(("taken", "expected"), [
    ([], "1"), (["1", "2"], "3"), (["1", "3"], "4"), (["1", "2a", "2b"], "3"), (["R1", "x"], "1"), (["10", "9"], "11"),
])
def test_next_number_is_one_past_the_largest(taken: list[str], expected: str) -> None:
    from scr_desk.domain.rules import next_number
    assert next_number(taken) == expected
