"""A private PostgreSQL cluster for the tests: started in a temporary folder, reached by a Unix
socket in that folder (no TCP), stopped and removed at the end of the run.

`initdb` refuses to run as root, and CI runs as root: the cluster is then made and run by an
unprivileged account (`postgres` where the Debian package made one, else `nobody`), through
subprocess's own `user=`/`group=` switch. Run as anyone else, it is the current user's.

The cluster holds the roles a partnership's IT would make (README, "A team on one server"):
- `scr_team`, a group that owns each database, so every writer's tables are the team's;
- `lead` and `officer`, two people who write (members of `scr_team`);
- `viewer`, a person granted SELECT only (a member of `scr_viewers`).
Its databases use ICU's English collation, as a council's server would: ordering by plain text
there is linguistic, not SQLite's byte order, so a query that leans on the engine's own order
shows up in the tests.

In CI (SCR_DESK_REQUIRE_POSTGRES=1, set by .ci/run) a cluster that cannot start fails the tests
that need it; elsewhere they skip, saying why.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

REQUIRE_VARIABLE = "SCR_DESK_REQUIRE_POSTGRES"
TEAM, VIEWERS = "scr_team", "scr_viewers"
WRITER, SECOND_WRITER, VIEWER = "lead", "officer", "viewer"
SUPERUSER = "postgres"


class ClusterUnavailable(Exception):
    """The server could not be found or started; the reason is the message."""


def required() -> bool:
    return os.environ.get(REQUIRE_VARIABLE, "") not in ("", "0")


def _binaries() -> Path:
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found:
            return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not candidates:
        raise ClusterUnavailable("PostgreSQL is not installed (no initdb; Debian: apt-get install postgresql)")
    return candidates[0].parent


def _run_as() -> tuple[int, int] | None:
    """The account to run the server as: None for the current user, else (uid, gid)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise ClusterUnavailable("running as root, and there is neither a postgres nor a nobody account to run it as")


@dataclass
class Cluster:
    folder: Path  # holds the data directory, the log and the socket
    binaries: Path
    account: tuple[int, int] | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, role: str, database: str) -> str:
        """The URL a person gives the app: role and database, the socket folder as ?host=."""
        return f"postgresql+psycopg://{role}@/{database}?host={quote(str(self.folder), safe='/')}"

    def _command(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if self.account is not None:
            kwargs = {"user": self.account[0], "group": self.account[1], "extra_groups": []}
        completed: subprocess.CompletedProcess[str] = subprocess.run(
            [str(self.binaries / args[0]), *args[1:]], capture_output=True, text=True, check=check, timeout=120,
            cwd=self.folder, **kwargs)  # type: ignore[call-overload]
        return completed

    def start(self) -> None:
        try:
            self._command("initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                          "--locale=C.UTF-8", "--no-sync")
        except subprocess.CalledProcessError as exc:
            raise ClusterUnavailable(f"initdb failed: {exc.stderr.strip()[-500:]}") from None
        # No TCP at all; the socket in our own folder. Durability is not what these tests are about.
        options = (f"-c listen_addresses='' -c unix_socket_directories='{self.folder}' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        started = self._command("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                                "-o", options, "-w", "-t", "60", "start", check=False)
        if started.returncode != 0:
            log = (self.folder / "server.log")
            tail = log.read_text(errors="replace")[-800:] if log.exists() else started.stderr
            raise ClusterUnavailable(f"pg_ctl could not start the server: {tail.strip()}")
        self.admin_sql(
            f"CREATE ROLE {TEAM} NOLOGIN",
            f"CREATE ROLE {VIEWERS} NOLOGIN",
            f"CREATE ROLE {WRITER} LOGIN IN ROLE {TEAM}",
            f"CREATE ROLE {SECOND_WRITER} LOGIN IN ROLE {TEAM}",
            f"CREATE ROLE {VIEWER} LOGIN IN ROLE {VIEWERS}",
        )

    def stop(self) -> None:
        self._command("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def admin_sql(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the superuser (each outside a transaction: CREATE DATABASE needs that)."""
        import psycopg
        with psycopg.connect(host=str(self.folder), user=SUPERUSER, dbname=database, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def new_database(self, *, template: str | None = None) -> str:
        """An empty database owned by the team, viewers granted SELECT on whatever it will hold.

        The English ICU collation stands for a council's server; from a template, a copy of it."""
        name = "t_" + uuid.uuid4().hex[:16]
        if template:
            self.admin_sql(f"CREATE DATABASE {name} TEMPLATE {template} OWNER {TEAM}")
        else:
            self.admin_sql(f"CREATE DATABASE {name} TEMPLATE template0 OWNER {TEAM} ENCODING 'UTF8' "
                           "LOCALE_PROVIDER icu ICU_LOCALE 'en-GB' LOCALE 'C.UTF-8'")
        self.admin_sql(f"ALTER DEFAULT PRIVILEGES FOR ROLE {TEAM} IN SCHEMA public GRANT SELECT ON TABLES TO {VIEWERS}",
                       f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {VIEWERS}", database=name)
        return name

    def drop_database(self, name: str) -> None:
        self.admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start_cluster() -> Cluster:
    """A running private cluster, or ClusterUnavailable saying why not."""
    binaries = _binaries()
    account = _run_as()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise ClusterUnavailable("psycopg is not installed") from None
    folder = Path(tempfile.mkdtemp(prefix="scr-pg-"))
    if account is not None:
        os.chown(folder, *account)
    os.chmod(folder, 0o700)
    cluster = Cluster(folder, binaries, account)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
