"""The OpenAPI document as a product: readable ids, every answer documented, real examples."""

import re

import pytest
from fastapi.testclient import TestClient

from app.rest.openapi import InvalidParameterProblem, NotFoundProblem


@pytest.fixture
def spec(sqlite_api: TestClient) -> dict:  # type: ignore[type-arg]
    return sqlite_api.get("/openapi.json").json()  # type: ignore[no-any-return]


def test_operation_ids_are_camel_case_verbs_and_no_422_shapes_remain(spec: dict) -> None:  # type: ignore[type-arg]
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]

    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(list|get|search|check)[A-Z][A-Za-z]*", i) for i in ids), ids
    assert {"listEvents", "getEvent", "getEventsCalendar", "listStates"} <= set(ids)
    assert not {"HTTPValidationError", "ValidationError"} & set(spec["components"]["schemas"])


def test_every_read_documents_its_cache_headers_304_and_problems(spec: dict) -> None:  # type: ignore[type-arg]
    for path, operations in spec["paths"].items():
        if path in ("/health", "/ready"):
            continue
        responses = operations["get"]["responses"]
        assert {"ETag", "Cache-Control", "X-Data-Version"} <= set(responses["200"]["headers"])
        assert "content" not in responses["304"], path
        schema = responses["400"]["content"]["application/problem+json"]["schema"]
        # A parameter at fault, or more parameters than a request may have.
        refs = [shape["$ref"].rsplit("/", 1)[1] for shape in schema["anyOf"]]
        assert refs == ["InvalidParameterProblem", "LimitProblem"], path
        if "{" in path:
            schema = responses["404"]["content"]["application/problem+json"]["schema"]
            assert schema["$ref"].endswith("/NotFoundProblem"), path
        ok = responses["200"].get("content", {}).get("application/json", {}).get("schema", {})
        if ok.get("$ref", "").startswith("#/components/schemas/Page"):
            assert "Link" in responses["200"]["headers"], path


def _query(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_every_parameter_example_is_answered(spec: dict, sqlite_api: TestClient) -> None:  # type: ignore[type-arg]
    for path, operations in spec["paths"].items():
        declared = operations["get"].get("parameters", [])
        required = {
            p["name"]: p["example"] for p in declared if p["required"] and p["in"] == "query"
        }
        for parameter in declared:
            example = parameter["example"]
            if parameter["in"] == "path":
                url = path.replace("{" + parameter["name"] + "}", str(example))
                params = {}
            else:
                url, params = path, {**required, parameter["name"]: _query(example)}
            if parameter["name"] == "name":
                continue  # a bulk file's name holds the data version: it changes with the data
            answer = sqlite_api.get(url, params=params)
            assert answer.status_code == 200, (path, parameter["name"], answer.text[:300])


def test_problem_bodies_match_their_documented_schemas(sqlite_api: TestClient) -> None:
    missing = sqlite_api.get("/api/v1/events/no-such-event").json()
    invalid = sqlite_api.get("/api/v1/events?limit=1000").json()

    assert set(missing) == set(NotFoundProblem.model_json_schema()["properties"])
    assert set(invalid) == set(InvalidParameterProblem.model_json_schema()["properties"])
    NotFoundProblem.model_validate(missing)
    InvalidParameterProblem.model_validate(invalid)


def test_every_parameter_carries_its_own_example(spec: dict) -> None:  # type: ignore[type-arg]
    # Declared with the field (`examples=`), as the document gives it to Swagger UI and clients.
    missing = [
        f"{path} {parameter['name']}"
        for path, operations in spec["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if "example" not in parameter
    ]
    assert missing == []
