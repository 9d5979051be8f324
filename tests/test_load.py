"""64 concurrent clients for 10 s on /api/v1/events: no errors and no hang (no pool deadlock)."""

import asyncio

import pytest

from bench.load import run_load

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow


def test_64_clients_for_10_seconds_get_no_errors_and_no_hang(sqlite_live_server: str) -> None:
    result = asyncio.run(run_load(f"{sqlite_live_server}/api/v1/events", clients=64, seconds=10))

    print(result.report())
    assert not result.hung
    assert result.failures == {}
    assert set(result.statuses) == {200}
    assert result.requests > 64
