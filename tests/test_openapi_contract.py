"""schemathesis, all its checks, on every operation of /openapi.json, on each database (a value
the schema allows must be one PostgreSQL can take as well as SQLite)."""

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from app.main import app
from tests.fuzzing import ALL_CHECKS, CONFIG, fuzzing

# A fuzzer: `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


@schema.parametrize()
@fuzzing
def test_every_operation_keeps_its_contract(
    case: schemathesis.Case[Any], each_db_api: TestClient
) -> None:
    case.call_and_validate(checks=ALL_CHECKS)
