"""Which fields of each seed record are claims, and how a passage is checked to state a value.

Each record type declares its claimed fields once (`FIELDS`); the builder turns every value into
a claim whose citations are the record's passages that state it, or refuses the value.
"""

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from app.models.enums import (
    DocumentKind,
    DocumentRelationKind,
    DocumentStatus,
    EventKind,
    EventProcessRelation,
    EventRelationKind,
    EventStatus,
    OrganizationKind,
    OutcomeRelation,
    ParticipationRole,
    ProcessRole,
)
from app.passages.text import normalize
from app.seed import statements
from app.seed.schema import (
    ActorRef,
    Claimed,
    DocumentRelationSpec,
    DocumentSpec,
    EventRelationSpec,
    EventSpec,
    OrganizationSpec,
    OutcomeSpec,
    PartialDate,
    ParticipantCountSpec,
    ParticipantSpec,
    PersonSpec,
    ProcessActorSpec,
    ProcessSpec,
    ProjectSpec,
    StateSpec,
    parse_partial_date,
)

# The names a passage may use for each thing a value can point at, by kind and key.
Names = Mapping[str, Mapping[str, tuple[str, ...]]]


@dataclass(frozen=True)
class Check:
    """How a passage states a value of one kind, and how a value of that kind is read."""

    states: Callable[[str, Any, Claimed, Names], bool]
    parse: Callable[[Any], Any] = lambda raw: _words(raw)
    refers_to: str | None = None  # the kind of record a value names: it must exist


def _words(raw: Any) -> str:
    """A text value: a string with something in it besides white space."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"{raw!r} is not a text with words in it")
    return raw.strip()


def _fold(text: str) -> str:
    return normalize(text).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')


def _verbatim(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    """Free text: the passage contains it word for word (case and line breaks aside), as whole
    words: "M" is not stated by "Meeting"."""
    words = re.escape(_fold(value).casefold())
    return re.search(rf"(?<!\w){words}(?!\w)", _fold(passage).casefold()) is not None


def _name(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_name(passage, [value])


def _refers(kind: str) -> Callable[[str, Any, Claimed, Names], bool]:
    """A reference to a state, organisation, process...: the passage names it some known way."""

    def states(passage: str, value: Any, record: Claimed, names: Names) -> bool:
        return statements.states_name(passage, names[kind].get(value, ()))

    return states


def own_names(record: Claimed) -> tuple[str, ...]:
    """The names a passage may use for the record itself."""
    if isinstance(record, EventSpec):
        return (record.title, *record.aliases)
    if isinstance(record, DocumentSpec):
        # "a new law on the inclusion of NGOs ...": a title may open with a capital it loses in a
        # sentence.
        title = record.title
        return tuple(
            name
            for name in (title, title[:1].lower() + title[1:], record.acronym, *record.aliases)
            if name
        )
    if isinstance(record, OrganizationSpec):
        return tuple(name for name in (record.name, record.acronym, *record.aliases) if name)
    raise TypeError(f"{type(record).__name__} has no names of its own")


def _term(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_term(passage, value)


def _status(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    """A status: a passage naming the record uses the words of this status and of no other."""
    # "The participants of the regional event ... ahead of the World Humanitarian Summit (WHS) to
    # be held in Istanbul" speaks of a held event and of a planned one: it states neither status.
    # And "the upcoming World Humanitarian Summit", cited for the forum, says nothing of the forum.
    return statements.terms_in(passage, type(value)) == {value} and statements.states_name(
        passage, own_names(record)
    )


def _kind(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    """A kind: the passage writes one of the record's names with the kind's word by it."""
    # A kind's word elsewhere in the passage may name another thing: the forum's passages speak
    # of the World Humanitarian Summit.
    return statements.states_term_next_to(passage, value, own_names(record))


def _date(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_date(passage, value)


def _start(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_start(passage, value)


def _end(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_end(passage, value)


def _dated(verb: str) -> Callable[[str, Any, Claimed, Names], bool]:
    """A date of something done: the passage writes it right after the verb saying it was done."""

    def states(passage: str, value: Any, record: Claimed, names: Names) -> bool:
        return statements.states_date_after(passage, value, verb=verb)

    return states


def _host_country(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    """An event's country: the passage writes its city next to the state, "Almaty, Kazakhstan"."""
    state = names["state"].get(value, ())
    city = record.city if isinstance(record, EventSpec) else None
    if city is None:
        return statements.states_name(passage, state)
    return statements.states_place(passage, city, state)


def _city(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    return statements.states_city(passage, value)


def _belongs_to(kind: str) -> Callable[[str, Any, Claimed, Names], bool]:
    """An organisation's parent or state: the passage names it close to the organisation."""

    def states(passage: str, value: Any, record: Claimed, names: Names) -> bool:
        return statements.states_near(passage, own_names(record), names[kind].get(value, ()))

    return states


def _count(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    count: ParticipantCountSpec = value
    return statements.states_count(
        passage, value=count.value, qualifier=count.qualifier, counts=count.counts
    )


def _counterpart(record: Claimed) -> tuple[str, str]:
    """The kind and key of what a relation links its subject to."""
    if isinstance(record, ActorRef | ParticipantSpec):
        if record.state is not None:
            return "state", record.state
        if isinstance(record, ParticipantSpec) and record.person is not None:
            return "person", record.person
        return "organization", record.organization or ""
    if isinstance(record, EventRelationSpec):
        return "event", record.event
    if isinstance(record, OutcomeSpec | DocumentRelationSpec):
        return "document", record.document
    raise TypeError(f"{type(record).__name__} is not a relation")


def _role(passage: str, value: Any, record: Claimed, names: Names) -> bool:
    """A relation's role: one passage both uses the role's words and names the other party."""
    kind, key = _counterpart(record)
    return statements.states_term(passage, value) and statements.states_name(
        passage, names[kind].get(key, ())
    )


TEXT = Check(_verbatim)
NAME = Check(_name)
DATE = Check(_date, parse_partial_date)
START = Check(_start, parse_partial_date)
END = Check(_end, parse_partial_date)
COUNT = Check(_count, ParticipantCountSpec.model_validate)
ROLE = Check(_role)
HOST_COUNTRY = Check(_host_country, refers_to="state")
CITY = Check(_city)


def _vocabulary(enum: type[StrEnum], states: Callable[..., bool] = _term) -> Check:
    return Check(states, enum)


def _reference(kind: str) -> Check:
    return Check(_refers(kind), refers_to=kind)


def _belonging(kind: str) -> Check:
    return Check(_belongs_to(kind), refers_to=kind)


def _done_on(verb: str) -> Check:
    return Check(_dated(verb), parse_partial_date)


@dataclass(frozen=True)
class Field:
    """A claimed field: its name in the API, where the seed keeps it, how it is checked."""

    name: str
    check: Check
    attr: str | None = None  # the seed attribute, when it is named otherwise than the field
    many: bool = False  # a list: each item is a claim of its own
    constant: Any = None  # the value every record of the type has (a project funder's role)
    # Where the value comes from when the seed leaves it out: a one-day event ends as it starts.
    fallback: str | None = None

    def values(self, record: Claimed) -> list[Any]:
        if self.constant is not None:
            return [self.constant]
        value = getattr(record, self.attr or self.name)
        if value is None and self.fallback is not None:
            value = getattr(record, self.fallback)
        if self.many:
            return list(value)
        return [] if value is None else [value]


FIELDS: dict[type[Claimed], tuple[Field, ...]] = {
    EventSpec: (
        Field("title", TEXT),
        Field("aliases", TEXT, many=True),
        Field("kind", _vocabulary(EventKind, _kind)),
        Field("status", _vocabulary(EventStatus, _status)),
        Field("start_date", START, attr="start"),
        Field("end_date", END, attr="end", fallback="start"),
        Field("city", CITY),
        Field("country", HOST_COUNTRY),
        Field("participant_count", COUNT),
        Field("process", _reference("process")),
        Field("process_relation", _vocabulary(EventProcessRelation)),
    ),
    DocumentSpec: (
        Field("title", TEXT),
        Field("acronym", NAME),
        Field("aliases", TEXT, many=True),
        Field("kind", _vocabulary(DocumentKind, _kind)),
        Field("status", _vocabulary(DocumentStatus, _status)),
        Field("date", DATE),
        Field("author", _belonging("organization")),
        Field("process", _reference("process")),
    ),
    OrganizationSpec: (
        Field("name", NAME),
        Field("acronym", NAME),
        Field("aliases", NAME, many=True),
        Field("kind", _vocabulary(OrganizationKind)),
        Field("country", _belonging("state")),
        Field("parent", _belonging("organization")),
    ),
    PersonSpec: (
        Field("name", NAME),
        Field("position", TEXT),
        Field("organization", _reference("organization")),
    ),
    StateSpec: (
        Field("name", NAME),
        Field("official_name", NAME),
        Field("aliases", NAME, many=True),
        Field("adjectives", NAME, many=True),
    ),
    ProcessSpec: (
        Field("name", NAME),
        Field("acronym", NAME),
        Field("aliases", NAME, many=True),
        Field("initiated_on", _done_on("initiated"), attr="initiated"),
        Field("launched_on", _done_on("launched"), attr="launched"),
        Field("secretariat_function", TEXT),
    ),
    ProjectSpec: (Field("title", TEXT),),
    ParticipantSpec: (Field("role", _vocabulary(ParticipationRole, _role)),),
    ProcessActorSpec: (Field("role", _vocabulary(ProcessRole, _role)),),
    # A project's funders are listed as such: their role is the same for all of them.
    ActorRef: (Field("role", ROLE, constant=ParticipationRole.funder),),
    OutcomeSpec: (Field("relation", _vocabulary(OutcomeRelation, _role)),),
    DocumentRelationSpec: (Field("relation", _vocabulary(DocumentRelationKind, _role)),),
    EventRelationSpec: (Field("relation", _vocabulary(EventRelationKind, _role)),),
}


def fields_of(record: Claimed) -> tuple[Field, ...]:
    """The claimed fields of a record, by its most specific declared type."""
    for kind in type(record).__mro__:
        if kind in FIELDS:
            return FIELDS[kind]
    raise TypeError(f"{type(record).__name__} declares no claimed fields")


def as_json(value: Any) -> str:
    """A claim's value as stored and served: JSON, a date at its precision, a count as an object."""
    if isinstance(value, PartialDate):
        value = str(value)
    elif isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def shown(value: Any) -> str:
    """A value as an error message quotes it."""
    if isinstance(value, ParticipantCountSpec):
        words = [value.qualifier.replace("_", " "), str(value.value), value.counts or ""]
        return " ".join(word for word in words if word and word != "exact")
    return str(value)


def names_of(
    **kinds: Iterable[tuple[str, Iterable[str | None]]],
) -> dict[str, dict[str, tuple[str, ...]]]:
    """The names index: for each kind, each key with the names given for it (blanks dropped)."""
    return {
        kind: {key: tuple(name for name in given if name) for key, given in entries}
        for kind, entries in kinds.items()
    }
