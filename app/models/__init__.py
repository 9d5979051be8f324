"""All tables, imported here so that the metadata knows every one of them."""

from app.models.base import metadata
from app.models.documents import CommonUnderstandingArea, Document, DocumentRelation
from app.models.events import (
    Event,
    EventRelation,
    EventTheme,
    Outcome,
    Participation,
    Project,
    ProjectFunder,
)
from app.models.geo import State
from app.models.organizations import Organization, Person
from app.models.processes import KeyArea, Objective, Process, ProcessActor
from app.models.sources import ChangeRecord, Citation, Claim, DataVersion, SourceDocument

__all__ = [
    "ChangeRecord",
    "Citation",
    "Claim",
    "CommonUnderstandingArea",
    "DataVersion",
    "Document",
    "DocumentRelation",
    "Event",
    "EventRelation",
    "EventTheme",
    "KeyArea",
    "Objective",
    "Organization",
    "Outcome",
    "Participation",
    "Person",
    "Process",
    "ProcessActor",
    "Project",
    "ProjectFunder",
    "SourceDocument",
    "State",
    "metadata",
]
