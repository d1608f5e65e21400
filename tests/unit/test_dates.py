from datetime import date, datetime

import pytest

from scr_desk.domain.dates import DateError, coerce_date, format_uk, from_excel_serial, parse_uk_date

DEC3 = date(2020, 12, 3)


@pytest.mark.parametrize("text", [
    "03/12/2020", "3/12/2020", "3.12.2020", "03-12-20", "3 Dec 2020", "3rd December 2020",
    "3-Dec-20", "2020-12-03", " 03/12/2020 ", "2020-12-03 00:00:00", "3 Sept 2020".replace("Sept 2020", "Dec 2020"),
])
def test_uk_text_dates(text: str) -> None:
    assert parse_uk_date(text) == DEC3


@pytest.mark.parametrize("text", ["31/02/2021", "12/31/2020", "32/01/2020", "3 Decembre 2020",
                                  "yesterday", "2020/12", "", "00/00/0000"])
def test_impossible_or_ambiguous_dates_are_errors(text: str) -> None:
    with pytest.raises(DateError):
        parse_uk_date(text)


def test_excel_serials_in_both_systems() -> None:
    assert from_excel_serial(44168) == DEC3
    assert from_excel_serial(44168 - 1462, epoch_1904=True) == DEC3
    for bad in (0, -5, float("nan"), 1e9):
        with pytest.raises(DateError):
            from_excel_serial(bad)


def test_coerce_any_cell_value() -> None:
    assert coerce_date(datetime(2020, 12, 3, 14, 5)) == DEC3
    assert coerce_date(DEC3) == DEC3
    assert coerce_date(44168.0) == DEC3
    assert coerce_date("03/12/2020") == DEC3
    assert coerce_date(None) is None and coerce_date("  ") is None
    with pytest.raises(DateError):
        coerce_date(True)


def test_format_uk() -> None:
    assert format_uk(DEC3) == "03/12/2020"
    assert format_uk(None) == ""
