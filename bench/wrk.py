"""One wrk run: its script assembled from bench/lua, pinned to its own core, parsed into figures."""

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).parent / "lua"
WRK = "/usr/bin/wrk"
# wrk's own default is 2 s; slower answers would count as socket errors and hide the latency.
TIMEOUT = "10s"


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


def script(*names: str) -> str:
    """The Lua of `names` (files of bench/lua) then the reporter, as one script."""
    return "\n".join((LUA / name).read_text() for name in (*names, "report.lua"))


def run_wrk(
    url: str,
    *,
    lua: str,
    connections: int,
    seconds: float,
    headers: Sequence[str] = (),
    environment: Mapping[str, str] | None = None,
    cpus: str = "0",
) -> WrkResult:
    """wrk with one thread and `connections` connections for `seconds` against `url`."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(lua)
        file.flush()
        command = [
            *("taskset", "-c", cpus, WRK, "-t1", f"-c{connections}", f"-d{seconds:g}s"),
            *("--latency", "--timeout", TIMEOUT, "-s", file.name),
            *(argument for header in headers for argument in ("-H", header)),
            url,
        ]
        done = subprocess.run(
            command,
            env={**os.environ, **(environment or {})},
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH "):
            figures = json.loads(line.removeprefix("BENCH "))
            return WrkResult(
                requests=figures["requests"],
                seconds=figures["duration_us"] / 1e6,
                p50_ms=figures["p50_us"] / 1000,
                p99_ms=figures["p99_us"] / 1000,
                status_errors=figures["status_errors"],
                socket_errors=figures["socket_errors"],
            )
    raise RuntimeError(f"wrk gave no figures ({done.returncode}):\n{done.stdout}{done.stderr}")
