"""A person in a browser: from the landing page to GraphiQL, opened on the example query."""

import json

import pytest

from app.schemas.discovery import GRAPHQL_EXAMPLE
from tests.browser import offline_page

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

EDITOR = ".graphiql-query-editor .CodeMirror"
RESULT = ".result-window .CodeMirror"


def test_the_landing_page_s_graphql_link_opens_graphiql_on_the_example(
    sqlite_live_server: str,
) -> None:
    with offline_page() as (page, offline):
        page.goto(f"{sqlite_live_server}/")
        page.get_by_role("link", name="GraphQL (GraphiQL in a browser)").click()
        page.locator(EDITOR).wait_for(timeout=15000)
        editor = page.evaluate(f"document.querySelector({EDITOR!r}).CodeMirror.getValue()")
        assert editor == GRAPHQL_EXAMPLE
        # The example runs: its answer shows the events of 2015 and the counts.
        page.locator(".graphiql-execute-button").click()
        # The result editor draws only the lines in view: its text is read from CodeMirror.
        shown = f"document.querySelector({RESULT!r}).CodeMirror.getValue()"
        page.wait_for_function(f"{shown}.includes('eventStats')", timeout=15000)
        answer = json.loads(page.evaluate(shown))
        assert answer["data"]["events"]["totalCount"] > 0
        assert answer["data"]["eventStats"]
    assert offline.blocked == []


def test_the_index_of_events_is_a_page_a_person_can_filter(sqlite_live_server: str) -> None:
    with offline_page() as (page, offline):
        page.goto(f"{sqlite_live_server}/")
        page.get_by_role("link", name="Events, each with its own page").click()
        page.get_by_label("Year").fill("2015")
        page.get_by_role("button", name="Show events").click()
        page.wait_for_url("**/events?*year=2015*")
        titles = page.locator("ol li a").all_inner_texts()
        assert titles
        page.locator("ol li a").first.click()
        page.locator("script[type='application/ld+json']").wait_for(state="attached")
        assert page.locator("h1").inner_text() == titles[0]
    assert offline.blocked == []
