"""Apollo Client's persisted queries over GET against a live server: README's example, as pasted."""

import json
import re
import subprocess
from pathlib import Path

import httpx2
import pytest

# A system test (node, the npm packages of clients/apollo, a live server): `-m "not slow"`
# skips it.
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
CLIENT = PROJECT / "clients" / "apollo"
README = PROJECT / "README.md"
COUNTED = re.compile(
    r'^almaty_graphql_persisted_queries_total\{outcome="(\w+)"\} (\S+)$'
    r'|^almaty_http_requests_total\{handler="/graphql",method="(\w+)",status="\d+"\} (\S+)$',
    re.MULTILINE,
)


def _example() -> str:
    """The README's Apollo Client example (its one JavaScript block)."""
    [block] = re.findall(r"```js\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert "useGETForHashedQueries: true" in block
    return str(block)


def _counts(base: str) -> dict[str, float]:
    """The server's own counts: persisted queries by outcome, GraphQL requests by method."""
    text = httpx2.get(f"{base}/metrics", timeout=10).text
    counts: dict[str, float] = {}
    for outcome, found, method, requests in COUNTED.findall(text):
        name = outcome or method
        counts[name] = counts.get(name, 0) + float(found or requests)
    return counts


def test_apollo_client_registers_once_then_sends_hashes_over_get(sqlite_live_server: str) -> None:
    assert (CLIENT / "node_modules" / "@apollo" / "client").is_dir(), (
        "run `npm ci --prefix clients/apollo` (make check does)"
    )
    program = _example().replace("http://127.0.0.1:8000", sqlite_live_server)
    before = _counts(sqlite_live_server)
    ran = subprocess.run(
        ["node", "--input-type=module"],
        input=program,
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    after = _counts(sqlite_live_server)
    seen = {name: after.get(name, 0) - before.get(name, 0) for name in after}
    # Three queries of one text: a GET by hash that misses, the POST that registers the text,
    # then two GETs by hash only, run from the registry (other variables: no kept answer).
    assert seen == {"miss": 1, "registered": 1, "hit": 2, "GET": 3, "POST": 1}

    answers = [json.loads(line) for line in ran.stdout.splitlines()]
    assert [answer["year"] for answer in answers] == [2011, 2013, 2015]
    for answer in answers:
        # The same as the text itself answers, sent whole.
        direct = httpx2.post(
            f"{sqlite_live_server}/graphql",
            json={
                "query": "query($y: Int!) { events(filter: {year: $y}, first: 3) { totalCount "
                "nodes { title city } } }",
                "variables": {"y": answer["year"]},
            },
            timeout=10,
        ).json()["data"]["events"]
        assert answer["totalCount"] == direct["totalCount"] > 0, answers
        assert [(n["title"], n["city"]) for n in answer["nodes"]] == [
            (n["title"], n["city"]) for n in direct["nodes"]
        ]
