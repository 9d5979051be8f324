"""Operating on PostgreSQL: the database going away and back."""

import sys
import time
from pathlib import Path

import httpx2
import sqlalchemy as sa

from bench.servers import running_server
from tests.databases import DatabaseFactory
from tests.proxy import TcpProxy

ALMATY = str(Path(sys.executable).with_name("almaty"))


def test_the_api_answers_503_while_the_database_is_away_and_recovers(
    postgres: DatabaseFactory, postgres_seeded_template: str
) -> None:
    url = sa.make_url(postgres.new(template=postgres_seeded_template))
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.restore()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(False)
    try:
        with running_server(through_proxy) as base:
            assert httpx2.get(f"{base}/ready").status_code == 200
            assert httpx2.get(f"{base}/api/v1/events").status_code == 200

            proxy.cut()
            began = time.monotonic()
            # Not asked for before: it needs the database.
            down = httpx2.get(f"{base}/api/v1/events?limit=3", timeout=30)
            waited = time.monotonic() - began
            not_ready = httpx2.get(f"{base}/ready", timeout=30)
            # Asked for before: only a load changes the data, and none can happen now, so the
            # answer kept for this version still holds.
            kept = httpx2.get(f"{base}/api/v1/events", timeout=30)
            assert kept.status_code == 200

            assert down.status_code == 503, down.text
            assert down.headers["content-type"] == "application/problem+json"
            assert down.json()["title"] == "Service unavailable"
            assert waited < 15, "a request while the database is away must not hang"
            assert not_ready.status_code == 503
            assert "unreachable" in not_ready.json()["detail"]

            proxy.restore()
            assert httpx2.get(f"{base}/ready").status_code == 200
            assert httpx2.get(f"{base}/api/v1/events").status_code == 200
    finally:
        proxy.close()
