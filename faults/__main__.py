"""Run the fault suite and print its table; the full run also writes faults/RESULTS.md.

uv run --frozen python -m faults              # every scenario, full phases (~5 minutes)
uv run --frozen python -m faults --quick      # shorter phases, as .ci/run runs it
uv run --frozen python -m faults --only frozen --only locked
"""

import argparse
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from faults.report import Row, details, table
from faults.run import SCENARIOS, run
from faults.scenarios import Phases

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _interrupt(number: int, _: FrameType | None) -> None:
    # SIGTERM unwinds like Ctrl-C: the clusters stop, the tmpfs mounts go, the folders too.
    raise KeyboardInterrupt(signal.Signals(number).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m faults", description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter phases, fewer reloads")
    parser.add_argument("--only", action="append", choices=SCENARIOS, help="this scenario only")
    parser.add_argument(
        "--events", type=int, default=0, help="synthetic events added first (100,000: ~4 min)"
    )
    parser.add_argument(
        "--output", type=Path, help=f"write the table here (default, full run: {RESULTS})"
    )
    arguments = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    phases = Phases.quick() if arguments.quick else Phases.full()
    rows, header = run(phases, only=arguments.only, events=arguments.events)
    text = f"{table(rows)}\n\n{details(rows)}"
    print(f"\n{text}")
    output = arguments.output or (None if arguments.quick or arguments.only else RESULTS)
    if output is not None:
        mode = "quick phases" if arguments.quick else "full phases"
        output.write_text(
            f"# Fault suite results\n\n`python -m faults` ({mode}, {arguments.events:,} synthetic "
            f"events), as described in [README.md](README.md).\n\n{header}\n\n{text}"
        )
        print(f"written to {output}")
    chosen = [name for name in SCENARIOS if not arguments.only or name in arguments.only]
    failures = verdict(rows, scenarios=len(chosen), quick=arguments.quick or bool(arguments.only))
    for failure in failures:
        print(f"failed: {failure}", file=sys.stderr)
    return 1 if failures else 0


def verdict(rows: list[Row], *, scenarios: int, quick: bool) -> list[str]:
    """Each broken promise; each fault that was not felt or not recovered from; scenarios that
    did not run (one that needs root says it was skipped). Quick phases are too short to judge
    timings by."""
    found = [
        f"{row.scenario}: {'; '.join(row.broken(timings=not quick))}"
        for row in rows
        if row.broken(timings=not quick)
    ]
    if len(rows) != scenarios:
        found.append(f"{scenarios} scenarios were chosen, {len(rows)} ran")
    for row in rows:
        if any(note.startswith("skipped:") for note in row.notes):
            continue
        if row.requests == 0 or row.results["200"] == 0:
            found.append(f"{row.scenario}: no answer was served")
        if row.recovery is None:
            found.append(f"{row.scenario}: the service did not recover")
    return found


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("note: not root: the disk-full scenarios (tmpfs mounts) are skipped", file=sys.stderr)
    sys.exit(main())
