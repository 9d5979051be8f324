"""The kinds of record the service serves on their own, each declared once.

What every kind must appear in reads this registry: search (its name and text fields), the
changes feed (the link to a changed record), the landing page (a link to each collection),
GraphQL's loaders (the batch read of records by key) and its cost bounds (the longest root list).
A new kind of record is a module of its own (its table, its reads, its routes, its GraphQL type)
plus one `Entity` here; README.md, "Adding a kind of record", traces the rest.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, SQLModel, col

from app.models import Document, Event, Organization, Person, Process, Project, SourceDocument
from app.models import State as StateTable
from app.models.base import CitedTable
from app.models.enums import EntityType, SubjectType
from app.queries import batches, people

RowsReader = Callable[[Session, Sequence[str]], Mapping[str, Any]]


@dataclass(frozen=True)
class Searched:
    """How search finds a kind: the field that titles a hit, short names that rank like it, and
    longer text ranked below."""

    title: Any
    names: tuple[Any, ...] = ()
    texts: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Entity:
    """One kind of record and everything the service says of it."""

    table: type[SQLModel]
    # Its natural key (a slug, or a state's ISO code).
    key: Any
    # Its collection: `/api/v1/{plural}` and GraphQL's root list (and its loader's name).
    plural: str
    # What the collection holds, for a person reading the landing page.
    description: str
    # Found by /search (and the hit's `type`), when set.
    searched: Searched | None = None
    search_type: EntityType | None = None
    # Served at /api/v1/{plural}/{key}: a change or a hit links there.
    rest: bool = True
    # GraphQL's batch read of records by key (one query for many keys), when it has one.
    rows: RowsReader | None = None
    # The most records a root list of this kind returns: the cost limit counts on it.
    list_bound: int | None = None

    @property
    def name(self) -> str:
        """The table's name, as the changes feed names a record's kind."""
        name: str = self.table.__tablename__  # type: ignore[assignment]
        return name

    @property
    def subject(self) -> SubjectType | None:
        """What its citations, claims and aliases are filed under."""
        return self.table.cited_as if issubclass(self.table, CitedTable) else None

    def url(self, key: str) -> str | None:
        """The record's path in the REST API, when it has one."""
        return f"/api/v1/{self.plural}/{key}" if self.rest else None


ENTITIES: tuple[Entity, ...] = (
    Entity(
        table=StateTable,
        key=col(StateTable.code),
        plural="states",
        description="States, members and observers, and the events each took part in",
        searched=Searched(col(StateTable.name), names=(col(StateTable.official_name),)),
        search_type=EntityType.state,
        rows=batches.state_rows,
        # States are keyed by ISO 3166-1 alpha-3 code, of which there are 249 [15 in the seed].
        list_bound=250,
    ),
    Entity(
        table=Organization,
        key=col(Organization.slug),
        plural="organizations",
        description="Organisations, and their events by role",
        searched=Searched(col(Organization.name), names=(col(Organization.acronym),)),
        search_type=EntityType.organization,
        rows=batches.organization_rows,
    ),
    Entity(
        table=Person,
        key=col(Person.slug),
        plural="people",
        description="People the documents name, with their positions",
        searched=Searched(col(Person.name), texts=(col(Person.position),)),
        search_type=EntityType.person,
        rows=people.person_rows,
    ),
    Entity(
        table=Event,
        key=col(Event.slug),
        plural="events",
        description="Events (also as /api/v1/events.ics and .csv)",
        searched=Searched(col(Event.title), texts=(col(Event.summary),)),
        search_type=EntityType.event,
        rows=batches.event_rows,
    ),
    Entity(
        table=Document,
        key=col(Document.slug),
        plural="documents",
        description="Declarations, frameworks, reports: where each was adopted or presented",
        searched=Searched(
            col(Document.title), names=(col(Document.acronym),), texts=(col(Document.description),)
        ),
        search_type=EntityType.document,
        rows=batches.document_rows,
        list_bound=100,  # [12]
    ),
    Entity(
        table=Process,
        key=col(Process.slug),
        plural="processes",
        description="The Almaty Process and the other consultative processes the documents name",
        searched=Searched(
            col(Process.name), names=(col(Process.acronym),), texts=(col(Process.description),)
        ),
        search_type=EntityType.process,
        rows=batches.process_rows,
        list_bound=20,  # [5]
    ),
    Entity(
        table=Project,
        key=col(Project.slug),
        plural="projects",
        description="Projects that events belong to",
        searched=Searched(col(Project.title), texts=(col(Project.description),)),
        search_type=EntityType.project,
        rest=False,
    ),
    Entity(
        table=SourceDocument,
        key=col(SourceDocument.slug),
        plural="sources",
        description="The source documents, their text and coverage",
        list_bound=50,  # [1]
    ),
)

BY_NAME: dict[str, Entity] = {entity.name: entity for entity in ENTITIES}
BY_PLURAL: dict[str, Entity] = {entity.plural: entity for entity in ENTITIES}
