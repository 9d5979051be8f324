"""The service as deployed (`almaty serve`, one worker), on a free port, its log kept in a file."""

import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.servers import free_port, running_process

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


def _pinned(cpu: int | None) -> str | None:
    """The CPU to pin the service to, when this machine has it and taskset."""
    if cpu is not None and cpu < (os.cpu_count() or 1) and shutil.which("taskset"):
        return str(cpu)
    return None


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
    """`almaty serve`, ready (schema at head, seed loaded), its log kept in `log`."""
    port = free_port()
    command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with running_process(
        command,
        port=port,
        environment=cli_environment(database_url),
        health="/ready",
        cpus=_pinned(cpu),
        log=log,
        # SIGTERM lets in-flight requests finish (the service allows them 20 s).
        stop_timeout=25,
    ) as server:
        yield Service(base=server.base, pid=server.pid, log=log)
