"""Every seed value is a claim: a value that no cited passage states is refused."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.models import Citation, Claim, Event
from app.models.enums import ClaimBasis, ClaimRank, SubjectType
from app.passages.text import normalize
from app.seed.build import SeedBundle, build_seed
from app.seed.claims import FIELDS
from app.seed.errors import SeedError
from app.seed.schema import EventSpec
from tests.conftest import SEED_DIR, Almaty
from tests.seed_edits import Data, edit_yaml, record

CONFERENCE = "first-regional-conference-2011"
FORUM = "regional-forum-emergency-preparedness-2015"
SUMMIT = "world-humanitarian-summit-2016"
PROJECT = "addressing-mixed-migration-flows-central-asia"
# Passages of the source that the 2011 conference already cites.
RANGE = "15 - 16 March 2011 \u2013 First Regional Ministerial Conference"
HELD_IN_MARCH = (
    "The first Regional Conference on Refugee Protection and International Migration was held in"
    " Almaty in March 2011"
)
NOT_STATED = "is not stated in any cited passage"

Edit = Callable[[Path], None]


def _setting(
    file: str,
    list_key: str,
    ident: str,
    key: str,
    value: Any,
    *,
    part: tuple[str, int] | None = None,
    id_field: str = "slug",
) -> Edit:
    """An edit giving one key of one record (or of one of its parts) another value."""

    def edit(folder: Path) -> None:
        def change(data: Data) -> None:
            target = record(data, list_key, ident, id_field)
            if part is not None:
                name, index = part
                target = target[name][index]
            assert target.get(key) not in (None, value), "the seed changed: update this edit"
            target[key] = value

        edit_yaml(folder, file, change)

    return edit


def _event(
    key: str, value: Any, *, slug: str = CONFERENCE, part: tuple[str, int] | None = None
) -> Edit:
    return _setting("events.yaml", "events", slug, key, value, part=part)


def _participant(index: int, key: str, value: str) -> Edit:
    return _event(key, value, part=("participants", index))


def _adding_alias(file: str, list_key: str, ident: str, alias: str, id_field: str = "slug") -> Edit:
    def edit(folder: Path) -> None:
        def change(data: Data) -> None:
            found = record(data, list_key, ident, id_field)
            found["aliases"] = [*found.get("aliases", []), alias]

        edit_yaml(folder, file, change)

    return edit


def _count(value: int, qualifier: str, counts: str) -> dict[str, Any]:
    return {"value": value, "qualifier": qualifier, "counts": counts}


# One value changed, every quote kept: the id, the file, the edit, and the message after the path.
MUTATIONS = [
    pytest.param(
        "events.yaml",
        _event("start", "2011-03-11"),
        f"event '{CONFERENCE}': start: value '2011-03-11' {NOT_STATED}",
        id="event start date",
    ),
    pytest.param(
        "events.yaml",
        _event("end", "2011-03-17"),
        f"event '{CONFERENCE}': end: value '2011-03-17' {NOT_STATED}",
        id="event end date",
    ),
    pytest.param(
        "documents.yaml",
        _setting("documents.yaml", "documents", "almaty-declaration", "date", "2011-04"),
        f"document 'almaty-declaration': date: value '2011-04' {NOT_STATED}",
        id="date known to the month",
    ),
    pytest.param(
        "processes.yaml",
        _setting("processes.yaml", "processes", "almaty-process", "initiated", "2012"),
        f"process 'almaty-process': initiated: value '2012' {NOT_STATED}",
        id="date known to the year",
    ),
    pytest.param(
        "events.yaml",
        _event("city", "Tashkent"),
        f"event '{CONFERENCE}': city: value 'Tashkent' {NOT_STATED}",
        id="event city",
    ),
    pytest.param(
        "events.yaml",
        _event("country", "UZB"),
        f"event '{CONFERENCE}': country: value 'UZB' {NOT_STATED}",
        id="event host country",
    ),
    pytest.param(
        "events.yaml",
        _event("participant_count", _count(999, "more_than", "participants")),
        f"event '{CONFERENCE}': participant_count: value 'more than 999 participants' {NOT_STATED}",
        id="participant count value",
    ),
    pytest.param(
        "events.yaml",
        _event("participant_count", _count(120, "exact", "participants")),
        f"event '{CONFERENCE}': participant_count: value '120 participants' {NOT_STATED}",
        id="participant count qualifier",
    ),
    pytest.param(
        "events.yaml",
        _event("participant_count", _count(40, "exact", "participants"), slug=FORUM),
        f"event '{FORUM}': participant_count: value '40 participants' {NOT_STATED}",
        id="what the participant count counts",
    ),
    pytest.param(
        "events.yaml",
        _event("kind", "summit"),
        f"event '{CONFERENCE}': kind: value 'summit' {NOT_STATED}",
        id="event kind",
    ),
    pytest.param(
        "events.yaml",
        _event("status", "planned"),
        f"event '{CONFERENCE}': status: value 'planned' {NOT_STATED}",
        id="held event said to be planned",
    ),
    pytest.param(
        "events.yaml",
        _event("process_relation", "supporting_activity"),
        f"event '{CONFERENCE}': process_relation: value 'supporting_activity' {NOT_STATED}",
        id="key event said to be a supporting activity",
    ),
    pytest.param(
        "events.yaml",
        _adding_alias("events.yaml", "events", CONFERENCE, "Almaty Conference 2011"),
        f"event '{CONFERENCE}': aliases: value 'Almaty Conference 2011' {NOT_STATED}",
        id="event alias not in the document",
    ),
    pytest.param(
        "events.yaml",
        _participant(6, "role", "organizer"),
        f"event '{CONFERENCE}': participants[6].role: value 'organizer' {NOT_STATED}",
        id="funder said to be an organiser",
    ),
    pytest.param(
        "events.yaml",
        _participant(2, "organization", "undp"),
        f"event '{CONFERENCE}': participants[2].role: value 'co_organizer' {NOT_STATED}",
        id="participant organisation swapped",
    ),
    pytest.param(
        "events.yaml",
        _participant(10, "state", "PAK"),
        f"event '{CONFERENCE}': participants[10].role: value 'participant' {NOT_STATED}",
        id="participant state swapped",
    ),
    pytest.param(
        "events.yaml",
        _event("relation", "endorsed_at", part=("outcomes", 0)),
        f"event '{CONFERENCE}': outcomes[0].relation: value 'endorsed_at' {NOT_STATED}",
        id="outcome relation",
    ),
    pytest.param(
        "events.yaml",
        _event("event", "ministerial-conference-2013", slug=FORUM, part=("relations", 0)),
        f"event '{FORUM}': relations[0].relation: value 'prepares_for' {NOT_STATED}",
        id="event relation to an event not named",
    ),
    pytest.param(
        "documents.yaml",
        _setting(
            "documents.yaml",
            "documents",
            "law-inclusion-of-ngos-in-policy-making",
            "status",
            "adopted",
        ),
        f"document 'law-inclusion-of-ngos-in-policy-making': status: value 'adopted' {NOT_STATED}",
        id="planned law said to be adopted",
    ),
    pytest.param(
        "documents.yaml",
        _setting("documents.yaml", "documents", "almaty-declaration", "kind", "framework"),
        f"document 'almaty-declaration': kind: value 'framework' {NOT_STATED}",
        id="document kind",
    ),
    pytest.param(
        "documents.yaml",
        _setting("documents.yaml", "documents", "communique", "date", "2013-06-06"),
        f"document 'communique': date: value '2013-06-06' {NOT_STATED}",
        id="document date",
    ),
    pytest.param(
        "documents.yaml",
        _setting(
            "documents.yaml",
            "documents",
            "regional-action-plan",
            "relation",
            "implements",
            part=("relations", 0),
        ),
        f"document 'regional-action-plan': relations[0].relation: value 'implements' {NOT_STATED}",
        id="document relation kind",
    ),
    pytest.param(
        "organizations.yaml",
        _setting("organizations.yaml", "organizations", "osce", "acronym", "OSZE"),
        f"organization 'osce': acronym: value 'OSZE' {NOT_STATED}",
        id="organisation acronym",
    ),
    pytest.param(
        "organizations.yaml",
        _setting("organizations.yaml", "organizations", "iom-development-fund", "parent", "unhcr"),
        f"organization 'iom-development-fund': parent: value 'unhcr' {NOT_STATED}",
        id="organisation parent",
    ),
    pytest.param(
        "organizations.yaml",
        _setting(
            "organizations.yaml",
            "organizations",
            "kaz-ministry-of-internal-affairs",
            "country",
            "KGZ",
        ),
        f"organization 'kaz-ministry-of-internal-affairs': country: value 'KGZ' {NOT_STATED}",
        id="organisation country",
    ),
    pytest.param(
        "states.yaml",
        _setting(
            "states.yaml", "states", "KAZ", "official_name", "Kazakh Republic", id_field="code"
        ),
        f"state 'KAZ': official_name: value 'Kazakh Republic' {NOT_STATED}",
        id="state official name",
    ),
    pytest.param(
        "states.yaml",
        _adding_alias("states.yaml", "states", "AFG", "Afghan State", id_field="code"),
        f"state 'AFG': aliases: value 'Afghan State' {NOT_STATED}",
        id="state alias not in the document",
    ),
    pytest.param(
        "projects.yaml",
        _setting("projects.yaml", "projects", PROJECT, "organization", "eu", part=("funders", 0)),
        f"project '{PROJECT}': funders[0].role: value 'funder' {NOT_STATED}",
        id="project funder swapped",
    ),
    pytest.param(
        "processes.yaml",
        _setting(
            "processes.yaml", "processes", "almaty-process", "role", "observer", part=("actors", 7)
        ),
        f"process 'almaty-process': actors[7].role: value 'observer' {NOT_STATED}",
        id="member said to be an observer",
    ),
    # Values a passage does write, but of something else than the field says.
    pytest.param(
        "events.yaml",
        _event("status", "held", slug=SUMMIT),
        f"event '{SUMMIT}': status: value 'held' {NOT_STATED}",
        id="status from a passage that also tells of a held event",
    ),
    pytest.param(
        "events.yaml",
        _event("status", "planned", slug=FORUM),
        f"event '{FORUM}': status: value 'planned' {NOT_STATED}",
        id="status from a passage about another event",
    ),
    pytest.param(
        "events.yaml",
        _event("kind", "summit", slug=FORUM),
        f"event '{FORUM}': kind: value 'summit' {NOT_STATED}",
        id="kind of another event the passages name",
    ),
    pytest.param(
        "events.yaml",
        _event("start", "2011-03-16"),
        f"event '{CONFERENCE}': start: value '2011-03-16' {NOT_STATED}",
        id="start date that is the range's last day",
    ),
    pytest.param(
        "events.yaml",
        _event("end", "2011-03-15"),
        f"event '{CONFERENCE}': end: value '2011-03-15' {NOT_STATED}",
        id="end date that is the range's first day",
    ),
    pytest.param(
        "processes.yaml",
        _setting("processes.yaml", "processes", "almaty-process", "initiated", "2013"),
        f"process 'almaty-process': initiated: value '2013' {NOT_STATED}",
        id="initiated on the date it was launched",
    ),
    pytest.param(
        "processes.yaml",
        _setting("processes.yaml", "processes", "almaty-process", "launched", "2011"),
        f"process 'almaty-process': launched: value '2011' {NOT_STATED}",
        id="launched on the date it was initiated",
    ),
    pytest.param(
        "events.yaml",
        _event("country", "KGZ"),
        f"event '{CONFERENCE}': country: value 'KGZ' {NOT_STATED}",
        id="host country that is a participant's",
    ),
    pytest.param(
        "organizations.yaml",
        _setting("organizations.yaml", "organizations", "prm", "parent", "eu"),
        f"organization 'prm': parent: value 'eu' {NOT_STATED}",
        id="parent listed beside the organisation",
    ),
    pytest.param(
        "organizations.yaml",
        _setting("organizations.yaml", "organizations", "dfid", "country", "USA"),
        f"organization 'dfid': country: value 'USA' {NOT_STATED}",
        id="country of another organisation in the passage",
    ),
    # "the Almaty Process" names the process, not a place where the meeting was.
    pytest.param(
        "events.yaml",
        _event("city", "Almaty", slug="second-som-2015"),
        f"event 'second-som-2015': city: value 'Almaty' {NOT_STATED}",
        id="event city named only inside another name",
    ),
    # The Eurasian Economic Union is named in the report's passage, not as its author.
    pytest.param(
        "documents.yaml",
        _setting(
            "documents.yaml",
            "documents",
            "mapping-irregular-migration-central-asia-2014",
            "author",
            "eurasian-economic-union",
        ),
        "document 'mapping-irregular-migration-central-asia-2014': author: value "
        f"'eurasian-economic-union' {NOT_STATED}",
        id="document author named elsewhere in the passage",
    ),
]


def test_the_project_seed_states_every_claim_it_makes() -> None:
    bundle = build_seed(SEED_DIR)

    claims = [row for row in bundle.rows[Claim] if isinstance(row, Claim)]
    cited = {
        row.subject_id
        for row in bundle.rows[Citation]
        if isinstance(row, Citation) and row.subject_type == SubjectType.claim
    }
    assert {claim.basis for claim in claims} == set(ClaimBasis)
    uncited = [c.id for c in claims if c.basis == ClaimBasis.stated and c.id not in cited]
    assert uncited == []
    unexplained = [c.id for c in claims if c.basis == ClaimBasis.interpretation and not c.note]
    assert unexplained == []


@pytest.mark.parametrize(("file", "mutate", "expected"), MUTATIONS)
def test_a_value_no_passage_states_is_refused(
    seed_copy: Path, file: str, mutate: Edit, expected: str
) -> None:
    mutate(seed_copy)

    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)

    assert str(raised.value) == f"{seed_copy / file}: {expected}"


def _claims(bundle: SeedBundle, field: str, slug: str = CONFERENCE) -> list[Claim]:
    """The claims on one field of one event."""
    return [
        row
        for row in bundle.rows[Claim]
        if isinstance(row, Claim)
        and (row.subject_type, row.subject_id, row.field) == (SubjectType.event, slug, field)
    ]


def _cited_under(bundle: SeedBundle, claim: Claim) -> list[Citation]:
    return [
        row
        for row in bundle.rows[Citation]
        if isinstance(row, Citation)
        and (row.subject_type, row.subject_id) == (SubjectType.claim, claim.id)
    ]


def _editing_conference(folder: Path, **changes: Any) -> None:
    edit_yaml(
        folder, "events.yaml", lambda data: record(data, "events", CONFERENCE).update(changes)
    )


def test_an_unstated_value_marked_as_interpreted_is_kept_as_the_curators_reading(
    seed_copy: Path,
) -> None:
    # Not the city: the host country is stated by the city written next to it, so another city
    # would leave the country unstated as well.
    reason = "The curators' reading: a conference is a meeting."
    _editing_conference(seed_copy, kind="meeting", interpreted={"kind": reason})

    bundle = build_seed(seed_copy)

    (kind,) = _claims(bundle, "kind")
    assert (kind.value, kind.rank, kind.basis, kind.note) == (
        '"meeting"',
        ClaimRank.preferred,
        ClaimBasis.interpretation,
        reason,
    )


@pytest.mark.parametrize("key", ["interpreted", "notes"])
def test_a_reason_or_note_for_a_field_that_is_not_claimed_is_refused(
    seed_copy: Path, key: str
) -> None:
    _editing_conference(seed_copy, **{key: {"summary": "The summary is quoted word for word."}})

    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)

    claimed = ", ".join(declared.attr or declared.name for declared in FIELDS[EventSpec])
    assert str(raised.value) == (
        f"{seed_copy / 'events.yaml'}: event '{CONFERENCE}': {key}: "
        f"'summary' is not a claimed field of this record ({claimed})"
    )


def test_another_claim_its_own_sources_do_not_state_is_refused(seed_copy: Path) -> None:
    claim = {"field": "start", "value": "2011-03-14", "sources": [HELD_IN_MARCH]}
    _editing_conference(seed_copy, claims=[claim])

    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)

    assert str(raised.value) == (
        f"{seed_copy / 'events.yaml'}: event '{CONFERENCE}': claims[0].value: "
        f"value '2011-03-14' {NOT_STATED}"
    )


def test_another_claim_cannot_be_preferred_over_the_records_own_value(seed_copy: Path) -> None:
    # The passage does say the conference was held in March 2011: only the rank is wrong.
    claim = {"field": "start", "value": "2011-03", "rank": "preferred", "sources": [HELD_IN_MARCH]}
    _editing_conference(seed_copy, claims=[claim])

    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)

    assert str(raised.value) == (
        f"{seed_copy / 'events.yaml'}: event '{CONFERENCE}': claims[0].rank: "
        "only the record's own value is preferred: rank this claim normal or deprecated, "
        "or make its value the record's"
    )


def test_a_second_document_giving_another_date_adds_a_normal_claim(seed_copy: Path) -> None:
    quote = "held in Almaty on 14-16 March 2011"
    (seed_copy / "unhcr-note.txt").write_text(
        f"The Regional Conference on Refugee Protection and International Migration was {quote}.\n",
        encoding="utf-8",
    )
    note = {
        "slug": "unhcr-note",
        "title": "UNHCR note on the 2011 conference",
        "kind": "web_page",
        "language": "en",
        "path": "unhcr-note.txt",
    }
    edit_yaml(seed_copy, "sources.yaml", lambda data: data["sources"].append(note))
    claim = {
        "field": "start",
        "value": "2011-03-14",
        "sources": [{"document": "unhcr-note", "quote": quote}],
    }
    _editing_conference(seed_copy, claims=[claim])

    bundle = build_seed(seed_copy)

    starts = {row.document_slug: row for row in _claims(bundle, "start_date")}
    assert {slug: (row.value, row.rank, row.basis) for slug, row in starts.items()} == {
        "almaty-process": ('"2011-03-15"', ClaimRank.preferred, ClaimBasis.stated),
        "unhcr-note": ('"2011-03-14"', ClaimRank.normal, ClaimBasis.stated),
    }
    stated_by = {
        slug: [(cited.document_slug, cited.quote) for cited in _cited_under(bundle, row)]
        for slug, row in starts.items()
    }
    assert stated_by["unhcr-note"] == [("unhcr-note", quote)]
    [(document, passage)] = stated_by["almaty-process"]
    assert document == "almaty-process"
    assert normalize(passage).startswith(RANGE)
    (event,) = [
        row for row in bundle.rows[Event] if isinstance(row, Event) and row.slug == CONFERENCE
    ]
    assert event.start_date == date(2011, 3, 15)


def _refused(folder: Path) -> str:
    """The one line `build_seed` refuses the folder with, after the events file's path."""
    with pytest.raises(SeedError) as raised:
        build_seed(folder)
    prefix = f"{folder / 'events.yaml'}: event '{CONFERENCE}': "
    message = str(raised.value)
    assert message.startswith(prefix), message
    return message.removeprefix(prefix)


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        # Not a text: a number or a mapping for a name is refused, not a crash.
        (
            {"field": "title", "value": 5, "sources": [HELD_IN_MARCH]},
            "claims[0].value: is not a value for title: 5 is not a text with words in it",
        ),
        (
            {"field": "aliases", "value": " ", "sources": [HELD_IN_MARCH]},
            "claims[0].value: is not a value for aliases: ' ' is not a text with words in it",
        ),
        # A letter is not stated by the words that hold it.
        (
            {"field": "aliases", "value": "M", "sources": [HELD_IN_MARCH]},
            f"claims[0].value: value 'M' {NOT_STATED}",
        ),
        # A list's preferred items are the record's own: another document's alias is normal.
        (
            {
                "field": "aliases",
                "value": "Regional Conference",
                "rank": "preferred",
                "sources": [HELD_IN_MARCH],
            },
            "claims[0].rank: only the record's own value is preferred: rank this claim normal "
            "or deprecated, or make its value the record's",
        ),
        # The record's own value cannot be held wrong at the same time.
        (
            {"field": "city", "value": "Almaty", "rank": "deprecated", "sources": [HELD_IN_MARCH]},
            "claims[0].rank: the record's own value cannot also be deprecated: change the "
            "record's value, or rank this claim preferred",
        ),
        # An interpretation may not name a state that does not exist.
        (
            {
                "field": "country",
                "value": "XXX",
                "interpreted": "a reading",
                "sources": [HELD_IN_MARCH],
            },
            "claims[0].value: 'XXX' is not a known state",
        ),
    ],
    ids=["number", "blank", "one letter", "preferred alias", "deprecated own", "unknown state"],
)
def test_another_claim_that_cannot_hold_is_refused(
    seed_copy: Path, claim: dict[str, Any], expected: str
) -> None:
    _editing_conference(seed_copy, claims=[claim])
    assert _refused(seed_copy) == expected


def test_a_reason_for_a_value_the_record_does_not_give_is_refused(seed_copy: Path) -> None:
    def change(data: Data) -> None:
        event = record(data, "events", "national-coordinators-meeting-2012")
        event["interpreted"] = {"participant_count": "No passage counts them."}

    edit_yaml(seed_copy, "events.yaml", change)
    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)
    assert str(raised.value) == (
        f"{seed_copy / 'events.yaml'}: event 'national-coordinators-meeting-2012': "
        "interpreted.participant_count: 'participant_count' has no value here: nothing to explain"
    )


def test_a_reason_for_a_value_a_passage_states_is_refused(seed_copy: Path) -> None:
    _editing_conference(seed_copy, interpreted={"city": "Where the curators think it was."})
    assert _refused(seed_copy) == (
        "city: value 'Almaty' is stated by a cited passage: it needs no interpretation "
        "(remove the reason)"
    )


def test_a_file_wide_reason_names_a_claimed_field(seed_copy: Path) -> None:
    edit_yaml(seed_copy, "events.yaml", lambda data: data.update(interpreted={"colour": "x"}))
    with pytest.raises(SeedError) as raised:
        build_seed(seed_copy)
    assert str(raised.value).startswith(
        f"{seed_copy / 'events.yaml'}: interpreted: 'colour' is not a claimed field"
    )


def test_a_one_day_event_ends_as_it_starts_and_says_so(seed_copy: Path) -> None:
    bundle = build_seed(seed_copy)
    [end] = _claims(bundle, "end_date", slug="national-coordinators-meeting-2012")
    assert (end.value, end.basis) == ('"2012-09-07"', ClaimBasis.stated)
    assert any("7 September 2012" in cited.quote for cited in _cited_under(bundle, end))


def test_seed_check_command_refuses_an_unstated_value_in_one_line(
    almaty: Almaty, seed_copy: Path
) -> None:
    _editing_conference(seed_copy, start="2011-03-11")

    result = almaty("seed", "check", str(seed_copy))

    assert result.code != 0
    assert result.out == ""
    assert result.err.splitlines() == [
        f"{seed_copy / 'events.yaml'}: event '{CONFERENCE}': start: value '2011-03-11' {NOT_STATED}"
    ]
