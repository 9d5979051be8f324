"""A PostgreSQL 15 cluster of the suite's own, in a folder of its own, on a port of its own.

The shared server on 5432 is never touched: every fault (stop, freeze, full disk) is done to
this one. The cluster runs as the `postgres` OS user (PostgreSQL refuses to run as root) and
accepts anyone on 127.0.0.1 without a password, like the test server.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

BIN = Path("/usr/lib/postgresql/15/bin")
OS_USER = "postgres"


def _as_postgres(*command: str | Path) -> list[str]:
    as_user = [] if os.geteuid() != 0 else ["runuser", "-u", OS_USER, "--"]
    return [*as_user, *(str(part) for part in command)]


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, OS_USER, OS_USER)


@dataclass
class Cluster:
    """One running cluster: its data folder, its port, and the commands that fault it."""

    data: Path
    port: int
    log: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def connect(
        self, database: str = "postgres", *, autocommit: bool = False, connect_timeout: int = 10
    ) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname=database,
            autocommit=autocommit,
            connect_timeout=connect_timeout,
        )

    def create_database(self, name: str) -> None:
        with self.connect(autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def pg_ctl(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_postgres(BIN / "pg_ctl", "-D", self.data, *arguments),
            capture_output=True,
            text=True,
            check=False,
        )

    def start(self) -> None:
        done = self.pg_ctl("-l", str(self.log), "-w", "-t", "60", "start")
        if done.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}{self.log_tail()}")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        return self.pg_ctl("status").returncode == 0

    def processes(self) -> list[int]:
        """The postmaster and all its children (backends, checkpointer, WAL writer...)."""
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return []
        postmaster = int(pid_file.read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    def signal_all(self, number: signal.Signals) -> None:
        for pid in self.processes():
            # A backend may have ended meanwhile.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, number)

    def server_version(self) -> str:
        with self.connect() as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"

    def log_tail(self, lines: int = 20) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _wait_accepting(cluster: Cluster) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with cluster.connect(connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def own_cluster(folder: Path, port: int) -> Iterator[Cluster]:
    """A fresh cluster in `folder` (created, owned by postgres), stopped and deleted at the end,
    whatever ends the block: an error, or Ctrl-C (KeyboardInterrupt unwinds through here)."""
    folder.mkdir(parents=True, exist_ok=True)
    _chown(folder)
    data = folder / "data"
    log = folder / "postgresql.log"
    log.touch()
    _chown(log)
    made = subprocess.run(
        _as_postgres(
            BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise RuntimeError(f"initdb failed (is {folder.parent} open to {OS_USER}?): {made.stderr}")
    with (data / "postgresql.conf").open("a") as conf:
        # Loopback only, a private socket folder, and no fsync: the faults are what is tested,
        # not the disk's speed. A crash restarts the server by itself, as by default.
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {port}\n"
            f"unix_socket_directories = '{folder}'\nfsync = off\nmax_connections = 200\n"
        )
    cluster = Cluster(data=data, port=port, log=log)
    try:
        cluster.start()
        _wait_accepting(cluster)
        yield cluster
    finally:
        # A frozen server ignores pg_ctl: thaw it first, then stop it, then kill what is left.
        cluster.signal_all(signal.SIGCONT)
        cluster.stop("immediate")
        cluster.signal_all(signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)
