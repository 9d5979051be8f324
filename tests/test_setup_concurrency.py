"""Replicas starting together on an empty database: one migrates and loads, the others wait
for it and find nothing to do (PostgreSQL's advisory lock; a lock file beside a SQLite file)."""

import os
import subprocess
import sys

import pytest

from tests.databases import DatabaseFactory, loaded

STARTERS = 2


@pytest.mark.slow
def test_replicas_set_up_an_empty_database_together_and_load_once(
    databases: DatabaseFactory,
) -> None:
    url = databases.new()
    environment = {**os.environ, "DATABASE_URL": url, "LOG_FORMAT": "json"}
    starters = [
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", "setup"],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(STARTERS)
    ]
    outputs = [starter.communicate(timeout=120) for starter in starters]

    assert [starter.returncode for starter in starters] == [0] * STARTERS, outputs
    said = [out for out, _ in outputs]
    assert sum("rows added" in out for out in said) == 1, said
    assert sum("already loaded; nothing changed" in out for out in said) == STARTERS - 1, said
    versions, events = loaded(url)
    assert versions == 1
    assert events
