"""schemathesis, all its checks, against /openapi.json of a live server on each database."""

import pytest

from tests.fuzzing import schemathesis

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow


def test_every_operation_keeps_its_contract(live_server: str) -> None:
    result = schemathesis(f"{live_server}/openapi.json", "--checks", "all")

    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
