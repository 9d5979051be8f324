"""Loading is one transaction, idempotent, and changes exactly what the files changed."""

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.models import ChangeRecord, Citation, DataVersion, Event, Participation, State
from app.seed.build import build_seed
from app.seed.loader import load_seed
from tests.conftest import SEED_DIR
from tests.seed_edits import Data, edit_yaml, record
from tests.snapshots import snapshot


def test_first_load_writes_every_row_and_records_the_version(empty_engine: sa.Engine) -> None:
    bundle = build_seed(SEED_DIR)

    report = load_seed(empty_engine, SEED_DIR)

    for model, rows in bundle.rows.items():
        assert report.added[str(model.__tablename__)] == len(rows)
    with Session(empty_engine) as session:
        versions = session.exec(select(DataVersion)).all()
        assert [v.version for v in versions] == [bundle.version]
        assert versions[0].added == sum(len(rows) for rows in bundle.rows.values())
        assert session.exec(select(sa.func.count()).select_from(Citation)).one() == len(
            bundle.rows[Citation]
        )


def test_loading_twice_leaves_the_same_database(seeded_engine: sa.Engine) -> None:
    before = snapshot(seeded_engine)

    report = load_seed(seeded_engine, SEED_DIR)

    assert report.unchanged
    assert snapshot(seeded_engine) == before


def test_a_changed_file_updates_adds_and_removes_exactly_what_changed(
    seeded_engine: sa.Engine, seed_copy: Path
) -> None:
    before = snapshot(seeded_engine)
    with Session(seeded_engine) as session:
        dropped = session.exec(
            select(Participation).where(Participation.event_slug == "second-som-2015")
        ).first()
        assert dropped is not None

    def retitle_and_drop_participant(data: Data) -> None:
        event = record(data, "events", "second-som-2015")
        event["title"] = "Second Senior Officials Meeting"
        dropped_fields = (
            dropped.role,
            dropped.state_code,
            dropped.organization_slug,
            dropped.person_slug,
        )
        event["participants"] = [
            p
            for p in event["participants"]
            if (p["role"], p.get("state"), p.get("organization"), p.get("person")) != dropped_fields
        ]

    def add_a_state(data: Data) -> None:
        data["states"].append(
            {
                "code": "ZZZ",
                "alpha2": "ZZ",
                "name": "Testland",
                "sources": ["The current chair is the Republic of Kazakhstan."],
                "interpreted": {"name": "a test's invention"},
            }
        )

    edit_yaml(seed_copy, "events.yaml", retitle_and_drop_participant)
    edit_yaml(seed_copy, "states.yaml", add_a_state)

    report = load_seed(seeded_engine, seed_copy)

    # The old title and the dropped participant's role were claims: they go with their citations.
    dropped_claims = [
        c[0]
        for c in before["claim"]
        if c[2] == dropped.id or (c[2] == "second-som-2015" and c[3] == "title")
    ]
    assert len(dropped_claims) == 2
    dropped_citations = [c for c in before["citation"] if c[2] in {dropped.id, *dropped_claims}]
    assert {k: v for k, v in report.changed.items() if v} == {"event": 1}
    # The new state, its name (a claim) and the new title (a claim), each with one citation.
    assert {k: v for k, v in report.added.items() if v} == {"state": 1, "claim": 2, "citation": 3}
    assert {k: v for k, v in report.removed.items() if v} == {
        "participation": 1,
        "claim": 2,
        "citation": len(dropped_citations),
    }
    after = snapshot(seeded_engine)
    # Every row the edit did not touch keeps its key and its values.
    for table in ("organization", "document", "process", "outcome", "event_theme"):
        assert after[table] == before[table]
    assert set(before["citation"]) - set(after["citation"]) == set(dropped_citations)
    with Session(seeded_engine) as session:
        latest = session.exec(select(DataVersion).order_by(col(DataVersion.id).desc())).first()
        assert latest is not None
        assert latest.version == build_seed(seed_copy).version
        changes = session.exec(
            select(ChangeRecord).where(ChangeRecord.data_version_id == latest.id)
        ).all()
        assert {(c.entity, c.key, c.action) for c in changes} >= {
            ("event", "second-som-2015", "changed"),
            ("state", "ZZZ", "added"),
            ("participation", dropped.id, "removed"),
        }
        assert len(changes) == 1 + (1 + 2 + 3) + (1 + 2 + len(dropped_citations))
        event = session.get(Event, "second-som-2015")
        assert event is not None
        assert event.title == "Second Senior Officials Meeting"
        assert session.get(State, "ZZZ") is not None

    # Loading the original folder again restores the original rows.
    load_seed(seeded_engine, SEED_DIR)
    restored = snapshot(seeded_engine)
    restored.pop("data_version"), before.pop("data_version")
    restored.pop("change_record"), before.pop("change_record")
    assert restored == before
