"""The faults, each under load: a warm-up, the fault, then the wait for the first 200 after it."""

import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2
import psycopg
import sqlalchemy as sa
import yaml

from app.config import settings
from app.seed.build import build_seed
from faults.cluster import Cluster
from faults.load import DETAIL_SLUG, Load, Outcome
from faults.report import HANG_MARGIN, Row, Violation, judge
from faults.service import PROJECT, Service, cli_environment
from tests.seed_edits import Data, edit_yaml, record

RETITLED = "First Senior Officials Meeting"  # a title its cited passage states
# The longest a request may take under the contract: its budget, then a margin for the answer.
HANG_LIMIT = max(settings.request_time_budget, settings.graphql_time_budget) + HANG_MARGIN


@dataclass(frozen=True)
class Phases:
    warmup: float
    stopped: float
    frozen: float
    locked: float
    reloads: int
    kills: int
    disk_full: float
    recovery_limit: float = 60.0
    settle: float = 1.0

    @classmethod
    def full(cls) -> "Phases":
        return cls(warmup=5, stopped=10, frozen=20, locked=15, reloads=10, kills=10, disk_full=10)

    @classmethod
    def quick(cls) -> "Phases":
        # Shorter, but a freeze and a lock still outlast the time budgets they must bound.
        return cls(warmup=2, stopped=3, frozen=12, locked=8, reloads=2, kills=2, disk_full=3)


@dataclass(frozen=True)
class Seeds:
    """Two seed folders that differ in one title: each answer's version says which it holds."""

    original: Path
    variant: Path
    versions: dict[Path, str]
    titles: dict[str, str]

    @classmethod
    def make(cls, folder: Path) -> "Seeds":
        variant = folder / "seed-retitled"
        shutil.copytree(settings.seed_dir, variant)

        def retitle(data: Data) -> None:
            record(data, "events", DETAIL_SLUG)["title"] = RETITLED

        edit_yaml(variant, "events.yaml", retitle)
        events = yaml.safe_load((settings.seed_dir / "events.yaml").read_text(encoding="utf-8"))
        title = str(record(events, "events", DETAIL_SLUG)["title"])
        versions = {settings.seed_dir: build_seed(settings.seed_dir).version}
        versions[variant] = build_seed(variant).version
        return cls(
            original=settings.seed_dir,
            variant=variant,
            versions=versions,
            titles={versions[settings.seed_dir]: title, versions[variant]: RETITLED},
        )

    def other(self, folder: Path) -> Path:
        return self.variant if folder == self.original else self.original


def almaty(database_url: str, *arguments: str | Path) -> subprocess.Popen[str]:
    """An `almaty` command on the given database, as an operator would run it."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *(str(a) for a in arguments)],
        cwd=PROJECT,
        env=cli_environment(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_almaty(database_url: str, *arguments: str | Path) -> tuple[int, str, str]:
    process = almaty(database_url, *arguments)
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def data_version(database_url: str) -> str | None:
    """The newest data version the database holds, read directly."""
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                sa.text("SELECT version FROM data_version ORDER BY id DESC LIMIT 1")
            )
    finally:
        engine.dispose()
    return None if found is None else str(found)


class Fault:
    """What a fault found besides the clients' outcomes: notes and broken promises."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.violations: list[Violation] = []

    def note(self, text: str) -> None:
        self.notes.append(text)

    def broke(self, text: str, *, timing: bool = False) -> None:
        self.violations.append(Violation(text, timing))


def _first_200_after(load: Load, moment: float, limit: float) -> float | None:
    deadline = moment + limit
    while time.monotonic() < deadline:
        answered = [
            o.ended for o in load.snapshot() if o.kind != "health" and o.began >= moment and o.ok
        ]
        if answered:
            return min(answered) - moment
        time.sleep(0.05)
    return None


def under_load(
    name: str,
    service: Service,
    phases: Phases,
    fault: Callable[[Fault], None],
    check: Callable[[list[Outcome], Fault], None] | None = None,
) -> Row:
    """Warm up, fault, measure recovery, and judge everything the clients met."""
    mark = service.log_size()
    load = Load(service.base).start()
    found = Fault()
    try:
        time.sleep(phases.warmup)
        rss_before = service.rss_mb()
        fault(found)
        ended = time.monotonic()
        recovery = _first_200_after(load, ended, phases.recovery_limit)
        time.sleep(phases.settle)
    finally:
        outcomes = load.stop()
    row = Row(name, recovery=recovery, rss_before=rss_before, rss_after=service.rss_mb())
    judge(row, outcomes, HANG_LIMIT)
    if check is not None:
        check(outcomes, found)
    if recovery is None:
        found.broke(f"no 200 within {phases.recovery_limit:g} s of the fault's end")
    if not service.alive():
        found.broke("the service process died")
    row.violations += found.violations
    row.notes += found.notes
    row.logged = service.errors_logged(mark)
    print(f"{name}: {'pass' if row.passed else 'FAIL: ' + '; '.join(row.broken())}", flush=True)
    return row


def postgres_stopped(cluster: Cluster, service: Service, phases: Phases) -> Row:
    def fault(found: Fault) -> None:
        cluster.stop("fast")
        time.sleep(phases.stopped)
        cluster.start()
        found.note(f"PostgreSQL stopped (pg_ctl stop -m fast) for {phases.stopped:g} s")

    return under_load("PostgreSQL stopped", service, phases, fault)


def postgres_frozen(cluster: Cluster, service: Service, phases: Phases) -> Row:
    def fault(found: Fault) -> None:
        frozen = cluster.processes()
        cluster.signal_all(signal.SIGSTOP)
        try:
            time.sleep(phases.frozen)
        finally:
            cluster.signal_all(signal.SIGCONT)
        found.note(
            f"SIGSTOP to the postmaster and {len(frozen) - 1} children for {phases.frozen:g} s"
        )

    return under_load("PostgreSQL frozen", service, phases, fault)


def table_locked(cluster: Cluster, database: str, service: Service, phases: Phases) -> Row:
    def fault(found: Fault) -> None:
        with cluster.connect(database) as connection:
            connection.execute("LOCK TABLE event IN ACCESS EXCLUSIVE MODE")
            time.sleep(phases.locked)
            connection.rollback()
        found.note(f"LOCK TABLE event IN ACCESS EXCLUSIVE MODE held for {phases.locked:g} s")

    return under_load("table locked", service, phases, fault)


def _mixed(outcomes: list[Outcome], titles: dict[str, str], found: Fault) -> None:
    """Every 200 that holds the detail event's title holds the one of its X-Data-Version."""
    answers = [o for o in outcomes if o.ok and o.kind != "health"]
    checked = [o for o in answers if o.title is not None]
    mixed = [o for o in checked if titles.get(o.version or "") != o.title]
    versions = {o.version for o in answers}
    found.note(
        f"{len(checked):,} answers checked against their X-Data-Version, "
        f"{len(versions)} versions seen"
    )
    if mixed:
        sample = ", ".join(f"{o.kind} {(o.version or '-')[:12]}: {o.title!r}" for o in mixed[:3])
        found.broke(f"{len(mixed)} answers mix versions ({sample})")


def reload_under_load(url: str, seeds: Seeds, service: Service, phases: Phases) -> Row:
    timings: list[float] = []

    def fault(found: Fault) -> None:
        folder = seeds.variant
        for _ in range(phases.reloads):
            began = time.monotonic()
            code, _, err = run_almaty(url, "seed", "load", folder)
            timings.append(time.monotonic() - began)
            if code != 0:
                found.broke(f"seed load exited {code}: {err.strip()[-300:]}")
            folder = seeds.other(folder)
            time.sleep(0.3)
        found.note(
            f"{phases.reloads} loads of two seed variants alternately, "
            f"median {statistics.median(timings):.1f} s each (process start included)"
        )

    return under_load(
        "reload under load",
        service,
        phases,
        fault,
        lambda outcomes, found: _mixed(outcomes, seeds.titles, found),
    )


def _wait_for_no_seed_lock(cluster: Cluster, database: str) -> None:
    """A killed loader's backend rolls back when it sees its client gone: wait for that."""
    deadline = time.monotonic() + 30
    with cluster.connect(database, autocommit=True) as connection:
        while time.monotonic() < deadline:
            row = connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            ).fetchone()
            if row is not None and row[0] == 0:
                return
            time.sleep(0.05)
    raise RuntimeError("a killed seed load still holds its lock after 30 s")


def _served(service: Service, version: str, title: str, limit: float) -> bool:
    """The service answers from `version` (with its title) within `limit` seconds."""
    deadline = time.monotonic() + limit
    with httpx2.Client(base_url=service.base, timeout=5) as client:
        while time.monotonic() < deadline:
            try:
                response = client.get(f"/api/v1/events/{DETAIL_SLUG}")
                if (
                    response.status_code == 200
                    and response.headers.get("x-data-version") == version
                    and response.json()["title"] == title
                ):
                    return True
            except httpx2.TransportError:
                pass
            time.sleep(0.1)
    return False


def reload_killed(
    cluster: Cluster, database: str, seeds: Seeds, service: Service, phases: Phases
) -> Row:
    url = cluster.url(database)
    rng = random.Random(11)

    def fault(found: Fault) -> None:
        # How long one load takes, so that the kills fall anywhere in it.
        folder = seeds.variant
        began = time.monotonic()
        run_almaty(url, "seed", "load", folder)
        whole = time.monotonic() - began
        kept: Counter[str] = Counter()
        for _ in range(phases.kills):
            old = data_version(url)
            folder = seeds.other(folder)
            new = seeds.versions[folder]
            process = almaty(url, "seed", "load", folder)
            time.sleep(rng.uniform(0.0, whole))
            process.send_signal(signal.SIGKILL)
            process.communicate()
            _wait_for_no_seed_lock(cluster, database)
            now = data_version(url)
            if now not in (old, new):
                found.broke(f"after kill -9 the database holds version {now}, neither old nor new")
                continue
            kept["new" if now == new and new != old else "old"] += 1
            if now is not None and not _served(
                service, now, seeds.titles[now], settings.data_version_check + 5
            ):
                found.broke(f"the service does not serve version {now[:12]} after a kill")
            if now == old:
                folder = seeds.other(folder)  # the next load tries the same change again
        found.note(
            f"{phases.kills} loads killed at random moments of a {whole:.1f} s load: "
            f"the database kept the old version {kept['old']} times, the new {kept['new']} times"
        )

    return under_load("kill -9 of a reload", service, phases, fault)


@contextmanager
def small_tmpfs(folder: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` mounted on `folder` (root only), unmounted at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0755", "tmpfs", str(folder)],
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write zeros into `folder` until its file system takes no more; the file to delete later."""
    ballast = folder / "ballast"
    chunk = bytes(1024 * 1024)
    with ballast.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(chunk)
        except OSError:
            pass
        # What the last megabyte left, byte by byte rounded to pages.
        try:
            while True:
                file.write(bytes(4096))
        except OSError:
            pass
    return ballast


def _one_clean_line(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in err


def disk_full(
    name: str,
    url: str,
    folder: Path,
    seeds: Seeds,
    service: Service,
    phases: Phases,
    cluster: Cluster | None = None,
) -> Row:
    """Fill the database's disk under read load, try a reload, free the space."""

    def fault(found: Fault) -> None:
        old = data_version(url)
        ballast = fill(folder)
        found.note(f"{folder} filled ({ballast.stat().st_size / 2**20:.0f} MB of ballast)")
        if cluster is not None:
            _probe_write(cluster, sa.make_url(url).database or "", found)
        code, _, err = run_almaty(url, "seed", "load", seeds.variant)
        if code == 0:
            found.note("the reload fitted in space already allocated, and succeeded")
        elif _one_clean_line(err):
            found.note(f"the reload failed cleanly (exit {code}): {err.strip()}")
        else:
            lines = err.strip().splitlines() or [""]
            found.broke(f"the reload failed with {len(lines)} lines, not one: {lines[-1][:120]!r}")
            found.note(f"the failed reload's output ends: {err.strip()[-1500:]!r}")
        time.sleep(phases.disk_full)
        ballast.unlink()
        if cluster is not None and not cluster.running():
            found.note("PostgreSQL had stopped (its disk full): started again once space was freed")
            cluster.start()
        after = data_version(url)
        if code != 0 and after != old:
            found.broke(f"a failed reload left version {after}, not {old}")
        code, _, err = run_almaty(url, "seed", "load", seeds.original)
        if code != 0:
            found.broke(f"the reload after freeing space failed: {err.strip()[-300:]}")

    return under_load(name, service, phases, fault)


def _probe_write(cluster: Cluster, database: str, found: Fault) -> None:
    """Show that the database's writes now fail (its files may still have room in their pages)."""
    try:
        with cluster.connect(database, connect_timeout=5) as connection:
            connection.execute(
                "CREATE TABLE fault_ballast AS "
                "SELECT repeat('x', 2000) AS filler FROM generate_series(1, 100000)"
            )
            connection.rollback()
        found.note("a 200 MB write still succeeded on the full disk")
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        found.note(f"writes fail: {first}")
