"""Posting GraphQL queries in tests."""

from typing import Any

from fastapi.testclient import TestClient


def graphql(
    client: TestClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole GraphQL answer (data and errors); the HTTP status must be 200."""
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def data(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """The data of a query that must succeed."""
    answer = graphql(client, query, variables)
    assert "errors" not in answer, answer["errors"]
    return answer["data"]
