"""A bounded load run: N concurrent clients hammer one URL for S seconds, then report.

uv run python -m bench.load http://127.0.0.1:8000/api/v1/events --clients 64 --seconds 20
"""

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx2

REQUEST_TIMEOUT = 10.0


@dataclass
class LoadResult:
    clients: int
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    hung: bool = False

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 400) + sum(
            self.failures.values()
        )

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0

    def report(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0.0
        lines = [
            f"clients            {self.clients}",
            f"duration           {self.seconds:.1f} s",
            f"requests           {self.requests}",
            f"throughput         {rate:.0f} req/s",
            f"latency p50        {1000 * self.percentile(0.50):.1f} ms",
            f"latency p95        {1000 * self.percentile(0.95):.1f} ms",
            f"latency p99        {1000 * self.percentile(0.99):.1f} ms",
            f"latency max        {1000 * max(self.latencies, default=0):.1f} ms",
            f"latency mean       {1000 * statistics.fmean(self.latencies or [0]):.1f} ms",
            f"statuses           {dict(sorted(self.statuses.items()))}",
            f"failures           {dict(self.failures) or 'none'}",
            f"hung               {'yes' if self.hung else 'no'}",
        ]
        return "\n".join(lines)


async def _client(http: httpx2.AsyncClient, url: str, until: float, result: LoadResult) -> None:
    while time.monotonic() < until:
        began = time.monotonic()
        try:
            response = await http.get(url)
            result.statuses[response.status_code] += 1
        except httpx2.HTTPError as error:
            result.failures[type(error).__name__] += 1
        result.latencies.append(time.monotonic() - began)


async def run_load(url: str, *, clients: int, seconds: float) -> LoadResult:
    """Run the load; every request is bounded in time, and so is the whole run."""
    result = LoadResult(clients=clients, seconds=seconds)
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    began = time.monotonic()
    async with httpx2.AsyncClient(timeout=REQUEST_TIMEOUT, limits=limits) as http:
        tasks = [_client(http, url, began + seconds, result) for _ in range(clients)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 2 * REQUEST_TIMEOUT)
        except TimeoutError:
            result.hung = True
    result.seconds = time.monotonic() - began
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    result = asyncio.run(run_load(args.url, clients=args.clients, seconds=args.seconds))
    print(result.report())
    return 1 if result.errors or result.hung else 0


if __name__ == "__main__":
    sys.exit(main())
