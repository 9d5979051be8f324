"""Many GraphQL answers at once, each holding its snapshot, beside REST reads: all answered."""

import asyncio
from collections.abc import Callable

import httpx2
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.main import app

ClientFor = Callable[[sa.Engine], TestClient]
# A list, then its participants and their sources: several reads in one snapshot.
QUERY = """query($first: Int!) { events(first: $first) {
  nodes { slug participants { role sources { quote } } } } }"""


def test_graphql_answers_at_once_beside_rest_reads_all_finish(
    client_for: ClientFor, sqlite_shared_engine: sa.Engine
) -> None:
    client_for(sqlite_shared_engine)  # the app reads this database

    async def at_once() -> list[httpx2.Response]:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=60
        ) as http:
            # Distinct variables and queries: no answer can come from the cache.
            graphql = [
                http.post("/graphql", json={"query": QUERY, "variables": {"first": n + 1}})
                for n in range(48)
            ]
            rest = [http.get(f"/api/v1/events?limit={n + 1}") for n in range(48)]
            return await asyncio.gather(*graphql, *rest)

    answers = asyncio.run(at_once())

    assert [a.status_code for a in answers] == [200] * len(answers)
    graphql = [a.json() for a in answers[:48]]
    assert [body for body in graphql if "errors" in body] == []
    assert all(body["data"]["events"]["nodes"] for body in graphql)
