"""The whole suite: its own PostgreSQL, the databases, the services, each scenario in turn."""

import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.servers import free_port
from faults import scenarios
from faults.cluster import Cluster, own_cluster
from faults.report import Row, Violation, environment
from faults.scenarios import Phases, Seeds, run_almaty, small_tmpfs
from faults.service import running_service

SCENARIOS = (
    "stopped",
    "frozen",
    "locked",
    "reload",
    "kill",
    "disk-full-postgres",
    "disk-full-sqlite",
)
# Room for an initialised cluster and the seeded database, not much more: it fills fast.
POSTGRES_TMPFS_MB = 192
SQLITE_TMPFS_MB = 48


def _setup(url: str, events: int = 0) -> None:
    code, _, err = run_almaty(url, "setup")
    if code != 0:
        raise RuntimeError(f"almaty setup failed: {err[-2000:]}")
    if events:
        subprocess.run(
            [sys.executable, "-m", "bench.generate", url, "--events", str(events)], check=True
        )


def _guarded(name: str, scenario: Callable[[], Row]) -> Row:
    """A scenario that could not run is a failed row, and the others still run."""
    try:
        return scenario()
    except Exception as error:
        traceback.print_exc()
        return Row(name, violations=[Violation(f"could not run: {type(error).__name__}: {error}")])


def run(
    phases: Phases, *, only: Sequence[str] | None = None, events: int = 0
) -> tuple[list[Row], str]:
    """Every chosen scenario's row, and the machine and versions they ran on."""
    chosen = [name for name in SCENARIOS if not only or name in only]
    work = Path(tempfile.mkdtemp(prefix="almaty-faults-"))
    # The postgres OS user must reach its data folders inside.
    work.chmod(0o755)
    rows: list[Row] = []
    header = ""
    try:
        seeds = Seeds.make(work)
        with own_cluster(work / "pg", free_port()) as cluster:
            header = environment(cluster.server_version())
            rows += _on_postgres(cluster, seeds, phases, chosen, events, work)
        if "disk-full-postgres" in chosen:
            rows.append(
                _guarded("disk full (PostgreSQL)", lambda: _full_postgres(seeds, phases, work))
            )
        if "disk-full-sqlite" in chosen:
            rows.append(_guarded("disk full (SQLite)", lambda: _full_sqlite(seeds, phases, work)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows, header


def _on_postgres(
    cluster: Cluster,
    seeds: Seeds,
    phases: Phases,
    chosen: list[str],
    events: int,
    work: Path,
) -> list[Row]:
    rows = []
    if {"stopped", "frozen", "locked"} & set(chosen):
        cluster.create_database("faults")
        _setup(cluster.url("faults"), events)
        with running_service(cluster.url("faults"), work / "service-faults.log") as service:
            if "stopped" in chosen:
                rows.append(
                    _guarded(
                        "PostgreSQL stopped",
                        lambda: scenarios.postgres_stopped(cluster, service, phases),
                    )
                )
            if "frozen" in chosen:
                rows.append(
                    _guarded(
                        "PostgreSQL frozen",
                        lambda: scenarios.postgres_frozen(cluster, service, phases),
                    )
                )
            if "locked" in chosen:
                rows.append(
                    _guarded(
                        "table locked",
                        lambda: scenarios.table_locked(cluster, "faults", service, phases),
                    )
                )
    if {"reload", "kill"} & set(chosen):
        # The seed only: a reload removes whatever the seed does not hold (synthetic events too).
        cluster.create_database("reload")
        url = cluster.url("reload")
        _setup(url)
        with running_service(url, work / "service-reload.log") as service:
            if "reload" in chosen:
                rows.append(
                    _guarded(
                        "reload under load",
                        lambda: scenarios.reload_under_load(url, seeds, service, phases),
                    )
                )
            if "kill" in chosen:
                rows.append(
                    _guarded(
                        "kill -9 of a reload",
                        lambda: scenarios.reload_killed(cluster, "reload", seeds, service, phases),
                    )
                )
    return rows


def _full_postgres(seeds: Seeds, phases: Phases, work: Path) -> Row:
    if os.geteuid() != 0:
        return Row("disk full (PostgreSQL)", notes=["skipped: mounting a tmpfs needs root"])
    with (
        small_tmpfs(work / "full-pg", POSTGRES_TMPFS_MB) as mount,
        own_cluster(mount / "pg", free_port()) as cluster,
    ):
        cluster.create_database("faults")
        url = cluster.url("faults")
        _setup(url)
        with running_service(url, work / "service-full-pg.log") as service:
            return scenarios.disk_full(
                "disk full (PostgreSQL)", url, mount, seeds, service, phases, cluster
            )


def _full_sqlite(seeds: Seeds, phases: Phases, work: Path) -> Row:
    if os.geteuid() != 0:
        return Row("disk full (SQLite)", notes=["skipped: mounting a tmpfs needs root"])
    with small_tmpfs(work / "full-sqlite", SQLITE_TMPFS_MB) as mount:
        url = f"sqlite:///{mount / 'faults.sqlite3'}"
        _setup(url)
        with running_service(url, work / "service-full-sqlite.log") as service:
            return scenarios.disk_full("disk full (SQLite)", url, mount, seeds, service, phases)
