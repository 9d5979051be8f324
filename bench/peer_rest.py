"""A peer: the straightforward FastAPI + SQLModel app of the tutorials, over the same tables.

DATABASE_URL=sqlite:///seeded.sqlite3 uv run uvicorn bench.peer_rest:app
"""

import os
from datetime import date

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sqlmodel import Session, col, create_engine, select

from app.models import Event

URL = os.environ["DATABASE_URL"]
# FastAPI's tutorial setting: sync routes run in a thread pool, SQLite connections move threads.
engine = create_engine(
    URL, connect_args={"check_same_thread": False} if URL.startswith("sqlite") else {}
)
app = FastAPI()


class EventPublic(BaseModel):
    slug: str
    title: str
    kind: str
    status: str
    start_date: date
    end_date: date
    city: str | None
    country_code: str | None
    summary: str | None


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/events", response_model=list[EventPublic])
def list_events(limit: int = 50) -> list[Event]:
    with Session(engine) as session:
        return list(session.exec(select(Event).order_by(col(Event.start_date)).limit(limit)).all())


@app.get("/events/{slug}", response_model=EventPublic)
def read_event(slug: str) -> Event:
    with Session(engine) as session:
        event = session.get(Event, slug)
    if event is None:
        raise HTTPException(status_code=404, detail="Event not found")
    return event
