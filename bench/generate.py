"""Synthetic events in the shape of the real data, added to a seeded database in bulk.

    uv run --frozen python -m bench.generate DATABASE_URL --events 100000

Each event gets a few participations (states and organisations of the seed), citations on the
event and on each participation, claims on its start date, city and each role (each claim cited),
sometimes a theme, and words from the process's vocabulary, so that `q=migration` finds a share
of them as it would in real data. The load records a new data version as a seed load does, but
no change records: `/changes` would list 100,000 additions nobody syncs, and the bench does not
read them.
"""

import argparse
import hashlib
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from app.db import create_db_engine
from app.models import (
    Citation,
    Claim,
    DataVersion,
    Event,
    EventTheme,
    Organization,
    Participation,
    SourceDocument,
    State,
    metadata,
)
from app.models.enums import (
    ClaimBasis,
    ClaimRank,
    DatePrecision,
    EventKind,
    EventProcessRelation,
    EventStatus,
    ParticipationRole,
    SubjectType,
)
from app.seed.loader import index_events

BATCH = 5_000  # rows per executemany: bounded memory, few round trips

TOPICS = (
    "Labour Migration",
    "Refugee Protection",
    "Mixed Migration",
    "Border Management",
    "Trafficking in Persons",
    "Statelessness",
    "Remittances and Development",
    "Disaster Displacement",
    "Return and Reintegration",
    "Asylum Procedures",
    "Migrant Smuggling",
    "Climate and Mobility",
)
FORMATS = (
    "Regional Workshop on",
    "Expert Meeting on",
    "Training on",
    "Consultation on",
    "Forum on",
)
SENTENCES = (
    "Delegations exchanged good practices and agreed on next steps.",
    "The meeting reviewed national action plans and data collection.",
    "Participants discussed cooperation between member states and partners.",
    "A session addressed the rights of migrant workers and their families.",
    "Officials from ministries of interior and labour took part.",
    "The training covered identification and referral of vulnerable persons.",
    "Recommendations were adopted for the next ministerial conference.",
    "Speakers presented research on irregular migration routes in the region.",
)
CITIES = {"KAZ": "Almaty", "KGZ": "Bishkek", "TJK": "Dushanbe", "TKM": "Ashgabat", "AZE": "Baku"}
QUOTE_LENGTH = 80


@dataclass
class Rows:
    """The rows of one batch, by table, as plain dicts for executemany."""

    events: list[dict[str, Any]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    participations: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)

    def write(self, connection: sa.Connection) -> None:
        """Insert every row, parents first; one executemany per table."""
        for model, rows in (
            (Event, self.events),
            (EventTheme, self.themes),
            (Participation, self.participations),
            (Claim, self.claims),
            (Citation, self.citations),
        ):
            if rows:
                connection.execute(sa.insert(model), rows)


@dataclass(frozen=True)
class Passage:
    document: str
    start: int
    end: int
    quote: str


def cite(rows: Rows, subject_type: SubjectType, subject_id: str, passage: Passage) -> None:
    """A citation of `passage` for one record, its id stable for the same inputs."""
    identity = f"{subject_type}|{subject_id}|{passage.document}|{passage.start}"
    rows.citations.append(
        {
            "id": hashlib.sha256(identity.encode()).hexdigest()[:32],
            "subject_type": subject_type,
            "subject_id": subject_id,
            "document_slug": passage.document,
            "start_offset": passage.start,
            "end_offset": passage.end,
            "quote": passage.quote,
            "slide": None,
        }
    )


def claim(
    rows: Rows,
    subject_type: SubjectType,
    subject_id: str,
    name: str,
    value: Any,
    passage: Passage,
) -> None:
    """A preferred, stated claim on one field of a record, cited by `passage`."""
    claim_id = f"{subject_type}|{subject_id}|{name}|generated"
    rows.claims.append(
        {
            "id": claim_id,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "field": name,
            "value": json.dumps(value, ensure_ascii=False),
            "rank": ClaimRank.preferred,
            "basis": ClaimBasis.stated,
            "document_slug": passage.document,
            "note": None,
        }
    )
    cite(rows, SubjectType.claim, claim_id, passage)


def event_row(slug: str, title: str, start: date, end: date, **fields: Any) -> dict[str, Any]:
    """An event row with every column, the optional ones empty unless given."""
    row: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "kind": EventKind.meeting,
        "status": EventStatus.held,
        "start_date": start,
        "start_precision": DatePrecision.day,
        "end_date": end,
        "end_precision": DatePrecision.day,
        "city": None,
        "country_code": None,
        "summary": None,
        "attendance": None,
        "process_slug": "almaty-process",
        "process_relation": EventProcessRelation.key_event,
        "project_slug": None,
        "participant_count": None,
        "participant_count_qualifier": None,
        "participant_count_counts": None,
    }
    row.update(fields)
    return row


def participation_row(
    event_slug: str, role: ParticipationRole, *, state: str | None = None, org: str | None = None
) -> dict[str, Any]:
    """A participation of a state or an organisation, keyed as the seed keys them."""
    actor = f"state:{state}" if state else f"organization:{org}"
    return {
        "id": f"{event_slug}/{role}/{actor}",
        "event_slug": event_slug,
        "role": role,
        "state_code": state,
        "organization_slug": org,
        "person_slug": None,
    }


@dataclass(frozen=True)
class World:
    """What the seed holds that generated rows refer to."""

    states: list[str]
    organizations: list[str]
    passages: list[Passage]

    @classmethod
    def read(cls, connection: sa.Connection, rng: random.Random) -> "World":
        states = list(connection.scalars(sa.select(col(State.code)).order_by(col(State.code))))
        organizations = list(
            connection.scalars(sa.select(col(Organization.slug)).order_by(col(Organization.slug)))
        )
        passages = []
        for slug, text in connection.execute(
            sa.select(col(SourceDocument.slug), col(SourceDocument.text)).order_by(
                col(SourceDocument.slug)
            )
        ):
            for _ in range(50):
                start = rng.randrange(0, max(1, len(text) - QUOTE_LENGTH))
                end = min(len(text), start + QUOTE_LENGTH)
                if text[start:end].strip():
                    passages.append(Passage(slug, start, end, text[start:end]))
        if not states or not organizations or not passages:
            raise SystemExit("the database holds no seed: run `almaty seed load` first")
        return cls(states, organizations, passages)


def _synthetic(world: World, rng: random.Random, slug: str, rows: Rows) -> None:
    """One event in the shape of the real ones, with its participations, claims and citations."""
    start = date(1990, 1, 1) + timedelta(days=rng.randrange(41 * 365))
    end = start + timedelta(days=rng.choice((0, 0, 1, 2, 4)))
    country = rng.choice(world.states)
    topic = rng.choice(TOPICS)
    summary = " ".join(rng.sample(SENTENCES, 2))
    fields: dict[str, Any] = {
        "kind": rng.choice(list(EventKind)),
        "status": EventStatus.held if start < date(2026, 1, 1) else EventStatus.planned,
        "city": CITIES.get(country, "Almaty"),
        "country_code": country,
        "summary": f"{topic}: {summary}",
        "process_relation": rng.choice(list(EventProcessRelation)),
    }
    if rng.random() < 0.1:  # events the documents only refer to
        fields.update(process_slug=None, process_relation=None)
    rows.events.append(event_row(slug, f"{rng.choice(FORMATS)} {topic}", start, end, **fields))
    passage = rng.choice(world.passages)
    cite(rows, SubjectType.event, slug, passage)
    claim(rows, SubjectType.event, slug, "start_date", start.isoformat(), passage)
    claim(rows, SubjectType.event, slug, "city", fields["city"], rng.choice(world.passages))
    if rng.random() < 0.3:
        rows.themes.append(
            {"event_slug": slug, "position": 1, "title": rng.choice(TOPICS), "summary": summary}
        )
    roles = (ParticipationRole.organizer, ParticipationRole.participant, ParticipationRole.funder)
    states = rng.sample(world.states, rng.randint(1, 3))
    organizations = rng.sample(world.organizations, rng.randint(1, 2))
    for index, actor in enumerate(states + organizations):
        role = roles[0] if index == 0 else rng.choice(roles[1:])
        is_state = actor in states
        row = participation_row(
            slug, role, state=actor if is_state else None, org=None if is_state else actor
        )
        rows.participations.append(row)
        passage = rng.choice(world.passages)
        cite(rows, SubjectType.participation, row["id"], passage)
        claim(rows, SubjectType.participation, row["id"], "role", str(role), passage)


def _batches(world: World, rng: random.Random, slugs: list[str]) -> Iterator[Rows]:
    for first in range(0, len(slugs), BATCH):
        rows = Rows()
        for slug in slugs[first : first + BATCH]:
            _synthetic(world, rng, slug, rows)
        yield rows


def record_version(connection: sa.Connection, what: str, added: int) -> str:
    """A new data version after the current one, as a seed load records it."""
    current = connection.scalar(
        sa.select(col(DataVersion.version)).order_by(col(DataVersion.id).desc()).limit(1)
    )
    version = hashlib.sha256(f"{current}|{what}".encode()).hexdigest()
    connection.execute(
        sa.insert(DataVersion),
        {
            "version": version,
            "loaded_at": datetime.now(UTC),
            "added": added,
            "changed": 0,
            "removed": 0,
        },
    )
    return version


def add_events(engine: sa.Engine, count: int, *, seed: int = 0) -> None:
    """Add `count` synthetic events (with their children and evidence) in one transaction, index
    them for search, and record a new data version."""
    rng = random.Random(seed)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Every key comes from rows just read or just written: checking each of a million
            # references one by one was a third of the load (settable outside transactions only).
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                _add(connection, rng, count, seed)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
    # Fresh statistics, so that the planners see 100,000 rows, not the seed's tens. The tables
    # of the data only: a bare ANALYZE also takes the catalogs every database shares, and then
    # waits for (or times out on) another database being created or analysed meanwhile.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        _analyze(connection)


def _analyze(connection: sa.Connection) -> None:
    """Statistics of the data's tables (SQLite's ANALYZE takes one name, or none: the file)."""
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql("ANALYZE")
        return
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    connection.exec_driver_sql(f"ANALYZE {tables}")


def _add(connection: sa.Connection, rng: random.Random, count: int, seed: int) -> None:
    if connection.dialect.name == "postgresql":
        # A bulk load is not a request: the service's statement timeout does not apply to it.
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    world = World.read(connection, rng)
    prefix = f"synthetic-{seed}-"
    # A second run with the same seed continues the numbering instead of colliding.
    already = (
        connection.scalar(sa.select(sa.func.count()).where(col(Event.slug).startswith(prefix))) or 0
    )
    slugs = [f"{prefix}{number:06d}" for number in range(already, already + count)]
    added = 0
    for rows in _batches(world, rng, slugs):
        rows.write(connection)
        added += sum(len(r) for r in vars(rows).values())
    # Statistics first: the index reads each event's themes and aliases by key, which the
    # planner, still believing in the seed's few rows, would otherwise read by scanning.
    _analyze(connection)
    index_events(connection, col(Event.slug).startswith(prefix))
    record_version(connection, f"generated:{seed}:{already}:{count}", added)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    engine = create_db_engine(arguments.database_url)
    began = time.perf_counter()
    add_events(engine, arguments.events, seed=arguments.seed)
    print(f"{arguments.events} events added in {time.perf_counter() - began:.1f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
