"""Run the benchmark of issue 10 and record its table in bench/README.md.

uv run --frozen python -m bench             # the full run: 3 rounds of 10 s, SQLite and PostgreSQL
uv run --frozen python -m bench --quick     # 1 round of 3 s, everything
uv run --frozen python -m bench --smoke     # 1-second runs of a few rows on the seed, SQLite only
"""

import argparse
import sys

from bench.run import Options, main


def _options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="each 64-connection run")
    parser.add_argument("--single-seconds", type=float, help="each 1-connection run (--seconds)")
    parser.add_argument("--rounds", type=int, default=3, help="medians of this many rounds")
    parser.add_argument(
        "--backend",
        action="append",
        choices=("sqlite", "postgresql"),
        help="only this database (repeat for both; default both)",
    )
    parser.add_argument(
        "--events", type=int, default=100_000, help="generated events (0: the seed only)"
    )
    parser.add_argument("--quick", action="store_true", help="one round of 3-second runs")
    parser.add_argument("--smoke", action="store_true", help="1-second runs of a few rows")
    parser.add_argument(
        "--no-readme", action="store_true", help="print the table without writing README.md"
    )
    args = parser.parse_args(argv)
    seconds, rounds = args.seconds, args.rounds
    if args.quick:
        seconds, rounds = 3.0, 1
    backends = tuple(args.backend or ("sqlite", "postgresql"))
    if args.smoke:
        seconds, rounds, backends = 1.0, 1, ("sqlite",)
    return Options(
        seconds=seconds,
        single_seconds=args.single_seconds or seconds,
        rounds=rounds,
        backends=backends,
        events=0 if args.smoke else args.events,
        smoke=args.smoke,
        write_readme=not args.no_readme,
    )


if __name__ == "__main__":
    sys.exit(main(_options()))
