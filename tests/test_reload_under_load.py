"""Reloads while clients read: every answer belongs to one data version, and says which.

The server runs in its own process, as deployed; the reloads come from this one, as
`almaty seed load` would. Two seed variants alternate; each has its own version, so every
answer's `X-Data-Version` tells which title its body must hold.
"""

import asyncio
import shutil
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa

from app.config import settings
from app.db import create_db_engine
from app.seed.loader import load_seed
from bench.servers import running_server
from tests.databases import DatabaseFactory
from tests.seed_edits import Data, edit_yaml, record

pytestmark = pytest.mark.slow

RETITLED = "First Senior Officials Meeting"
RELOADS = 10
ANSWERS = 3000
CLIENTS = 16
PATHS = (
    "/api/v1/events/first-som-2014",
    "/api/v1/events?limit=50&sort=title",
    "/api/v1/changes?since=2000-01-01T00:00:00Z",
    "/graphql",
)
# A list and the records it links to: two reads, which must see one snapshot.
GRAPHQL = "{ events(first: 50) { nodes { slug title participants { role } } } }"


def _title_in(path: str, body: dict[str, Any]) -> str | None:
    if path == "/graphql":
        nodes = body["data"]["events"]["nodes"]
        return next(str(n["title"]) for n in nodes if n["slug"] == "first-som-2014")
    if path.startswith("/api/v1/events/"):
        return str(body["title"])
    if path.startswith("/api/v1/events"):
        items = body["items"]
        assert isinstance(items, list)
        return next(str(i["title"]) for i in items if i["slug"] == "first-som-2014")
    return None


async def _read(base: str, stop: threading.Event, seen: list[tuple[str, str, object]]) -> None:
    async with httpx2.AsyncClient(base_url=base, timeout=30) as client:
        number = 0
        # Until the reloads are over and enough answers are in.
        while not stop.is_set() or len(seen) < ANSWERS:
            path = PATHS[number % len(PATHS)]
            number += 1
            if path == "/graphql":
                response = await client.post(path, json={"query": GRAPHQL})
            else:
                response = await client.get(path)
            assert response.status_code == 200, response.text
            body = response.json()
            named = body.get("current_version") if "current_version" in body else None
            seen.append((response.headers["x-data-version"], path, named or _title_in(path, body)))


def test_no_answer_mixes_two_versions_while_the_data_reloads(
    databases: DatabaseFactory, seeded_template: str, tmp_path: Path
) -> None:
    url = databases.new(template=seeded_template)
    variant = tmp_path / "retitled"
    shutil.copytree(settings.seed_dir, variant)

    def retitle(data: Data) -> None:
        record(data, "events", "first-som-2014")["title"] = RETITLED

    edit_yaml(variant, "events.yaml", retitle)
    engine = create_db_engine(url)
    titles: dict[str, str] = {}
    with sa.orm.Session(engine) as session:
        original_title = session.execute(
            sa.text("SELECT title FROM event WHERE slug = 'first-som-2014'")
        ).scalar_one()
    stop = threading.Event()
    loads: list[str] = []
    seen: list[tuple[str, str, object]] = []

    def reload() -> None:
        for number in range(RELOADS):
            folder = variant if number % 2 == 0 else settings.seed_dir
            report = load_seed(engine, folder)
            titles[report.version] = RETITLED if folder == variant else original_title
            loads.append(report.version)
            stop.wait(0.3)
        stop.set()

    with running_server(url) as base:
        first = httpx2.get(base + PATHS[0]).headers["x-data-version"]
        titles[first] = original_title
        reloader = threading.Thread(target=reload)
        reloader.start()

        async def clients() -> None:
            await asyncio.gather(*(_read(base, stop, seen) for _ in range(CLIENTS)))

        asyncio.run(clients())
        reloader.join()
    engine.dispose()

    assert len(loads) == RELOADS
    mixed = [
        (version, path, found)
        for version, path, found in seen
        if found != (version if path.startswith("/api/v1/changes") else titles.get(version))
    ]
    assert mixed == [], f"{len(mixed)} of {len(seen)} answers mix versions: {mixed[:5]}"
    versions = Counter(version for version, _, _ in seen)
    print(f"{len(seen)} answers over {len(loads)} reloads; answers per version: {versions}")
    assert len(versions) >= 2, "the reloads must show while the clients read"
