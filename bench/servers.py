"""The app served by a real uvicorn process: for benchmarks, and tests with browsers and fuzzers."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import httpx2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str, *extra: str, environment: dict[str, str] | None = None
) -> Iterator[str]:
    """uvicorn serving the app on a free loopback port; yields its base URL."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, **(environment or {})}
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    # A file, not a pipe: nobody reads the log while the server runs; a full pipe would block it.
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--no-access-log", *extra],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes], log: IO[str]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx2.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"the server did not start:\n{log.read()}")
        time.sleep(0.1)
