"""The benchmark of issue 10: this service against a ceiling and its peers, driven by wrk.

Every server is pinned to core 1 and wrk to core 0. Each round runs the ceiling first, then every
row at 64 connections and at 1 (each after the server is idle); figures are medians of the rounds.
"""

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import urlencode

import httpx2
import sqlalchemy as sa

from bench.databases import POSTGRES_ADMIN_URL, postgres_databases, sqlite_databases
from bench.servers import Server, free_port, running_process, uvicorn_command
from bench.wrk import WRK, WrkResult, run_wrk, script
from tests.test_graphql_query_counts import DASHBOARD

SERVER_CPU = "1"
CLIENT_CPU = "0"
README = Path(__file__).parent / "README.md"
RESULTS_START = "<!-- results: written by `python -m bench` -->"
SEED_SLUG = "first-regional-conference-2011"
LIST = "/api/v1/events?limit=50"
# The same text for this service and the plain Strawberry app: only the variables change.
COLD_QUERY = (
    "query Events($first: Int!, $filter: EventFilter) { events(first: $first, filter: $filter)"
    " { nodes { slug title kind startDate endDate city } } }"
)
# Cold runs against one server start this many combinations apart, so none repeats (the Lua
# spaces hold 874,800 and 1,749,600 combinations; six runs of a row fit below either).
COLD_STRIDE = 140_000
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# The rows every run has, the smoke run included: the ceiling, and the service on the seed.
REQUIRED_ROWS = frozenset({"ceiling", "sqlite/seed/list", "sqlite/seed/304", "sqlite/seed/cold"})


@dataclass(frozen=True)
class Options:
    seconds: float = 10.0
    single_seconds: float = 10.0
    rounds: int = 3
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    events: int = 100_000
    smoke: bool = False
    write_readme: bool = True


@dataclass(frozen=True)
class Target:
    """What the issue asks of a row; every row must also have zero errors."""

    ceiling: float | None = None
    peer: float | None = None
    single_p99_ms: float | None = None
    rss_mb: float | None = None

    def text(self) -> str:
        parts = []
        if self.ceiling is not None:
            parts.append(f"≥ {self.ceiling:g} x ceiling")
        if self.peer is not None:
            parts.append(f"≥ {self.peer:g} x peer")
        if self.single_p99_ms is not None:
            parts.append(f"p99 @1 < {self.single_p99_ms:g} ms")
        if self.rss_mb is not None:
            parts.append(f"RSS < {self.rss_mb:g} MB")
        return ", ".join(parts)


@dataclass(frozen=True)
class Row:
    """One workload against one server; `peer` is the key of the row it is compared with."""

    key: str
    workload: str
    server: str
    path: str
    lua: tuple[str, ...] = ("get.lua",)
    body: str | None = None
    cold: bool = False
    revalidate: bool = False
    cursor_pages: int = 0
    peer: str | None = None
    target: Target | None = None


@dataclass(frozen=True)
class ServerSpec:
    key: str
    label: str
    command: Callable[[int], list[str]]
    environment: dict[str, str] = field(default_factory=dict)
    health: str = "/health"


@dataclass
class Prepared:
    """A row made concrete against its running server: the URL, headers and script wrk uses."""

    url: str
    lua: str
    headers: tuple[str, ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class Measured:
    many: list[WrkResult] = field(default_factory=list)
    single: list[WrkResult] = field(default_factory=list)
    rss_mb: float = 0.0
    busy_waits: int = 0

    @property
    def rate(self) -> float:
        return statistics.median(r.rate for r in self.many) if self.many else 0.0

    @property
    def errors(self) -> int:
        return sum(r.errors for r in (*self.many, *self.single))

    @staticmethod
    def median(results: Sequence[WrkResult], figure: Callable[[WrkResult], float]) -> float:
        return statistics.median(figure(r) for r in results) if results else 0.0


def _json_body(query: str, variables: dict[str, object] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


def servers(options: Options, urls: dict[tuple[str, str], str], folder: Path) -> list[ServerSpec]:
    """The ceiling, the peers and this service on every database of the run."""
    specs = [
        ServerSpec("ceiling", "bare ASGI", lambda port: uvicorn_command("bench.ceiling:app", port))
    ]
    sqlite_seed = urls.get(("sqlite", "seed"))
    if sqlite_seed is not None:
        datasette_file = sa.make_url(sqlite_seed).database or ""
        specs.append(
            ServerSpec(
                "datasette",
                "Datasette",
                lambda port: [
                    *(sys.executable, "-m", "datasette", "serve", "-i", datasette_file),
                    *("--host", "127.0.0.1", "--port", str(port)),
                    *("--setting", "suggest_facets", "off"),
                ],
                health="/-/versions.json",
            )
        )
    for (backend, dataset), url in urls.items():
        name = BACKEND_NAMES[backend]
        environment = {"DATABASE_URL": url}
        specs.append(
            ServerSpec(
                f"service/{backend}/{dataset}",
                f"service, {name} {dataset}",
                lambda port: uvicorn_command("app.main:served", port),
                # As shipped: logging and metrics on; the log goes to a file, like a container's.
                {**environment, "ACCESS_LOG": "true", "LOG_FORMAT": "json"},
            )
        )
        if dataset == "seed":
            specs.append(
                ServerSpec(
                    f"peer-rest/{backend}",
                    f"FastAPI+SQLModel, {name}",
                    lambda port: uvicorn_command("bench.peer_rest:app", port),
                    environment,
                )
            )
            specs.append(
                ServerSpec(
                    f"peer-graphql/{backend}",
                    f"Strawberry, {name}",
                    lambda port: uvicorn_command("bench.peer_graphql:app", port),
                    environment,
                )
            )
    return specs


def plan(options: Options, datasets: dict[tuple[str, str], str]) -> list[Row]:
    """The rows of the table, the ceiling first."""
    rows = [Row("ceiling", "fixed bytes", "ceiling", "/")]
    datasette_db = (
        Path(sa.make_url(datasets[("sqlite", "seed")]).database or "").stem
        if ("sqlite", "seed") in datasets
        else None
    )
    if datasette_db is not None:
        rows.append(
            Row(
                "datasette/list",
                "hot list: table, 50 rows",
                "datasette",
                f"/{datasette_db}/event.json?_size=50&_sort=start_date",
            )
        )
        rows.append(
            Row(
                "datasette/cold",
                "cold list: distinct filters",
                "datasette",
                f"/{datasette_db}/event.json",
                lua=("filters.lua", "cold_datasette.lua"),
                cold=True,
            )
        )
    grown = {backend for backend, dataset in datasets if dataset == "100k"}
    for backend in options.backends:
        service, rest, graphql = (
            f"service/{backend}/seed",
            f"peer-rest/{backend}",
            f"peer-graphql/{backend}",
        )
        k = f"{backend}/seed"
        rows += [
            Row(f"{rest}/list", "hot list, 50 events", rest, "/events?limit=50"),
            Row(f"{rest}/detail", "hot detail", rest, f"/events/{SEED_SLUG}"),
            Row(
                f"{graphql}/cold",
                "cold GraphQL: distinct variables",
                graphql,
                "/graphql",
                lua=("filters.lua", "cold_graphql.lua"),
                cold=True,
            ),
            Row(
                f"{k}/list",
                f"hot list `{LIST}`",
                service,
                LIST,
                peer=f"{rest}/list",
                target=Target(ceiling=0.5),
            ),
            Row(
                f"{k}/detail",
                "hot detail `/api/v1/events/{slug}`",
                service,
                f"/api/v1/events/{SEED_SLUG}",
                peer=f"{rest}/detail",
                target=Target(ceiling=0.5),
            ),
            Row(
                f"{k}/304",
                "hot 304 (If-None-Match)",
                service,
                LIST,
                revalidate=True,
                target=Target(ceiling=0.5),
            ),
            Row(
                f"{k}/dashboard",
                "hot GraphQL dashboard",
                service,
                "/graphql",
                lua=("post_graphql.lua",),
                body=_json_body(DASHBOARD),
                target=Target(ceiling=0.5),
            ),
        ]
        # Issue 16: on SQLite, ahead of the peers; on PostgreSQL, at least half of SQLite.
        on_sqlite = backend == "sqlite" or "sqlite" not in options.backends
        if datasette_db is not None:
            rows.append(
                Row(
                    f"{k}/cold",
                    "cold REST: distinct filters",
                    service,
                    "/api/v1/events",
                    lua=("filters.lua", "cold_rest.lua"),
                    cold=True,
                    peer="datasette/cold" if on_sqlite else "sqlite/seed/cold",
                    target=Target(peer=3 if on_sqlite else 0.5),
                )
            )
        rows.append(
            Row(
                f"{k}/cold-graphql",
                "cold GraphQL: distinct variables",
                service,
                "/graphql",
                lua=("filters.lua", "cold_graphql.lua"),
                cold=True,
                peer=f"{graphql}/cold" if on_sqlite else "sqlite/seed/cold-graphql",
                target=Target(peer=1.5 if on_sqlite else 0.5),
            )
        )
        if backend not in grown:
            continue
        big, g = f"service/{backend}/100k", f"{backend}/100k"
        deep = Target(peer=0.8, single_p99_ms=5, rss_mb=200)
        seed_paths = {
            "participant+year": "/api/v1/events?participant=KAZ&year=2015&limit=50",
            "q=migration": "/api/v1/events?q=migration&limit=50",
            "facets": "/api/v1/facets/events",
            "stats": "/api/v1/stats/events?group_by=year,kind",
        }
        rows += [
            Row(f"{k}/{name}", f"{name} `{path}`", service, path)
            for name, path in seed_paths.items()
        ]
        rows += [
            Row(f"{g}/first", f"first page `{LIST}`", big, LIST, peer=f"{k}/list", target=deep),
            # The seed has one page: a deep page is held to what the first page costs there.
            Row(
                f"{g}/page-1000",
                "page 1,000 by cursor",
                big,
                LIST,
                cursor_pages=999,
                peer=f"{k}/list",
                target=deep,
            ),
            *(
                Row(f"{g}/{name}", f"{name} `{path}`", big, path, peer=f"{k}/{name}", target=deep)
                for name, path in seed_paths.items()
            ),
        ]
    if options.smoke:
        wanted = (
            "ceiling",
            "datasette/cold",
            "peer-rest/sqlite/list",
            "peer-graphql/sqlite/cold",
            "sqlite/seed/list",
            "sqlite/seed/304",
            "sqlite/seed/cold",
            "sqlite/seed/cold-graphql",
        )
        rows = [row for row in rows if row.key in wanted]
    return rows


def _check(response: httpx2.Response, expected: int | None = None) -> list[str]:
    """What is wrong with one answer before wrk repeats it (wrk sees only the status)."""
    if expected is not None and response.status_code != expected:
        return [f"answered {response.status_code}, expected {expected}"]
    if response.status_code >= 400:
        return [f"answered {response.status_code}: {response.text[:200]}"]
    if "json" in response.headers.get("content-type", "") and response.request.method == "POST":
        errors = response.json().get("errors")
        if errors:
            return [f"GraphQL errors: {json.dumps(errors)[:200]}"]
    return []


def prepare(row: Row, server: Server, http: httpx2.Client) -> Prepared:
    """The concrete request of `row`: a real cursor, a fresh ETag, and one answer checked."""
    path = row.path
    # Like wrk's requests: no compression asked for, so the tag is the plain body's.
    plain = {"Accept-Encoding": "identity"}
    notes: list[str] = []
    for _ in range(row.cursor_pages):
        page = http.get(server.base + path, headers=plain)
        cursor = page.json().get("next_cursor") if page.status_code == 200 else None
        if cursor is None:
            notes.append(f"no next page to follow from {path} ({page.status_code})")
            break
        path = f"{row.path}&{urlencode({'cursor': cursor})}"
    prepared = Prepared(url=server.base + path, lua=script(*row.lua), notes=notes)
    if row.body is not None:
        prepared.environment["BENCH_BODY"] = row.body
        notes += _check(
            http.post(
                prepared.url,
                content=row.body,
                headers={"Content-Type": "application/json", **plain},
            )
        )
    elif "cold_graphql.lua" in row.lua:
        prepared.environment["BENCH_QUERY"] = json.dumps(COLD_QUERY)
        sample = _json_body(COLD_QUERY, {"first": 5, "filter": {"year": 2015, "kind": "meeting"}})
        notes += _check(
            http.post(
                prepared.url, content=sample, headers={"Content-Type": "application/json", **plain}
            )
        )
    elif row.revalidate:
        tag = http.get(prepared.url, headers=plain).headers.get("etag")
        if tag is None:
            notes.append("no ETag to revalidate")
        else:
            prepared.headers = (f"If-None-Match: {tag}",)
            notes += _check(http.get(prepared.url, headers={**plain, "If-None-Match": tag}), 304)
    elif not row.cold:
        notes += _check(http.get(prepared.url, headers=plain))
    return prepared


def _cpu_ticks(pid: int) -> int:
    # utime and stime of every thread of the process, after the parenthesised command name.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _postgres_busy(admin: sa.Engine | None) -> bool:
    if admin is None:
        return False
    with admin.connect() as connection:
        active = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                " AND datname LIKE 'bench\\_%' AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    return bool(active)


def wait_until_idle(pid: int, admin: sa.Engine | None, *, limit: float = 60.0) -> bool:
    """Wait until the server (and PostgreSQL) stop working on earlier requests; False if never."""
    deadline = time.monotonic() + limit
    before = _cpu_ticks(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        after = _cpu_ticks(pid)
        # At most 2 ticks of 10 ms in half a second: timers and the like, not requests.
        if after - before <= 2 and not _postgres_busy(admin):
            return True
        before = after
    return False


def rss_mb(pid: int) -> float:
    """The resident memory of the process, from /proc/<pid>/status (VmRSS, in kB)."""
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def measure(
    rows: Sequence[Row],
    running: dict[str, Server],
    prepared: dict[str, Prepared],
    options: Options,
    admin: sa.Engine | None,
) -> dict[str, Measured]:
    """Every row at 64 connections then at 1, round after round, the ceiling first in each."""
    measured = {row.key: Measured() for row in rows}
    cold_runs: dict[str, int] = {}
    for number in range(options.rounds):
        for row in rows:
            server, request = running[row.server], prepared[row.key]
            for connections, seconds in ((64, options.seconds), (1, options.single_seconds)):
                if not wait_until_idle(server.pid, admin):
                    measured[row.key].busy_waits += 1
                environment = dict(request.environment)
                if row.cold:
                    run = cold_runs.get(row.server, 0)
                    cold_runs[row.server] = run + 1
                    environment["BENCH_OFFSET"] = str(run * COLD_STRIDE)
                result = run_wrk(
                    request.url,
                    lua=request.lua,
                    connections=connections,
                    seconds=seconds,
                    headers=request.headers,
                    environment=environment,
                    cpus=CLIENT_CPU,
                )
                runs = measured[row.key].many if connections > 1 else measured[row.key].single
                runs.append(result)
            measured[row.key].rss_mb = rss_mb(server.pid)
            many, single = measured[row.key].many[-1], measured[row.key].single[-1]
            print(
                f"round {number + 1}/{options.rounds}  {row.key:<36} "
                f"{many.rate:>9.0f} req/s  p99 {many.p99_ms:>8.2f} ms  "
                f"@1: {single.rate:>7.0f} req/s  errors {many.errors + single.errors}",
                flush=True,
            )
    return measured


def verdict(row: Row, results: dict[str, Measured], ceiling: float) -> str:
    """met or missed, against the row's target and zero errors; blank when it has none."""
    mine = results[row.key]
    # A run in which no request completed (all slower than the run) is a hang, not a pass.
    checks = [mine.errors == 0, all(r.requests > 0 for r in (*mine.many, *mine.single))]
    target = row.target
    if target is not None:
        if target.ceiling is not None:
            checks.append(ceiling > 0 and mine.rate / ceiling >= target.ceiling)
        if target.peer is not None and row.peer is not None:
            peer = results[row.peer].rate
            checks.append(peer > 0 and mine.rate / peer >= target.peer)
        if target.single_p99_ms is not None:
            checks.append(Measured.median(mine.single, lambda r: r.p99_ms) < target.single_p99_ms)
        if target.rss_mb is not None:
            checks.append(mine.rss_mb < target.rss_mb)
    return "met" if all(checks) else "**missed**"


def table(rows: Sequence[Row], specs: dict[str, ServerSpec], results: dict[str, Measured]) -> str:
    """The results as a Markdown table."""
    ceiling = results["ceiling"].rate
    lines = [
        "| workload | server | req/s | p50 ms | p99 ms | req/s @1 | p50 @1 | p99 @1 | errors "
        "| RSS MB | x ceiling | x peer | target | |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for row in rows:
        mine = results[row.key]
        peer = results[row.peer].rate if row.peer is not None else 0.0
        cells = [
            row.workload,
            specs[row.server].label,
            f"{mine.rate:.0f}",
            f"{Measured.median(mine.many, lambda r: r.p50_ms):.2f}",
            f"{Measured.median(mine.many, lambda r: r.p99_ms):.2f}",
            f"{Measured.median(mine.single, lambda r: r.rate):.0f}",
            f"{Measured.median(mine.single, lambda r: r.p50_ms):.2f}",
            f"{Measured.median(mine.single, lambda r: r.p99_ms):.2f}",
            str(mine.errors),
            f"{mine.rss_mb:.0f}",
            f"{mine.rate / ceiling:.3f}" if ceiling else "",
            f"{mine.rate / peer:.2f} ({_peer_name(row, specs)})" if peer else "",
            row.target.text() if row.target is not None else "",
            verdict(row, results, ceiling) if row.target is not None else "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _peer_name(row: Row, specs: dict[str, ServerSpec]) -> str:
    """Which server the peer row ran on, said briefly: a peer app, or the seed for 100k rows."""
    peer = (row.peer or "").split("/")
    if peer[0] in ("datasette", "peer-rest", "peer-graphql"):
        return specs["/".join(peer[:-1]) if len(peer) > 1 else peer[0]].label.split(",")[0]
    if peer[0] == "sqlite" and not row.key.startswith("sqlite/"):
        return "SQLite"
    return "seed"


def machine(options: Options) -> list[str]:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)

    wrk_version = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False)
    lines = [
        f"- CPU: {model.group(1) if model else platform.processor()}, {os.cpu_count()} cores"
        f" (servers on core {SERVER_CPU}, wrk on core {CLIENT_CPU}; PostgreSQL unpinned)",
        f"- Python {platform.python_version()}, uvicorn {package_version('uvicorn')} with uvloop "
        f"{package_version('uvloop')} and httptools {package_version('httptools')}, one worker",
        f"- {' '.join(wrk_version.stdout.split()[:2]) or 'wrk'}: -t1, "
        f"{options.seconds:g} s at 64 connections and {options.single_seconds:g} s at 1, "
        f"{options.rounds} round(s), medians",
    ]
    if "postgresql" in options.backends:
        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version")).scalar_one()
        engine.dispose()
        lines.append(f"- PostgreSQL {version} on 127.0.0.1")
    return lines


def write_readme(text: str) -> None:
    """Replace the results section of bench/README.md (everything after its marker)."""
    current = README.read_text() if README.exists() else RESULTS_START + "\n"
    head = current.split(RESULTS_START, 1)[0]
    README.write_text(f"{head}{RESULTS_START}\n\n{text}\n")


@contextmanager
def _databases(options: Options, folder: Path) -> Iterator[dict[tuple[str, str], str]]:
    with ExitStack() as stack:
        urls: dict[tuple[str, str], str] = {}
        for backend in options.backends:
            events = 0 if options.smoke else options.events
            made = (
                sqlite_databases(folder, events)
                if backend == "sqlite"
                else postgres_databases(events)
            )
            for dataset, url in stack.enter_context(made).items():
                urls[(backend, dataset)] = url
        yield urls


@dataclass
class Outcome:
    rows: list[Row]
    results: dict[str, Measured]
    prepared: dict[str, Prepared]
    report: str

    def failures(self) -> list[str]:
        """What went wrong in the run itself (never a missed target: timings are not judged):
        a row missing, or whose answer was wrong before the load, with errors, or a run of it
        (at 64 connections, at 1) that finished no request."""
        keys = {row.key for row in self.rows}
        found = [f"{key}: the row is missing" for key in sorted(REQUIRED_ROWS - keys)]
        for row in self.rows:
            measured = self.results[row.key]
            found += [f"{row.key}: {note}" for note in self.prepared[row.key].notes]
            if measured.errors:
                found.append(f"{row.key}: {measured.errors} errors")
            for load, runs in (
                ("64 connections", measured.many),
                ("1 connection", measured.single),
            ):
                if not runs or not all(run.requests > 0 for run in runs):
                    found.append(f"{row.key}: a run at {load} finished no request")
            if measured.rss_mb <= 0:
                found.append(f"{row.key}: the server's memory was not measured")
        return found


def run_benchmark(options: Options) -> Outcome:
    """Make the databases, start every server, measure every row, and report."""
    began = datetime.now(UTC)
    with (
        tempfile.TemporaryDirectory(prefix="bench-") as folder,
        _databases(options, Path(folder)) as urls,
    ):
        print(f"databases ready: {', '.join(f'{b} {d}' for b, d in urls)}", flush=True)
        specs = {spec.key: spec for spec in servers(options, urls, Path(folder))}
        rows = plan(options, urls)
        admin = sa.create_engine(POSTGRES_ADMIN_URL) if "postgresql" in options.backends else None
        with ExitStack() as stack, httpx2.Client(timeout=60) as http:
            running: dict[str, Server] = {}
            for key in dict.fromkeys(row.server for row in rows):
                spec, port = specs[key], free_port()
                running[key] = stack.enter_context(
                    running_process(
                        spec.command(port),
                        port=port,
                        environment=spec.environment,
                        health=spec.health,
                        cpus=SERVER_CPU,
                    )
                )
            prepared = {row.key: prepare(row, running[row.server], http) for row in rows}
            results = measure(rows, running, prepared, options, admin)
            caches = {
                key: cache_counts(http, server.base)
                for key, server in running.items()
                if specs[key].label.startswith("service")
            }
        if admin is not None:
            admin.dispose()
        # Before the databases go: a failure to drop them must not lose the figures.
        report = "\n".join(
            [
                f"Run of {began:%Y-%m-%d %H:%M} UTC"
                + (" (smoke: 1-second runs, a few rows)" if options.smoke else ""),
                "",
                *machine(options),
                "",
                table(rows, specs, results),
                "",
                *(
                    f"- response cache of {specs[key].label}: {hits:.0f} hits, {misses:.0f} misses"
                    f" ({100 * hits / max(hits + misses, 1):.1f} % hits)"
                    for key, (hits, misses) in caches.items()
                ),
                *_notes(rows, prepared, results),
            ]
        )
        print(report, flush=True)
        if options.write_readme and not options.smoke:
            write_readme(report)
    return Outcome(rows=rows, results=results, prepared=prepared, report=report)


def cache_counts(http: httpx2.Client, base: str) -> tuple[float, float]:
    """The service's response cache hits and misses so far, from its /metrics."""
    found = dict.fromkeys(("hits", "misses"), 0.0)
    for line in http.get(base + "/metrics").text.splitlines():
        for name in found:
            if line.startswith(f"almaty_response_cache_{name}_total "):
                found[name] = float(line.split()[1])
    return found["hits"], found["misses"]


def _notes(
    rows: Sequence[Row], prepared: dict[str, Prepared], results: dict[str, Measured]
) -> list[str]:
    lines = []
    for row in rows:
        for note in prepared[row.key].notes:
            lines.append(f"- {row.key}: {note}")
        if not all(r.requests for r in (*results[row.key].many, *results[row.key].single)):
            lines.append(f"- {row.key}: a run completed no request (every answer slower than it)")
        if results[row.key].busy_waits:
            lines.append(
                f"- {row.key}: the server was still busy after 60 s before "
                f"{results[row.key].busy_waits} run(s) (abandoned requests still running)"
            )
    return ["", "Notes:", "", *lines] if lines else []


def main(options: Options) -> int:
    """0 when every row ran cleanly; 1, naming each failure, otherwise."""
    failures = run_benchmark(options).failures()
    for failure in failures:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failures else 0
