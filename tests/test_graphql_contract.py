"""schemathesis in GraphQL mode: every root field with generated arguments and selections."""

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import positive_data_acceptance

from app.main import app
from tests.fuzzing import ALL_CHECKS, CONFIG, fuzzing

# A fuzzer: `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

schema = schemathesis.graphql.from_asgi("/graphql", app, config=CONFIG)


@schema.parametrize()
@fuzzing
def test_graphql_fuzzing_finds_no_failure(
    case: schemathesis.Case[Any], sqlite_api: TestClient
) -> None:
    # GraphQL types cannot say "1 to 100" or "three letters": a value the schema allows but our
    # limits refuse is the designed answer (BAD_USER_INPUT, tested in test_graphql.py), not a
    # failure. Every other check runs.
    case.call_and_validate(excluded_checks=[positive_data_acceptance], checks=ALL_CHECKS)
