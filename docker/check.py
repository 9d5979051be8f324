"""`make docker-check`: the image built and run for real, where a Docker daemon can be reached.

Builds the image, then proves what an operator relies on: the container turns healthy by its
own HEALTHCHECK on a port other than 8000, `/ready` answers, a REST and a GraphQL answer come
back, `docker stop` (SIGTERM) ends it cleanly within 10 s, and two replicas started at once on
one empty PostgreSQL database set it up together and load the seed once.

Without a reachable daemon it says so and exits 0: the Docker files are still linted and their
entrypoint run by the test suite (tests/test_docker.py). On these machines,
`../shared/tools/docker-local.sh` starts a private daemon (read its header); then
`DOCKER_HOST=unix:///tmp/docker-local/docker.sock DOCKER_BUILDKIT=0 make docker-check`.

Containers use the host's network (the private daemon has no bridge), so the PostgreSQL they
use is the one the tests use, on 127.0.0.1:5432; the database is made here and dropped after.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
import sqlalchemy as sa

from bench.servers import free_port

PROJECT = Path(__file__).resolve().parent.parent
IMAGE = os.environ.get("DOCKER_CHECK_IMAGE", "almaty:check")
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# A cursor key for the production settings the image runs with; never a real secret.
KEY = "docker-check-cursor-key-0123456789"
STOP_LIMIT = 10.0


class CheckFailedError(Exception):
    """A promise of the image that did not hold."""


def docker(*args: str, check: bool = True, timeout: float = 120) -> str:
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and done.returncode != 0:
        raise CheckFailedError(f"docker {' '.join(args)}: {done.stderr.strip() or done.stdout}")
    return done.stdout.strip()


def daemon_reachable() -> str | None:
    """None when a daemon answers; otherwise why not."""
    try:
        done = subprocess.run(
            ["docker", "info", "--format", "{{.ServerVersion}}"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except FileNotFoundError:
        return "no docker command on PATH"
    except subprocess.TimeoutExpired:
        return "docker info did not answer within 20 s"
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["docker info failed"])[-1]
    return None


def step(text: str) -> None:
    print(f"docker-check: {text}", flush=True)


@contextmanager
def container(name: str, port: int, environment: dict[str, str]) -> Iterator[str]:
    variables = {"PORT": str(port), "ENVIRONMENT": "production", "CURSOR_KEY": KEY, **environment}
    variables.setdefault("PUBLIC_URL", f"http://127.0.0.1:{port}")
    options = [item for key, value in variables.items() for item in ("-e", f"{key}={value}")]
    docker("run", "-d", "--name", name, "--network", "host", *options, IMAGE)
    try:
        yield name
    finally:
        logs = docker("logs", "--tail", "20", name, check=False)
        docker("rm", "-f", name, check=False)
        if sys.exc_info()[0] is not None:
            print(f"--- last lines of {name}'s log ---\n{logs}", file=sys.stderr)


def wait_healthy(name: str, limit: float = 120) -> float:
    """Seconds until Docker's own HEALTHCHECK calls the container healthy."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        state = docker("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}", name)
        if state == "running healthy":
            return time.monotonic() - began
        if not state.startswith("running"):
            raise CheckFailedError(f"{name} is {state}, never healthy")
        time.sleep(1)
    raise CheckFailedError(f"{name} not healthy after {limit:.0f} s (state: {state})")


def wait_ready(base: str, limit: float = 120) -> httpx2.Response:
    began = time.monotonic()
    while time.monotonic() - began < limit:
        try:
            answer = httpx2.get(f"{base}/ready", timeout=2)
            if answer.status_code == 200:
                return answer
        except httpx2.TransportError:
            pass
        time.sleep(0.5)
    raise CheckFailedError(f"{base}/ready did not answer 200 within {limit:.0f} s")


def answers(base: str) -> None:
    events = httpx2.get(f"{base}/api/v1/events", timeout=10)
    if events.status_code != 200 or not events.json()["items"]:
        raise CheckFailedError(f"REST: {events.status_code} {events.text[:200]}")
    graphql = httpx2.post(
        f"{base}/graphql", json={"query": "{ events(first: 2) { totalCount } }"}, timeout=10
    )
    if graphql.status_code != 200 or graphql.json()["data"]["events"]["totalCount"] < 1:
        raise CheckFailedError(f"GraphQL: {graphql.status_code} {graphql.text[:200]}")


def stop(name: str) -> float:
    """Seconds `docker stop` took; the container must have ended on SIGTERM with status 0."""
    began = time.monotonic()
    docker("stop", "--time", str(int(STOP_LIMIT)), name)
    took = time.monotonic() - began
    code = docker("inspect", "--format", "{{.State.ExitCode}}", name)
    if code != "0" or took >= STOP_LIMIT:
        raise CheckFailedError(f"{name} stopped in {took:.1f} s with exit code {code}")
    return took


@contextmanager
def postgres_database() -> Iterator[str]:
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"almaty_docker_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def loads(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(sa.text("SELECT count(*) FROM data_version")).scalar_one()
            )
    finally:
        engine.dispose()


def run() -> None:
    began = time.monotonic()
    step(f"building {IMAGE} (the vfs driver of a private daemon takes minutes)")
    docker("build", "--network", "host", "-t", IMAGE, str(PROJECT), timeout=3600)
    step(f"built in {time.monotonic() - began:.0f} s")

    tag = uuid.uuid4().hex[:8]
    port = free_port()
    with container(
        f"almaty-check-{tag}", port, {"DATABASE_URL": "sqlite:////tmp/a.sqlite3"}
    ) as one:
        healthy = wait_healthy(one)
        step(f"PORT={port}: healthy by its own HEALTHCHECK after {healthy:.1f} s")
        ready = wait_ready(f"http://127.0.0.1:{port}").json()
        step(f"/ready: schema {ready['schema_revision']}, data {ready['data_version'][:12]}")
        answers(f"http://127.0.0.1:{port}")
        step("a REST list and a GraphQL query answered")
        took = stop(one)
        step(f"docker stop (SIGTERM): exited 0 after {took:.1f} s")

    with postgres_database() as url:
        first, second = free_port(), free_port()
        with (
            container(f"almaty-check-{tag}-a", first, {"DATABASE_URL": url}) as a,
            container(f"almaty-check-{tag}-b", second, {"DATABASE_URL": url}) as b,
        ):
            for name, replica in ((a, first), (b, second)):
                wait_ready(f"http://127.0.0.1:{replica}")
                answers(f"http://127.0.0.1:{replica}")
                step(f"replica {name} on one PostgreSQL: ready and answering")
            versions = loads(url)
            if versions != 1:
                raise CheckFailedError(f"two replicas loaded the seed {versions} times, not once")
            step("two replicas started at once set up one PostgreSQL and loaded the seed once")
            for name in (a, b):
                stop(name)
    step(f"passed in {time.monotonic() - began:.0f} s")


def main() -> int:
    why = daemon_reachable()
    if why is not None:
        step(f"SKIPPED: no Docker daemon can be reached ({why}); nothing was built or run")
        return 0
    try:
        run()
    except (CheckFailedError, httpx2.HTTPError, subprocess.TimeoutExpired) as error:
        step(f"FAILED: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
