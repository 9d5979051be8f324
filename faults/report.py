"""One row per scenario: what the clients met, judged against the service's contract.

The contract under a fault: no 500, no connection reset or refused, no request hanging past
the time budget (plus a margin), every failure a 503 problem+json (in GraphQL, an error coded
SERVICE_UNAVAILABLE or the time limit), `/health` fast throughout, and a 200 again soon after
the fault ends.
"""

import os
import platform
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from faults.load import GRAPHQL_ANSWERED, Outcome

HEALTH_BOUND = 1.0  # seconds: liveness answers at once, whatever the database does
HANG_MARGIN = 2.0


@dataclass(frozen=True)
class Violation:
    """A broken promise; `timing` ones are bounds a slow or busy machine might miss."""

    text: str
    timing: bool = False


@dataclass
class Row:
    scenario: str
    requests: int = 0
    results: Counter[str] = field(default_factory=Counter)
    p99: float = 0.0
    health_p99: float = 0.0
    recovery: float | None = None
    rss_before: float = 0.0
    rss_after: float = 0.0
    violations: list[Violation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations

    def broken(self, *, timings: bool = True) -> list[str]:
        return [v.text for v in self.violations if timings or not v.timing]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def judge(row: Row, outcomes: Sequence[Outcome], hang_limit: float) -> None:
    """Count the outcomes into `row` and record each kind of broken promise once, with its count."""
    api = [o for o in outcomes if o.kind != "health"]
    health = [o for o in outcomes if o.kind == "health"]
    row.requests = len(api)
    row.results = Counter(o.result for o in api)
    row.p99 = percentile([o.seconds for o in api], 0.99)
    row.health_p99 = percentile([o.seconds for o in health], 0.99)
    for who, group in (("", api), ("/health: ", health)):
        results = Counter(o.result for o in group)
        for result, count in sorted(results.items()):
            if result in ("200", "503") or result.removeprefix("graphql:") in GRAPHQL_ANSWERED:
                continue
            row.violations.append(Violation(f"{who}{count} x {result}"))
        plain = sum(1 for o in group if o.result == "503" and not o.problem_json)
        if plain:
            row.violations.append(Violation(f"{who}{plain} x 503 not problem+json"))
        late = sum(1 for o in group if o.seconds > hang_limit and o.result != "timeout")
        if late:
            row.violations.append(Violation(f"{who}{late} answered after {hang_limit:g} s", True))
    if row.health_p99 > HEALTH_BOUND:
        row.violations.append(
            Violation(f"/health p99 {1000 * row.health_p99:.0f} ms > {HEALTH_BOUND:g} s", True)
        )


def _outcomes_text(results: Counter[str]) -> str:
    return ", ".join(f"{name} x {count}" for name, count in results.most_common())


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:,.0f}"


def table(rows: Sequence[Row]) -> str:
    lines = [
        "| scenario | requests | outcomes | p99 ms | /health p99 ms | recovery s "
        "| worker RSS MB before → after | result |",
        "|---|--:|---|--:|--:|--:|---|---|",
    ]
    for row in rows:
        recovery = "none" if row.recovery is None else f"{row.recovery:.2f}"
        verdict = "pass" if row.passed else "FAIL: " + "; ".join(row.broken())
        lines.append(
            f"| {row.scenario} | {row.requests:,} | {_outcomes_text(row.results)} "
            f"| {_ms(row.p99)} | {_ms(row.health_p99)} | {recovery} "
            f"| {row.rss_before:.0f} → {row.rss_after:.0f} | {verdict} |"
        )
    return "\n".join(lines)


def details(rows: Sequence[Row]) -> str:
    """Each scenario's notes, and the error lines its service logged (the first few)."""
    parts = []
    for row in rows:
        if not (row.notes or row.logged):
            continue
        parts.append(f"### {row.scenario}\n")
        parts += [f"- {note}" for note in row.notes]
        if row.logged:
            shown = "\n".join(line[:300] for line in row.logged[:8])
            more = f"\n({len(row.logged) - 8} kinds more)" if len(row.logged) > 8 else ""
            parts.append(f"\nServer error lines, by kind:\n\n```\n{shown}{more}\n```")
        parts.append("")
    return "\n".join(parts)


def _git(*arguments: str) -> str:
    done = subprocess.run(["git", *arguments], capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def environment(postgres_version: str) -> str:
    dirty = " with uncommitted changes" if _git("status", "--porcelain", "--", "app") else ""
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("uvicorn", "fastapi", "sqlalchemy", "strawberry-graphql")
    )
    return "\n".join(
        [
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- machine: {platform.node()}, {_cpu()}, {os.cpu_count()} CPUs, "
            f"{platform.system()} {platform.release()}",
            f"- code: commit {_git('rev-parse', '--short', 'HEAD')}{dirty}",
            f"- Python {platform.python_version()}, PostgreSQL {postgres_version}, {packages}",
        ]
    )
