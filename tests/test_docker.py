"""The Docker files, proven without a Docker engine: lint, structure, and the entrypoint run."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml

from app.config import Settings
from bench.servers import free_port
from tests.databases import DatabaseFactory

# A system test (a live server, a browser, a fuzzer or the Docker files): `-m "not slow"` skips it.
pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run(
        [str(VENV_BIN / "hadolint"), "--failure-threshold", "info", "Dockerfile"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_the_dockerfile_builds_a_lean_non_root_image() -> None:
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert len(stages) >= 3
    assert stages[-1].startswith("python:3.11-slim")
    final = dockerfile[dockerfile.rindex("\nFROM ") :]
    assert "uv sync --frozen" in dockerfile  # installed from the lock file
    assert not re.search(r"apt-get install|build-essential|gcc", final)
    assert re.search(r"^USER 10001", final, re.MULTILINE)
    assert "HEALTHCHECK" in final
    assert "/health" in final
    assert 'ENTRYPOINT ["entrypoint"]' in final
    ignored = (PROJECT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".git", ".venv", "graphiql/node_modules"} <= set(ignored)


def _compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((PROJECT / "docker-compose.yml").read_text())
    return found


def _as_compose_gives(value: str) -> str:
    """A value as compose interpolates it with nothing set: `${X:-default}` is its default;
    `${X:?why}` must be given, here a stand-in as long as any setting asks."""
    value = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)
    return re.sub(r"\$\{\w+:\?[^}]*\}", "x" * 32, value)


def test_compose_runs_the_api_on_a_healthy_postgres() -> None:
    compose = _compose()
    db, api = compose["services"]["db"], compose["services"]["api"]

    assert re.match(r"postgres:(1[5-9]|[2-9]\d)", db["image"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])

    assert api["build"] == "."
    assert api["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "8000:8000" in api["ports"]
    assert "/ready" in " ".join(api["healthcheck"]["test"])
    environment = api["environment"]
    url = environment["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://")
    assert f"@db:5432/{db['environment']['POSTGRES_DB']}" in url
    assert f"{db['environment']['POSTGRES_USER']}:{db['environment']['POSTGRES_PASSWORD']}@" in url
    # Every variable the API is given is one the settings read, and each value is valid.
    names = {name.upper() for name in Settings.model_fields}
    assert set(environment) <= names
    Settings.model_validate({key.lower(): _as_compose_gives(v) for key, v in environment.items()})


def test_env_example_documents_every_setting() -> None:
    lines = (PROJECT / ".env.example").read_text(encoding="utf-8").splitlines()
    documented = {
        line.lstrip("# ").split("=")[0] for line in lines if re.match(r"^#? ?[A-Z_]+=", line)
    }
    assert documented == {name.upper() for name in Settings.model_fields}


def test_bad_configuration_stops_the_start_naming_the_variable() -> None:
    result = subprocess.run(
        [str(VENV_BIN / "almaty"), "migrate"],
        env={**os.environ, "DATABASE_URL": "sqlite:///x.db", "WORKERS": "none"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("invalid configuration: WORKERS:")


def test_the_entrypoint_migrates_seeds_serves_and_stops_on_sigterm(
    postgres: DatabaseFactory,
) -> None:
    port = free_port()
    environment = {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "DATABASE_URL": postgres.new(),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WORKERS": "2",
    }
    began = time.monotonic()
    server = subprocess.Popen(
        ["sh", "docker/entrypoint.sh"],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready = None
        while time.monotonic() - began < 60 and server.poll() is None:
            try:
                ready = httpx2.get(f"http://127.0.0.1:{port}/ready", timeout=1)
                if ready.status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.2)
        started = time.monotonic() - began
        assert ready is not None
        assert ready.status_code == 200, ready.text
        print(f"entrypoint: ready after {started:.1f} s (migrate, seed, 2 workers)")
        events = httpx2.get(f"http://127.0.0.1:{port}/api/v1/events").json()
        assert events["total"] == 8
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0
