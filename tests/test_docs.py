"""The OpenAPI document describes everything; Swagger UI works with no internet access."""

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.browser import offline_page

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow


def _has_example(schema: dict[str, Any], spec: dict[str, Any], depth: int = 0) -> bool:
    if depth > 8:
        return False
    if "example" in schema or "examples" in schema:
        return True
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _has_example(spec["components"]["schemas"][name], spec, depth + 1)
    children = [
        *schema.get("properties", {}).values(),
        *schema.get("anyOf", []),
        *([schema["items"]] if "items" in schema else []),
    ]
    return any(_has_example(child, spec, depth + 1) for child in children)


def test_every_operation_documents_its_parameters_responses_and_an_example(
    sqlite_api: TestClient,
) -> None:
    spec = sqlite_api.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    operations = [(path, op) for path, ops in spec["paths"].items() for op in ops.values()]
    assert len(operations) >= 20
    for path, operation in operations:
        assert operation.get("description"), path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description") or parameter["schema"].get("description"), (
                path,
                parameter["name"],
            )
        responses = operation["responses"]
        assert "200" in responses, path
        if operation.get("parameters"):
            assert "400" in responses, path
            assert "422" not in responses, path
        if "{" in path:
            assert "404" in responses, path
        content = responses["200"].get("content", {})
        if "application/json" in content and path.startswith("/api/"):
            assert _has_example(content["application/json"]["schema"], spec), path


def test_swagger_ui_works_offline(sqlite_live_server: str) -> None:
    with offline_page() as (page, offline):
        page.goto(f"{sqlite_live_server}/docs")
        events = page.locator("#operations-events-listEvents")
        events.locator(".opblock-summary").click()
        events.get_by_role("button", name="Try it out").click()
        events.get_by_role("button", name="Execute").click()
        status = events.locator(".live-responses-table tbody .response-col_status").first
        status.wait_for(timeout=15000)

        assert status.inner_text().strip() == "200"
        # "Try it out" fills in each parameter's example: whatever they select, a page came back.
        assert '"next_cursor"' in events.locator(".live-responses-table").inner_text()
    assert offline.blocked == []


def test_graphiql_runs_a_query_offline(sqlite_live_server: str) -> None:
    query = '{ event(slug: "second-som-2015") { title city } }'
    with offline_page() as (page, offline):
        page.goto(f"{sqlite_live_server}/graphql?q={quote(query)}")
        page.locator(".graphiql-execute-button").click()
        result = page.locator(".result-window")
        result.get_by_text("Astana").wait_for(timeout=15000)

        assert "Second Senior Officials Meeting" in result.inner_text()
    assert offline.blocked == []
