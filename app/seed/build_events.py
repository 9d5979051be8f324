"""The rows of projects, events, their participants, outcomes, themes and links."""

from app.models import (
    Document,
    Event,
    EventRelation,
    EventTheme,
    Outcome,
    Participation,
    Process,
    Project,
    ProjectFunder,
    State,
)
from app.seed.builder import Builder, Record


def build_projects(builder: Builder) -> None:
    if builder.files.projects is None:
        return
    label, default = builder.files.labels["projects.yaml"], builder.files.projects.source
    for spec in builder.files.projects.projects:
        where = Record(label, f"project '{spec.slug}'")
        project = Project(slug=spec.slug, title=spec.title, description=spec.description)
        builder.add(where, project, "project")
        builder.cite(
            where,
            spec,
            default,
            project,
            verbatim=[("description", spec.description)],
            reasons=builder.files.projects.interpreted,
        )
        for index, funder in enumerate(spec.funders):
            path = f"funders[{index}]"
            key = f"{spec.slug}/{builder.actor(where, funder, path)}"
            row = ProjectFunder(
                id=key,
                project_slug=spec.slug,
                state_code=funder.state,
                organization_slug=funder.organization,
            )
            builder.add(where, row, "funder")
            builder.cite(where, funder, default, row, f"{path}.sources")


def build_events(builder: Builder) -> None:
    if builder.files.events is None:
        return
    label, default = builder.files.labels["events.yaml"], builder.files.events.source
    reasons = builder.files.events.interpreted
    for spec in builder.files.events.events:
        where = Record(label, f"event '{spec.slug}'")
        builder.require(where, State, spec.country, "country", "state")
        builder.require(where, Process, spec.process, "process", "process")
        builder.require(where, Project, spec.project, "project", "project")
        end = spec.end or spec.start
        count = spec.participant_count
        event = Event(
            slug=spec.slug,
            title=spec.title,
            kind=spec.kind,
            status=spec.status,
            start_date=spec.start.value,
            start_precision=spec.start.precision,
            # An event's end is stored as its last possible day, so that a date range
            # overlaps an event known only to the month, as the event filters expect.
            end_date=end.last_day,
            end_precision=end.precision,
            city=spec.city,
            country_code=spec.country,
            summary=spec.summary,
            attendance=spec.attendance,
            process_slug=spec.process,
            process_relation=spec.process_relation,
            project_slug=spec.project,
            participant_count=count.value if count else None,
            participant_count_qualifier=count.qualifier if count else None,
            participant_count_counts=count.counts if count else None,
        )
        builder.add(where, event, "event")
        builder.cite(
            where,
            spec,
            default,
            event,
            verbatim=[("summary", spec.summary), ("attendance", spec.attendance)],
            reasons=reasons,
        )
        for position, theme in enumerate(spec.themes, start=1):
            path = f"themes[{position - 1}]"
            row = EventTheme(
                event_slug=spec.slug,
                position=position,
                title=theme.title,
                summary=theme.summary,
            )
            builder.add(where, row, "theme")
            builder.cite(
                where,
                theme,
                default,
                row,
                f"{path}.sources",
                verbatim=[("title", theme.title), ("summary", theme.summary)],
            )
        for index, participant in enumerate(spec.participants):
            path = f"participants[{index}]"
            key = f"{spec.slug}/{participant.role}/{builder.actor(where, participant, path)}"
            participation = Participation(
                id=key,
                event_slug=spec.slug,
                role=participant.role,
                state_code=participant.state,
                organization_slug=participant.organization,
                person_slug=participant.person,
            )
            builder.add(where, participation, "participant")
            builder.cite(where, participant, default, participation, f"{path}.sources")
        for index, outcome in enumerate(spec.outcomes):
            path = f"outcomes[{index}]"
            builder.require(where, Document, outcome.document, f"{path}.document", "document")
            result = Outcome(
                event_slug=spec.slug, relation=outcome.relation, document_slug=outcome.document
            )
            builder.add(where, result, "outcome")
            builder.cite(where, outcome, default, result, f"{path}.sources")


def build_event_relations(builder: Builder) -> None:
    """After every event: a relation may point at an event listed later."""
    if builder.files.events is None:
        return
    label, default = builder.files.labels["events.yaml"], builder.files.events.source
    for spec in builder.files.events.events:
        where = Record(label, f"event '{spec.slug}'")
        for index, relation in enumerate(spec.relations):
            path = f"relations[{index}]"
            builder.require(where, Event, relation.event, f"{path}.event", "event")
            link = EventRelation(
                subject_slug=spec.slug, relation=relation.relation, object_slug=relation.event
            )
            builder.add(where, link, "relation")
            builder.cite(where, relation, default, link, f"{path}.sources")
