"""/dashboard in headless Chromium, offline: its numbers are the API's eventStats, its filters
live in the address, and its GraphQL client speaks automatic persisted queries."""

import hashlib
import json
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
from playwright.sync_api import Page, Route

from bench.servers import running_server
from tests.browser import offline_page
from tests.databases import DatabaseFactory

# A system test (a live server, a browser): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

SCREENSHOT = "/tmp/dashboard.png"
PHONE_SCREENSHOT = "/tmp/dashboard-phone.png"
STATS = """query($groupBy: [EventDimension!]!, $filter: EventFilter) {
  eventStats(groupBy: $groupBy, filter: $filter) {
    year kind role state { code } organization { slug } count
  }
}"""

# What the page's chart and tables say, read from the page: the chart's own data, and each
# table's cells by their data attributes.
READ_PAGE = """() => {
  const chartCounts = (id, keyOf) => {
    const data = Chart.getChart(document.getElementById(id)).data;
    return data.datasets.flatMap((set) =>
      set.data.map((n, i) => [keyOf(data, i), set.key, n]).filter((entry) => entry[2] > 0));
  };
  const cells = (selector, row, column) =>
    [...document.querySelectorAll(selector)]
      .map((td) => [td.closest("tr").dataset[row], td.dataset[column], Number(td.textContent)])
      .filter((entry) => entry[2] > 0);
  return {
    yearChart: chartCounts("by-year-chart", (data, i) => Number(data.labels[i])),
    yearTable: cells("#by-year-table td[data-kind]", "year", "kind")
      .map(([year, kind, n]) => [Number(year), kind, n]),
    matrixRoles: [...document.querySelectorAll("#matrix-table tbody td[data-roles]")]
      .flatMap((td) => td.dataset.roles ? td.dataset.roles.split(" ").map(
        (role) => [td.dataset.state, role]) : []),
    matrixTotals: [...document.querySelectorAll("#matrix-table tfoot td")]
      .map((td) => [td.dataset.state, Number(td.textContent)]),
    organizationChart: chartCounts("by-organization-chart", (data, i) => data.keys[i]),
    organizationTable: cells("#by-organization-table td[data-role]", "organization", "role"),
    status: document.getElementById("status").textContent,
  };
}"""


def _stats(base: str, group_by: list[str], graphql_filter: dict[str, Any]) -> list[dict[str, Any]]:
    """eventStats as any client gets it from the live server."""
    answer = httpx.post(
        f"{base}/graphql",
        json={"query": STATS, "variables": {"groupBy": group_by, "filter": graphql_filter}},
        timeout=30,
    ).json()
    assert "errors" not in answer, answer
    rows: list[dict[str, Any]] = answer["data"]["eventStats"]
    return rows


def _expected(base: str, graphql_filter: dict[str, Any]) -> dict[str, Any]:
    """What each chart and table must show under `graphql_filter`, from eventStats."""
    by_year = _stats(base, ["year", "kind"], graphql_filter)
    by_state_role = _stats(base, ["state", "role"], graphql_filter)
    by_state = _stats(base, ["state"], graphql_filter)
    by_organization = _stats(base, ["organization", "role"], graphql_filter)
    year_kind = Counter({(r["year"], r["kind"]): r["count"] for r in by_year})
    organization_role = Counter(
        {
            (r["organization"]["slug"], r["role"]): r["count"]
            for r in by_organization
            if r["organization"]
        }
    )
    return {
        "year_kind": year_kind,
        "state_role": Counter(
            {(r["state"]["code"], r["role"]): r["count"] for r in by_state_role if r["state"]}
        ),
        "state": {r["state"]["code"]: r["count"] for r in by_state if r["state"]},
        "organization_role": organization_role,
        "total": sum(year_kind.values()),
    }


def _counts(entries: list[list[Any]]) -> Counter[tuple[Any, Any]]:
    """[key, key, count] entries as counts by the pair of keys."""
    return Counter({(a, b): n for a, b, n in entries})


def _assert_page_shows(page: Page, base: str, graphql_filter: dict[str, Any]) -> dict[str, Any]:
    expected = _expected(base, graphql_filter)
    shown = page.evaluate(READ_PAGE)
    assert _counts(shown["yearChart"]) == expected["year_kind"]
    assert _counts(shown["yearTable"]) == expected["year_kind"]
    assert Counter(tuple(entry) for entry in shown["matrixRoles"]) == expected["state_role"]
    assert dict(shown["matrixTotals"]) == expected["state"]
    assert _counts(shown["organizationChart"]) == expected["organization_role"]
    assert _counts(shown["organizationTable"]) == expected["organization_role"]
    assert shown["status"].startswith(f"{expected['total']} event")
    return expected


def _drawn(page: Page, address: str) -> None:
    """Waits until the page has drawn the charts for `address` (its query string, or "?")."""
    page.wait_for_function(
        "(address) => document.body.dataset.drawn === address", arg=address, timeout=20000
    )


def _graphql_gets(page: Page) -> list[dict[str, list[str]]]:
    """Every GraphQL request the page sends, as its query parameters."""
    sent: list[dict[str, list[str]]] = []
    page.on(
        "request",
        lambda request: (
            sent.append(parse_qs(urlparse(request.url).query))
            if urlparse(request.url).path == "/graphql"
            else None
        ),
    )
    return sent


def test_the_dashboard_draws_the_apis_numbers_and_keeps_its_filters_in_the_address(
    sqlite_live_server: str,
) -> None:
    with offline_page() as (page, offline):
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.on("pageerror", lambda error: console.append(f"page error: {error}"))
        sent = _graphql_gets(page)
        page.set_viewport_size({"width": 1200, "height": 900})
        page.goto(f"{sqlite_live_server}/dashboard")
        _drawn(page, "?")
        page.screenshot(path=SCREENSHOT, full_page=True)
        print(f"dashboard screenshot: {SCREENSHOT}")
        everything = _assert_page_shows(page, sqlite_live_server, {})

        page.select_option("#f-kind", "training")
        _drawn(page, "?kind=training")
        assert urlparse(page.url).query == "kind=training"
        training = _assert_page_shows(page, sqlite_live_server, {"kind": "training"})
        assert 0 < training["total"] < everything["total"]

        # A year range and a participant: the events of those years that the state attended.
        page.select_option("#f-year_from", "2015")
        page.select_option("#f-participant", "KAZ")
        _drawn(page, "?year_from=2015&kind=training&participant=KAZ")
        narrowed = {"dateFrom": "2015-01-01", "kind": "training", "participant": "KAZ"}
        _assert_page_shows(page, sqlite_live_server, narrowed)

        # Back: the address, the form and the numbers of the step before.
        page.go_back()
        page.go_back()
        _drawn(page, "?kind=training")
        assert page.locator("#f-kind").input_value() == "training"
        assert page.locator("#f-participant").input_value() == ""
        _assert_page_shows(page, sqlite_live_server, {"kind": "training"})

        # A shared link restores the filters on load.
        page.goto(f"{sqlite_live_server}/dashboard?year_from=2015&participant=KAZ")
        _drawn(page, "?year_from=2015&participant=KAZ")
        assert page.locator("#f-year_from").input_value() == "2015"
        _assert_page_shows(
            page, sqlite_live_server, {"dateFrom": "2015-01-01", "participant": "KAZ"}
        )

        # By keyboard alone: the next host country in the list, chosen with an arrow key.
        page.focus("#f-country")
        page.keyboard.press("ArrowDown")
        country = page.locator("#f-country").input_value()
        assert country
        _drawn(page, f"?year_from=2015&country={country}&participant=KAZ")
        _assert_page_shows(
            page,
            sqlite_live_server,
            {"dateFrom": "2015-01-01", "country": country, "participant": "KAZ"},
        )

    assert offline.blocked == []
    # The strict Content-Security-Policy refused nothing the page needs.
    assert not [
        line for line in console if "Content Security Policy" in line or "page error" in line
    ]
    # Each of the page's three queries first by its hash alone; its text follows, with the same
    # hash and variables, only when the server did not know it (a server without persisted
    # queries never does).
    asked = [
        (json.loads(params["extensions"][0])["persistedQuery"]["sha256Hash"], params["variables"])
        for params in sent
    ]
    assert len({digest for digest, _ in asked}) == 3
    for i, params in enumerate(sent):
        if "query" in params:
            text = params["query"][0]
            assert asked[i][0] == hashlib.sha256(text.encode()).hexdigest()
            assert asked[i] in [asked[j] for j in range(i) if "query" not in sent[j]], (
                "the text was sent before its hash alone"
            )


def test_the_dashboard_asks_by_hash_alone_once_the_server_knows_the_query(
    sqlite_live_server: str,
) -> None:
    """Against a server with persisted queries (a stand-in here: it remembers each text the
    page registers and forwards a known hash's request with its text to the real /graphql),
    the page's requests after the first load carry no query text."""
    known: dict[str, str] = {}

    def persisted_queries(route: Route) -> None:
        params = {k: v[0] for k, v in parse_qs(urlparse(route.request.url).query).items()}
        digest = (
            json.loads(params.get("extensions", "{}")).get("persistedQuery", {}).get("sha256Hash")
        )
        if "query" in params and digest:
            known[digest] = params["query"]
        elif digest in known:
            params["query"] = known[digest]
        elif digest:
            error = {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
            route.fulfill(status=200, json={"errors": [error]})
            return
        route.continue_(url=f"{sqlite_live_server}/graphql?{urlencode(params)}")

    with offline_page() as (page, offline):
        page.route("**/graphql?*", persisted_queries)
        page.goto(f"{sqlite_live_server}/dashboard?kind=training")
        _drawn(page, "?kind=training")
        assert len(known) == 3
        sent = _graphql_gets(page)
        page.reload()
        _drawn(page, "?kind=training")
        _assert_page_shows(page, sqlite_live_server, {"kind": "training"})
    assert offline.blocked == []
    assert len(sent) == 3
    assert all("query" not in params and "extensions" in params for params in sent)


def test_the_dashboard_fits_a_phone(sqlite_live_server: str) -> None:
    width = 360  # a small phone, held upright
    with offline_page() as (page, offline):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{sqlite_live_server}/dashboard?participant=KAZ")
        _drawn(page, "?participant=KAZ")
        page.screenshot(path=PHONE_SCREENSHOT, full_page=True)
        print(f"phone screenshot: {PHONE_SCREENSHOT}")
        # Nothing wider than the screen: the matrix scrolls inside its own box.
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == width
        for canvas in page.locator("canvas").all():
            box = canvas.bounding_box()
            assert box is not None
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width
    assert offline.blocked == []


def test_the_dashboard_sends_the_text_to_a_server_with_persisted_queries_off(
    sqlite_databases: DatabaseFactory,
) -> None:
    """A server run with GRAPHQL_PERSISTED_QUERIES=0 answers a hash PERSISTED_QUERY_NOT_SUPPORTED:
    the page draws from the texts, and sends no more hashes once told."""
    url = sqlite_databases.new(template=sqlite_databases.seeded())
    with (
        running_server(url, environment={"GRAPHQL_PERSISTED_QUERIES": "0"}) as base,
        offline_page() as (page, offline),
    ):
        sent = _graphql_gets(page)
        page.goto(f"{base}/dashboard")
        _drawn(page, "?")
        # The charts ask at once: each may send its hash before the first refusal comes back.
        first_load = len(sent)
        page.select_option("#f-kind", "training")
        _drawn(page, "?kind=training")
        _assert_page_shows(page, base, {"kind": "training"})
    assert offline.blocked == []
    hashed = [params for params in sent if "extensions" in params]
    assert 1 <= len(hashed) <= 3
    assert all("query" not in params for params in hashed)
    later = sent[first_load:]
    assert later
    assert all("query" in params and "extensions" not in params for params in later)
