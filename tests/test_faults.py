"""The fault suite in its quick mode: PostgreSQL stopped, frozen and locked under load, reloads
under load and killed, full disks; the service keeps its contract through each.

The suite starts its own PostgreSQL cluster on another port (the shared one is never touched)
and serves SQLite as well, on a full disk; so it takes no database fixture. Timing bounds (a
slow /health, an answer past the budget) are reported by the suite, not asserted here.
"""

import os

import pytest

from faults.run import run
from faults.scenarios import Phases

pytestmark = pytest.mark.slow


def test_every_fault_keeps_the_contract() -> None:
    rows, _ = run(Phases.quick())
    ran = {row.scenario for row in rows}
    assert {"PostgreSQL stopped", "PostgreSQL frozen", "table locked"} <= ran
    assert {"reload under load", "kill -9 of a reload"} <= ran
    if os.geteuid() == 0:
        assert {"disk full (PostgreSQL)", "disk full (SQLite)"} <= ran
    broken = {row.scenario: row.broken(timings=False) for row in rows if row.broken(timings=False)}
    assert broken == {}, "\n".join(f"{name}: {'; '.join(v)}" for name, v in broken.items())
    # Each fault was felt and recovered from: some answers were served, the last ones 200s.
    for row in rows:
        assert row.requests > 0, row.scenario
        assert row.results["200"] > 0, row.scenario
        assert row.recovery is not None, row.scenario
