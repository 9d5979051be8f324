"""GET /dashboard as HTTP: a strict policy and script files, a form the address fills in, the
choices the data offers, bad filters refused by name. (tests/test_dashboard_browser.py draws it.)"""

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient


class _Page(HTMLParser):
    """The scripts, styles, labels and <select>s of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.inline_scripts = 0
        self.styles: list[str | None] = []
        self.labels: set[str] = set()
        self.selects: dict[str, list[str]] = {}
        self.selected: dict[str, str] = {}
        self.links: list[str] = []
        self._select: str | None = None
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script":
            self.scripts.append(named.get("src"))
            self._in_script = True
        elif tag == "link" and named.get("rel") == "stylesheet":
            self.styles.append(named.get("href"))
        elif tag == "style" or "style" in named:
            self.styles.append(None)
        elif tag == "label":
            self.labels.add(named.get("for") or "")
        elif tag == "select":
            self._select = named.get("name") or ""
            self.selects[self._select] = []
            assert named.get("id") in self.labels, f"<select name={self._select}> has no label"
        elif tag == "option" and self._select is not None:
            self.selects[self._select].append(named.get("value") or "")
            if "selected" in named and named.get("value"):
                self.selected[self._select] = named.get("value") or ""
        elif tag == "a":
            self.links.append(named.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        self.inline_scripts += self._in_script and bool(data.strip())


def _page(client: TestClient, address: str) -> _Page:
    response = client.get(address, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = _Page()
    page.feed(response.text)
    return page


def test_the_page_loads_only_its_own_script_files_under_a_strict_policy(
    sqlite_api: TestClient,
) -> None:
    response = sqlite_api.get("/dashboard")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe" not in policy
    page = _page(sqlite_api, "/dashboard")
    assert page.inline_scripts == 0
    assert page.scripts == ["/dashboard/assets/chart.umd.min.js", "/dashboard/assets/dashboard.js"]
    assert page.styles == ["/dashboard/assets/dashboard.css"]
    for src in [*page.scripts, *page.styles]:
        assert src is not None
        asset = sqlite_api.get(src)
        assert asset.status_code == 200, src
    # Chart.js as npm installed it at the locked version, served from here.
    chart = sqlite_api.get("/dashboard/assets/chart.umd.min.js")
    assert "Chart.js v4.6.2" in chart.text[:200]
    assert chart.headers["content-type"].startswith("text/javascript")


@pytest.mark.parametrize(
    "name", ["package.json", "node_modules/chart.js/package.json", "..%2Fpyproject.toml", "x.js"]
)
def test_only_the_pages_assets_are_served(sqlite_api: TestClient, name: str) -> None:
    assert sqlite_api.get(f"/dashboard/assets/{name}").status_code == 404


def test_the_form_shows_the_filters_the_address_gives(sqlite_api: TestClient) -> None:
    page = _page(sqlite_api, "/dashboard?year_from=2013&year_to=2015&kind=training&participant=KAZ")
    assert page.selected == {
        "year_from": "2013",
        "year_to": "2015",
        "kind": "training",
        "participant": "KAZ",
    }
    # A participant the data no longer names is still shown as chosen.
    assert _page(sqlite_api, "/dashboard?participant=gone-away").selected == {
        "participant": "gone-away"
    }


def test_the_choices_are_the_years_kinds_hosts_and_participants_there_are(
    each_db_api: TestClient,
) -> None:
    page = _page(each_db_api, "/dashboard")
    facets = each_db_api.get("/api/v1/facets/events").json()
    years = sorted((str(f["value"]) for f in facets["year"]), key=int)
    assert page.selects["year_from"][1:] == years
    assert set(page.selects["kind"][1:]) == {f["value"] for f in facets["kind"]}
    assert set(page.selects["country"][1:]) == {f["value"] for f in facets["country"]}
    rows = each_db_api.get("/api/v1/stats/events?group_by=state,organization").json()["rows"]
    participants = {r["state"]["code"] for r in rows if r["state"]} | {
        r["organization"]["slug"] for r in rows if r["organization"]
    }
    assert set(page.selects["participant"][1:]) == participants
    assert {"KAZ", "iom"} <= participants


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("year_from=soon", "year_from"),
        ("year_to=1066", "year_to"),
        ("kind=party", "kind"),
        ("country=Kazakhstan", "country"),
        ("participant=%3Cscript%3E", "participant"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_filter_is_a_problem_naming_it(
    sqlite_api: TestClient, query: str, parameter: str
) -> None:
    response = sqlite_api.get(f"/dashboard?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["parameter"] == parameter


def test_the_landing_page_links_the_dashboard(sqlite_api: TestClient) -> None:
    page = _page(sqlite_api, "/")
    assert "/dashboard" in page.links
