"""`--answers` is bounded: its size, how deeply it nests, how many entries it holds, and how much
of any value a message quotes back. Each refusal is one short sentence, exit 1, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scr_desk.cli import main
from tests.unit.test_tracker_cli import SECTIONS


def _refused(db: Path, answers: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["import", "--db", str(db), str(SECTIONS), "--answers", str(answers)])
    out, err = capsys.readouterr()
    assert code == 1 and not out and err.count("\n") == 1 and len(err) < 1500, err[:1500]
    assert "Traceback" not in err and "RecursionError" not in err
    return err


def test_deeply_nested_answers_are_one_sentence(empty_db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: deeply nested JSON crashed the import with RecursionError."""
    answers = tmp_path / "deep.json"
    answers.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "nests its lists and objects far more deeply" in _refused(empty_db_path, answers, capsys)
    answers.write_text(json.dumps({"rag:yellow": [[[[[[[[[["Red"]]]]]]]]]]}), encoding="utf-8")
    assert "nests its lists and objects more than 8 deep" in _refused(empty_db_path, answers, capsys)


def test_a_huge_answers_file_is_refused_before_it_is_read(empty_db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The harm: a 114 MB answers file produced a 47 MB error line."""
    answers = tmp_path / "huge.json"
    answers.write_text(json.dumps({"rag:yellow": "V" * 3_000_000}), encoding="utf-8")
    assert "the answers file is 2.9 MB; an answers file is what --json printed" in _refused(
        empty_db_path, answers, capsys)


def test_a_message_quotes_only_a_little_of_each_value(empty_db_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "long.json"
    answers.write_text(json.dumps({**{f"bogus:{n}" + "x" * 5_000: "x" for n in range(50)},
                                   "rag:yellow": "Violet" * 10_000}), encoding="utf-8")
    err = _refused(empty_db_path, answers, capsys)
    assert "no file asks a question with the id 'bogus:0xxxx" in err and "…" in err
    assert "; and 41 more. Nothing was imported." in err
