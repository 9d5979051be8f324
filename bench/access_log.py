"""Throughput of a cheap endpoint with the access log on and off (one worker, loopback).

uv run python -m bench.access_log sqlite:////path/to/seeded.sqlite3 --seconds 10
"""

import argparse
import asyncio

from bench.load import run_load
from bench.servers import running_server

CHEAP = "/api/v1/process"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database_url")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(f"{'access log':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for enabled in ("false", "true"):
        with running_server(args.database_url, environment={"ACCESS_LOG": enabled}) as base:
            result = asyncio.run(run_load(base + CHEAP, clients=args.clients, seconds=args.seconds))
        print(
            f"{'on' if enabled == 'true' else 'off':<12} "
            f"{result.requests / result.seconds:>8.0f} "
            f"{1000 * result.percentile(0.5):>8.1f} {1000 * result.percentile(0.99):>8.1f} "
            f"{result.errors:>7}"
        )


if __name__ == "__main__":
    main()
