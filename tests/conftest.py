"""Shared fixtures: a migrated template database copied per test, the sample data, and
QSettings/data folders pointed into the test's own temporary directory."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

# Qt reads these when the QApplication is made; set them before pytest-qt makes it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SCR_DESK_DATA_DIR", str(Path(os.environ.get("TMPDIR", "/tmp")) / "scr_desk-test-data"))

import pytest  # noqa: E402

from scr_desk.db.engine import Database, create_database, open_database  # noqa: E402
from scr_desk.services.sample import load_sample  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


@pytest.fixture(scope="session")
def template_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Migrate once per run: an empty database and one holding the sample data."""
    folder = tmp_path_factory.mktemp("templates")
    empty = create_database(folder / "empty.sqlite")
    empty.close()
    sample = create_database(folder / "sample.sqlite")
    load_sample(sample.sessions)
    sample.close()
    return {"empty": folder / "empty.sqlite", "sample": folder / "sample.sqlite"}


def _copy(source: Path, target: Path) -> Path:
    shutil.copy2(source, target)
    os.chmod(target, 0o600)
    return target


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "userdata"
    monkeypatch.setenv("SCR_DESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def empty_db_path(template_paths: dict[str, Path], tmp_path: Path) -> Path:
    return _copy(template_paths["empty"], tmp_path / "empty.sqlite")


@pytest.fixture
def sample_db_path(template_paths: dict[str, Path], tmp_path: Path) -> Path:
    return _copy(template_paths["sample"], tmp_path / "sample.sqlite")


@pytest.fixture
def db(empty_db_path: Path) -> Iterator[Database]:
    database = open_database(empty_db_path)
    yield database
    database.close()


@pytest.fixture
def sample_db(sample_db_path: Path) -> Iterator[Database]:
    database = open_database(sample_db_path)
    yield database
    database.close()
