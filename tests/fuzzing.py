"""schemathesis over the app in this process, through its ASGI loaders (no server, no socket)."""

from pathlib import Path

from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, CheckFunction, load_all_checks
from schemathesis.config import SchemathesisConfig

PROJECT = Path(__file__).resolve().parent.parent
# schemathesis.toml: the examples per operation, and the parameters no generator can make.
CONFIG = SchemathesisConfig.from_path(PROJECT / "schemathesis.toml")

load_all_checks()
# Every check schemathesis has, as `schemathesis run --checks all` runs them.
ALL_CHECKS: list[CheckFunction] = [c for c in CHECKS.get_all() if not isinstance(c, type)]

# A fixed seed: a failure found once is found again. The fixture a test takes (the database
# the app reads) holds for every example of it.
fuzzing = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
