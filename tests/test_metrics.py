"""Metrics hold no client value: junk paths and methods add no series; a private port."""

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from bench.servers import Server, free_port, running_service
from tests.databases import DatabaseFactory

JUNK_REQUESTS = 2_000
# A trailing slash is a redirect that no route answers. Methods the HTTP parser knows but the app
# does not reach it (PROPFIND...); others are refused by the parser itself (FOO).
JUNK_METHODS = ("PROPFIND", "PURGE", "MKCOL", "SEARCH", "FOO")


def _rss_bytes(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    assert match is not None
    return int(match.group(1)) * 1024


def _series(metrics: str) -> set[str]:
    """Each time series of ours by its name and labels (the value left out)."""
    return {
        line.rsplit(" ", 1)[0] for line in metrics.splitlines() if line.startswith("almaty_http_")
    }


async def _junk(base: str, first: int, count: int) -> None:
    """`count` requests to distinct junk paths, one in ten with a junk method, 16 at a time."""
    limits = httpx2.Limits(max_connections=16)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        gate = asyncio.Semaphore(16)

        async def one(n: int) -> None:
            async with gate:
                method = JUNK_METHODS[n // 10 % len(JUNK_METHODS)] if n % 10 == 0 else "GET"
                response = await http.request(method, f"/api/v1/events/x{n}/")
                assert response.status_code < 500

        await asyncio.gather(*(one(n) for n in range(first, first + count)))


@pytest.fixture(scope="module")
def service(sqlite_databases: DatabaseFactory) -> Iterator[Server]:
    with running_service(sqlite_databases.new(template=sqlite_databases.seeded())) as running:
        yield running


@pytest.mark.slow
def test_junk_paths_and_methods_leave_metrics_and_memory_flat(service: Server) -> None:
    # Warm: every series the junk can make exists, and the process has grown to its working size.
    asyncio.run(_junk(service.base, 0, 500))
    before = httpx2.get(f"{service.base}/metrics").text
    rss_before = _rss_bytes(service.pid)

    asyncio.run(_junk(service.base, 500, JUNK_REQUESTS))
    after = httpx2.get(f"{service.base}/metrics").text
    rss_after = _rss_bytes(service.pid)

    print(
        f"{JUNK_REQUESTS:,} junk requests: /metrics {len(before):,} -> {len(after):,} bytes, "
        f"{len(_series(after))} series; RSS {rss_before / 2**20:.1f} -> {rss_after / 2**20:.1f} MB"
    )
    assert _series(after) == _series(before)
    assert 'handler="none",method="OTHER"' in after
    assert "x501" not in after
    # Only counts changed: a few more digits at most.
    assert abs(len(after) - len(before)) < 2_000
    assert rss_after - rss_before < 20 * 1024 * 1024


@pytest.mark.slow
def test_a_private_metrics_port_takes_metrics_off_the_api_port(
    sqlite_databases: DatabaseFactory,
) -> None:
    port = free_port()
    with running_service(
        sqlite_databases.new(template=sqlite_databases.seeded()),
        environment={"METRICS_PORT": str(port), "METRICS_HOST": "127.0.0.1"},
    ) as running:
        httpx2.get(f"{running.base}/api/v1/events/second-som-2015")
        on_api = httpx2.get(f"{running.base}/metrics")
        private = httpx2.get(f"http://127.0.0.1:{port}/metrics")

    assert on_api.status_code == 404
    assert private.status_code == 200
    assert 'handler="/api/v1/events/{slug}",method="GET",status="200"' in private.text
