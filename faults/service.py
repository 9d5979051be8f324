"""The service as deployed (`almaty serve`, one worker), on a free port, its log kept in a file."""

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx2

from bench.servers import free_port

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Service:
    base: str
    pid: int
    log: Path

    def rss_mb(self) -> float:
        """The worker's resident memory (VmRSS), in MB; 0 when it is gone."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except FileNotFoundError:
            return 0.0
        line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def alive(self) -> bool:
        return Path(f"/proc/{self.pid}").exists()

    def log_size(self) -> int:
        return self.log.stat().st_size

    def errors_logged(self, since: int = 0) -> list[str]:
        """The error lines logged after byte `since`, alike ones counted together: each as its
        logger, message and the last line of its traceback."""
        with self.log.open("rb") as file:
            file.seek(since)
            lines = file.read().decode(errors="replace").splitlines()
        found: Counter[str] = Counter()
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                if "Traceback" in line or "ERROR" in line:
                    found[line.strip()] += 1
                continue
            if not isinstance(record, dict) or record.get("level") not in ("ERROR", "CRITICAL"):
                continue
            trace = str(record.get("exc_info") or "").strip().splitlines()
            cause = f": {trace[-1]}" if trace else ""
            found[f"{record.get('logger')}: {record.get('message')}{cause}"] += 1
        return [f"{count} x {text}" for text, count in found.most_common()]


def service_command(port: int, cpu: int | None) -> list[str]:
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # taskset execs the command: the pid is the worker's own, whose memory is measured.
    if cpu is not None and cpu < (os.cpu_count() or 1) and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu), *command]
    return command


def cli_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the service and of its commands: JSON logs, the response cache off (so
    that every request reaches the database), the given database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "RESPONSE_CACHE_MB": "0",
        "LOG_FORMAT": "json",
        "ACCESS_LOG": "false",
        "WORKERS": "1",
        **extra,
    }


@contextmanager
def running_service(database_url: str, log: Path, *, cpu: int | None = 1) -> Iterator[Service]:
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            service_command(port, cpu),
            cwd=PROJECT,
            env=cli_environment(database_url),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    service = Service(base=f"http://127.0.0.1:{port}", pid=process.pid, log=log)
    try:
        _wait_until_healthy(service, process)
        yield service
    finally:
        process.terminate()
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(service: Service, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx2.get(service.base + "/ready", timeout=2).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the service did not start:\n{service.log.read_text()[-3000:]}")
        time.sleep(0.1)
