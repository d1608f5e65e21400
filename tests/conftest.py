"""Shared fixtures: a migrated template database copied per test, the sample data, and
QSettings/data folders pointed into the test's own temporary directory.

The whole run, subprocesses included (they inherit this environment), has a home of its own:
HOME, the XDG folders and SCR_DESK_DATA_DIR point into one temporary folder made here, before
anything imports Qt, so no test reads or writes the user's settings, recent files or databases.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

_RUN_HOME = Path(tempfile.mkdtemp(prefix="scr_desk-test-home-"))
atexit.register(shutil.rmtree, _RUN_HOME, ignore_errors=True)


def isolated_environment(home: Path) -> dict[str, str]:
    """The variables that decide where SCR Desk, Qt and platformdirs keep per-user files."""
    return {
        "HOME": str(home), "USERPROFILE": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"), "XDG_STATE_HOME": str(home / ".local" / "state"),
        "APPDATA": str(home / "AppData" / "Roaming"), "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "SCR_DESK_DATA_DIR": str(home / "scr_desk-data"),
    }


# Set unconditionally (a developer's own SCR_DESK_DATA_DIR must not receive test databases), and
# before Qt is imported: QSettings and platformdirs read them when first asked.
os.environ.update(isolated_environment(_RUN_HOME))
# Qt reads this when the QApplication is made; set it before pytest-qt makes it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from scr_desk.db.engine import Database, create_database, open_database  # noqa: E402
from scr_desk.services.sample import load_sample  # noqa: E402

TESTS = Path(__file__).resolve().parent


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
