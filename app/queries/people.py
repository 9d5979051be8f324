"""Reading the people the documents name."""

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.errors import NotFoundError
from app.models import Organization, Person
from app.queries.pagination import Keyset, Listing, PageParams, paginate
from app.queries.records import Evidence, load_evidence
from app.queries.refs import organization_ref
from app.schemas.pages import Page
from app.schemas.people import PersonDetail, PersonSummary

PERSON_KEYSET = Keyset("people", (col(Person.name), col(Person.slug)))
_Employer = aliased(Organization)


def _people() -> sa.Select[Person, Organization]:
    """People with the organisation each serves."""
    return sa.select(Person, _Employer).outerjoin(
        _Employer, col(Person.organization_slug) == _Employer.slug
    )


def person_rows(
    session: Session, slugs: Sequence[str]
) -> dict[str, tuple[Person, Organization | None]]:
    """People with their organisation, by slug: one query."""
    rows = session.execute(_people().where(col(Person.slug).in_(slugs)))
    return {person.slug: (person, employer) for person, employer in rows}


def _summary(person: Person, employer: Organization | None) -> PersonSummary:
    return PersonSummary(
        slug=person.slug,
        name=person.name,
        position=person.position,
        organization=organization_ref(employer),
    )


def list_people(session: Session, *, page: PageParams) -> Listing[PersonSummary]:
    """People by name."""
    window = paginate(session, _people(), PERSON_KEYSET, page)
    items = [_summary(row[0], row[1]) for row in window.rows]
    return Listing(
        page=Page[PersonSummary](items=items, total=window.total, next_cursor=window.next_cursor),
        keyset_name=PERSON_KEYSET.name,
        keys=window.keys,
    )


def _detail(person: Person, employer: Organization | None, evidence: Evidence) -> PersonDetail:
    return PersonDetail(
        slug=person.slug,
        name=person.name,
        position=person.position,
        organization=organization_ref(employer),
        **evidence.of(person),
        aliases=evidence.aliases(person),
    )


def get_person(session: Session, slug: str) -> PersonDetail:
    """One person with the passages and claims that state their name, position and body."""
    found = person_rows(session, [slug]).get(slug)
    if found is None:
        raise NotFoundError("person", slug)
    person, employer = found
    return _detail(person, employer, load_evidence(session, [person]))
