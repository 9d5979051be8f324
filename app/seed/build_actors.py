"""The rows of the source documents, states, organisations and people."""

import hashlib

from app.models import (
    Organization,
    Person,
    SourceDocument,
    State,
)
from app.passages.text import SourceText
from app.seed.builder import Builder, Record, date_of
from app.seed.errors import SeedError


def build_sources(builder: Builder) -> None:
    label = builder.files.labels["sources.yaml"]
    for spec in builder.files.sources.sources:
        where = Record(label, f"source '{spec.slug}'")
        path = builder.seed_dir / spec.path
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SeedError(
                label, f"cannot read {path}: {error}", record=where.label, field="path"
            ) from None
        described = date_of(spec.describes)
        builder.add(
            where,
            SourceDocument(
                slug=spec.slug,
                title=spec.title,
                kind=spec.kind,
                language=spec.language,
                path=spec.path,
                sha256=hashlib.sha256(raw).hexdigest(),
                describes_date=described["date"],
                describes_precision=described["precision"],
                text=text,
            ),
            "source",
        )
        builder.texts[spec.slug] = SourceText(text)


def build_states(builder: Builder) -> None:
    if builder.files.states is None:
        return
    label, default = builder.files.labels["states.yaml"], builder.files.states.source
    alpha2: set[str] = set()
    for spec in builder.files.states.states:
        where = Record(label, f"state '{spec.code}'")
        if spec.alpha2 in alpha2:
            raise SeedError(
                label,
                f"alpha2 {spec.alpha2!r} is given twice",
                record=where.label,
                field="alpha2",
            )
        alpha2.add(spec.alpha2)
        state = State(
            code=spec.code, alpha2=spec.alpha2, name=spec.name, official_name=spec.official_name
        )
        builder.add(where, state, "state")
        builder.cite(where, spec, default, state, reasons=builder.files.states.interpreted)


def build_organizations(builder: Builder) -> None:
    if builder.files.organizations is None:
        return
    label = builder.files.labels["organizations.yaml"]
    default = builder.files.organizations.source
    reasons = builder.files.organizations.interpreted
    specs = builder.files.organizations.organizations
    for spec in specs:
        where = Record(label, f"organization '{spec.slug}'")
        organization = Organization(
            slug=spec.slug,
            name=spec.name,
            acronym=spec.acronym,
            kind=spec.kind,
            country_code=spec.country,
            parent_slug=spec.parent,
        )
        builder.add(where, organization, "organization")
        builder.cite(where, spec, default, organization, reasons=reasons)
    parents = {spec.slug: spec.parent for spec in specs}
    for spec in specs:
        where = Record(label, f"organization '{spec.slug}'")
        builder.require(where, State, spec.country, "country", "state")
        builder.require(where, Organization, spec.parent, "parent", "organization")
        seen, at = {spec.slug}, spec.parent
        while at is not None:
            if at in seen:
                raise SeedError(label, "parents form a cycle", record=where.label, field="parent")
            seen.add(at)
            at = parents.get(at)
    for person in builder.files.organizations.people:
        where = Record(label, f"person '{person.slug}'")
        builder.require(where, Organization, person.organization, "organization", "organization")
        row = Person(
            slug=person.slug,
            name=person.name,
            position=person.position,
            organization_slug=person.organization,
        )
        builder.add(where, row, "person")
        builder.cite(where, person, default, row)
