"""Servers in processes of their own on loopback: for benchmarks, and tests with live servers."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2


@dataclass(frozen=True)
class Server:
    """A running server: where to reach it and the process to measure (its memory, its CPU)."""

    base: str
    pid: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def uvicorn_command(app: str, port: int, *extra: str) -> list[str]:
    """uvicorn serving `app` with its defaults (httptools and uvloop when installed, as shipped).

    This service is served as `almaty serve` serves it: with its bound on slow request heads.
    """
    ours = ("--http", "app.http.server:BoundedHeadProtocol") if app.startswith("app.main:") else ()
    return [
        *(sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)),
        *("--no-access-log", *ours, *extra),
    ]


@contextmanager
def running_process(
    command: Sequence[str],
    *,
    port: int,
    environment: dict[str, str] | None = None,
    health: str = "/health",
    cpus: str | None = None,
    log: Path | None = None,
    stop_timeout: float = 10,
) -> Iterator[Server]:
    """`command` listening on `port` (pinned to `cpus` when given) until `health` answers 200.

    Its output goes to `log` when given (kept, to read afterwards), else to a temporary file.
    """
    # taskset execs the command, so the pid we get is the server's own.
    pinned = ["taskset", "-c", cpus, *command] if cpus is not None else list(command)
    # A file, not a pipe: nobody reads the log while the server runs; a full pipe would block it.
    with log.open("w+") if log is not None else tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(
            pinned,
            env={**os.environ, **(environment or {})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(base + health, process, output)
            yield Server(base=base, pid=process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running_service(
    database_url: str,
    *extra: str,
    environment: dict[str, str] | None = None,
    cpus: str | None = None,
) -> Iterator[Server]:
    """This service in uvicorn, one worker as shipped, on a free loopback port."""
    port = free_port()
    with running_process(
        uvicorn_command("app.main:served", port, *extra),
        port=port,
        environment={"DATABASE_URL": database_url, **(environment or {})},
        cpus=cpus,
    ) as server:
        yield server


@contextmanager
def running_server(
    database_url: str, *extra: str, environment: dict[str, str] | None = None
) -> Iterator[str]:
    """uvicorn serving the app on a free loopback port; yields its base URL."""
    with running_service(database_url, *extra, environment=environment) as server:
        yield server.base


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: IO[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(url, timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"the server did not start:\n{log.read()}")
        time.sleep(0.1)
