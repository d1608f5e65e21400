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
from collections.abc import Callable, Iterator
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
from tests.pg_cluster import REQUIRE_VARIABLE, WRITER, Cluster, ClusterUnavailable, start_cluster  # noqa: E402
from tests.pg_cluster import required as cluster_required  # noqa: E402

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


# --- the engine a test runs on ---------------------------------------------------------------
# `db` and `sample_db` are a SQLite file by default. A module marked `both_engines` runs each of
# its tests twice, on a file and on a database on the private PostgreSQL server (tests/pg_cluster.py),
# with the same assertions: what the services do must not depend on the engine.

def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_engines"):
        metafunc.parametrize("engine_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The private PostgreSQL server, started once per run (skipped without it, failed in CI)."""
    try:
        cluster = start_cluster()
    except ClusterUnavailable as exc:
        if cluster_required():
            pytest.fail(f"PostgreSQL is required here ({REQUIRE_VARIABLE}) but could not start: {exc}")
        pytest.skip(f"no PostgreSQL server for the team-mode tests: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_templates(pg_cluster: Cluster) -> dict[str, str]:
    """Migrated once per run, as on a file: an empty database and one holding the sample data."""
    names = {}
    for kind in ("empty", "sample"):
        name = pg_cluster.new_database()
        database = create_database(pg_cluster.url(WRITER, name))
        if kind == "sample":
            load_sample(database.sessions)
        database.close()
        names[kind] = name
    return names


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> Iterator[Callable[..., str]]:
    """Makes server databases for one test (copies of a template, or empty) and drops them after."""
    made: list[str] = []

    def make(template: str | None = None) -> str:
        made.append(pg_cluster.new_database(template=template))
        return made[-1]
    yield make
    for name in made:
        pg_cluster.drop_database(name)


def _open_kind(request: pytest.FixtureRequest, kind: str, template: str) -> Database:
    if kind == "postgresql":
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        templates: dict[str, str] = request.getfixturevalue("pg_templates")
        name = request.getfixturevalue("pg_database")(templates[template])
        return open_database(cluster.url(WRITER, name))
    return open_database(request.getfixturevalue(f"{template}_db_path"))


@pytest.fixture
def db(request: pytest.FixtureRequest, engine_kind: str) -> Iterator[Database]:
    database = _open_kind(request, engine_kind, "empty")
    yield database
    database.close()


@pytest.fixture
def sample_db(request: pytest.FixtureRequest, engine_kind: str) -> Iterator[Database]:
    database = _open_kind(request, engine_kind, "sample")
    yield database
    database.close()
