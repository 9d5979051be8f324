"""Controlled vocabularies shared by the tables, the seed schema and the APIs."""

from enum import StrEnum


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class SourceKind(StrEnum):
    presentation = "presentation"
    report = "report"
    web_page = "web_page"
    statement = "statement"


class ProcessKind(StrEnum):
    regional_consultative_process = "regional_consultative_process"


class ProcessRole(StrEnum):
    initiator = "initiator"
    chair = "chair"
    secretariat = "secretariat"
    member = "member"
    observer = "observer"


class OrganizationKind(StrEnum):
    intergovernmental = "intergovernmental"
    un_agency = "un_agency"
    un_body = "un_body"
    regional_organization = "regional_organization"
    government_body = "government_body"
    national_institution = "national_institution"
    donor = "donor"
    diplomatic_mission = "diplomatic_mission"
    private_sector = "private_sector"
    fund = "fund"
    office = "office"


class EventKind(StrEnum):
    ministerial_conference = "ministerial_conference"
    senior_officials_meeting = "senior_officials_meeting"
    national_coordinators_meeting = "national_coordinators_meeting"
    training = "training"
    forum = "forum"
    summit = "summit"
    meeting = "meeting"
    conference = "conference"


class EventStatus(StrEnum):
    """Whether the source reports the event as having taken place or announces it."""

    held = "held"
    planned = "planned"


class EventProcessRelation(StrEnum):
    """How an event belongs to its process: one of its key events, or an activity in support."""

    key_event = "key_event"
    supporting_activity = "supporting_activity"


class EventRelationKind(StrEnum):
    """How one event relates to another (subject RELATION object)."""

    prepares_for = "prepares_for"


class CountQualifier(StrEnum):
    exact = "exact"
    more_than = "more_than"
    approximate = "approximate"


class ParticipationRole(StrEnum):
    organizer = "organizer"
    co_organizer = "co_organizer"
    host = "host"
    convener = "convener"
    supporter = "supporter"
    funder = "funder"
    participant = "participant"
    member_state = "member_state"
    observer_state = "observer_state"
    guest_state = "guest_state"
    speaker = "speaker"
    presenter = "presenter"
    trainer = "trainer"


class DocumentKind(StrEnum):
    declaration = "declaration"
    framework = "framework"
    action_plan = "action_plan"
    communique = "communique"
    operating_modalities = "operating_modalities"
    report = "report"
    assessment = "assessment"
    operational_framework = "operational_framework"
    resolution = "resolution"
    law = "law"
    agenda = "agenda"


class DocumentStatus(StrEnum):
    """Where a document stands: adopted (or endorsed), published (issued or presented), planned."""

    adopted = "adopted"
    published = "published"
    planned = "planned"


class OutcomeRelation(StrEnum):
    """How a document relates to an event."""

    adopted_at = "adopted_at"
    endorsed_at = "endorsed_at"
    issued_at = "issued_at"
    presented_at = "presented_at"
    # The document's parts grew out of the event's discussions.
    emerged_from = "emerged_from"
    # The source lists the document under the event's heading and says no more.
    listed_under = "listed_under"


class DocumentRelationKind(StrEnum):
    """How one document relates to another (subject RELATION object)."""

    complements = "complements"
    endorses = "endorses"
    implements = "implements"


class SubjectType(StrEnum):
    """The kinds of record a citation can support."""

    process = "process"
    process_actor = "process_actor"
    objective = "objective"
    key_area = "key_area"
    state = "state"
    organization = "organization"
    person = "person"
    project = "project"
    project_funder = "project_funder"
    document = "document"
    document_relation = "document_relation"
    common_understanding_area = "common_understanding_area"
    event = "event"
    event_theme = "event_theme"
    participation = "participation"
    outcome = "outcome"
    event_relation = "event_relation"
    claim = "claim"


class ClaimRank(StrEnum):
    """Which of a field's claims the API shows (preferred), keeps (normal) or warns of."""

    preferred = "preferred"
    normal = "normal"
    deprecated = "deprecated"


class ClaimBasis(StrEnum):
    """stated: a cited passage writes the value; interpretation: the curators' reading of it."""

    stated = "stated"
    interpretation = "interpretation"


class PartKind(StrEnum):
    area_of_common_understanding = "area_of_common_understanding"
    objective = "objective"


class LinkDirection(StrEnum):
    """outgoing: this document RELATION the other; incoming: the other RELATION this one."""

    outgoing = "outgoing"
    incoming = "incoming"


class EntityType(StrEnum):
    state = "state"
    organization = "organization"
    person = "person"
    event = "event"
    document = "document"
    process = "process"
    project = "project"


class ChangeAction(StrEnum):
    added = "added"
    changed = "changed"
    removed = "removed"


class EventDimension(StrEnum):
    """What events can be counted by (`eventStats`, /api/v1/stats/events)."""

    year = "year"  # of the start date
    kind = "kind"
    status = "status"
    country = "country"  # the host
    city = "city"
    state = "state"  # a participating state
    organization = "organization"  # a participating organisation
    role = "role"  # the role of that participation
