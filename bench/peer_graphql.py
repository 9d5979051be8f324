"""A peer: the straightforward Strawberry app (parser and validation caches on) over the same data.

DATABASE_URL=sqlite:///seeded.sqlite3 uv run uvicorn bench.peer_graphql:app

Its query is shaped like this service's, so one request body drives both:
`events(first, filter: {year kind country status participant}) { nodes { ...scalars } }`.
"""

import os
from datetime import date

import sqlalchemy as sa
import strawberry
from fastapi import FastAPI
from sqlmodel import Session, col, create_engine, select
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.fastapi import GraphQLRouter

from app.models import Event as EventRow
from app.models import Participation

URL = os.environ["DATABASE_URL"]
engine = create_engine(
    URL, connect_args={"check_same_thread": False} if URL.startswith("sqlite") else {}
)


@strawberry.type
class Event:
    slug: str
    title: str
    kind: str
    start_date: date
    end_date: date
    city: str | None


@strawberry.type
class EventConnection:
    nodes: list[Event]


@strawberry.input
class EventFilter:
    year: int | None = None
    kind: str | None = None
    country: str | None = None
    status: str | None = None
    participant: str | None = None


def _conditions(where: EventFilter) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    if where.year is not None:
        first, last = date(where.year, 1, 1), date(where.year, 12, 31)
        conditions += [col(EventRow.start_date) <= last, col(EventRow.end_date) >= first]
    if where.kind is not None:
        conditions.append(col(EventRow.kind) == where.kind)
    if where.country is not None:
        conditions.append(col(EventRow.country_code) == where.country)
    if where.status is not None:
        conditions.append(col(EventRow.status) == where.status)
    if where.participant is not None:
        taking_part = select(Participation.event_slug).where(
            sa.or_(
                col(Participation.state_code) == where.participant,
                col(Participation.organization_slug) == where.participant,
            )
        )
        conditions.append(col(EventRow.slug).in_(taking_part))
    return conditions


@strawberry.type
class Query:
    @strawberry.field
    def events(self, first: int = 50, filter: EventFilter | None = None) -> EventConnection:
        statement = select(EventRow).order_by(col(EventRow.start_date)).limit(first)
        if filter is not None:
            statement = statement.where(*_conditions(filter))
        with Session(engine) as session:
            rows = session.exec(statement).all()
        return EventConnection(
            nodes=[
                Event(
                    slug=row.slug,
                    title=row.title,
                    kind=row.kind,
                    start_date=row.start_date,
                    end_date=row.end_date,
                    city=row.city,
                )
                for row in rows
            ]
        )


# Factories, as strawberry documents: the caches live at module level, shared by every request.
schema = strawberry.Schema(Query, extensions=[lambda: ParserCache(), lambda: ValidationCache()])
app = FastAPI()
app.include_router(GraphQLRouter(schema), prefix="/graphql")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
