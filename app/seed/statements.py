"""Whether a passage of a source document states a value: a date, a count, a name or a term."""

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.models.enums import (
    CountQualifier,
    DatePrecision,
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
from app.seed.schema import PartialDate

# Curly apostrophes and quotes read as straight ones: the document writes "IOM\u2019s", a curator
# may type "IOM's".
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'}
)
# Anything blanked out is replaced by this, which no pattern matches and which is not a word.
_BLANK = "\0"


def _plain(text: str) -> str:
    return normalize(text).translate(_TYPOGRAPHY)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + _BLANK * (end - start) + text[end:]


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS, start=1)}
# Between the two ends of a range: a hyphen or dash (spaced or not), "and", "to" or "until".
_TO = r"\s?(?:[-\u2010-\u2014]|and|to|until)\s?"


def _day(group: str) -> str:
    return rf"(?P<{group}>\d{{1,2}})(?:st|nd|rd|th)?\b"


def _month(group: str) -> str:
    # Capitalised only: the modal verb "may" is not the month.
    return rf"(?P<{group}>{'|'.join(_MONTHS)})\b"


def _year(group: str) -> str:
    return rf"(?P<{group}>(?:19|20)\d\d)\b"


# Tried in this order, each on what the earlier ones left, so "16 March 2011" is read once as a
# day and its "2011" is not read again as a bare year. The second end of a range lends the first
# the month and year it leaves out ("15 - 16 March 2011"), and the first lends the second its
# month ("September 14-15, 2015").
_DATE_FORMS = tuple(
    re.compile(form)
    for form in (
        # 15 - 16 March 2011, 30 March - 1 April 2015, 14 and 15 September 2015
        rf"\b{_day('d1')}(?:\s{_month('m1')}(?:,?\s{_year('y1')})?)?{_TO}"
        rf"{_day('d2')}\s(?:of\s)?{_month('m2')},?\s{_year('y2')}",
        # From March 30 to April 1 2015, September 14-15, 2015
        rf"\b{_month('m1')}\s{_day('d1')}(?:,?\s{_year('y1')})?{_TO}"
        rf"(?:{_month('m2')}\s)?{_day('d2')},?\s{_year('y2')}",
        # 5 June, 2013; 7 September 2012; 5th of June 2013
        rf"\b{_day('d2')}\s(?:of\s)?{_month('m2')},?\s{_year('y2')}",
        # September 22, 2015
        rf"\b{_month('m2')}\s{_day('d2')},?\s{_year('y2')}",
        # March - April 2015, December 2014 - January 2015
        rf"\b{_month('m1')}(?:,?\s{_year('y1')})?{_TO}{_month('m2')},?\s{_year('y2')}",
        # March 2011, during August 2015, by January 2016
        rf"\b{_month('m2')},?\s{_year('y2')}",
        # in 2011, Post-2014, Central Asia 2014
        rf"\b{_year('y2')}",
    )
)


def _partial(*, year: str, month: str | None, day: str | None) -> PartialDate | None:
    """The date these parts write, or None when they name no real day (31 February)."""
    try:
        if month is None:
            return PartialDate(date(int(year), 1, 1), DatePrecision.year)
        if day is None:
            return PartialDate(date(int(year), _MONTH_NUMBERS[month], 1), DatePrecision.month)
        return PartialDate(date(int(year), _MONTH_NUMBERS[month], int(day)), DatePrecision.day)
    except ValueError:
        return None


def _ends(match: re.Match[str]) -> Iterator[PartialDate | None]:
    """The one date, or the two ends of the range, that a date form matched."""
    parts = match.groupdict()
    year, month, day = parts["y2"], parts.get("m2"), parts.get("d2")
    first_month = parts.get("m1") or month
    if parts.get("d1") is not None or parts.get("m1") is not None:
        yield _partial(year=parts.get("y1") or year, month=first_month, day=parts.get("d1"))
    yield _partial(year=year, month=month or first_month, day=day)


def _read_dates(passage: str) -> tuple[set[PartialDate], str]:
    """The dates a passage writes, and its plain text with those dates blanked out."""
    text = _plain(passage)
    found: set[PartialDate] = set()
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            found.update(end for end in _ends(match) if end is not None)
            text = _blank(text, match.start(), match.end())
    return found, text


def dates_in(passage: str) -> set[PartialDate]:
    """Every date the passage writes, each at the precision it is written."""
    return _read_dates(passage)[0]


def _inside(written: PartialDate, value: PartialDate) -> bool:
    """Whether a written date is the value, or a more precise date within it."""
    if written.value.year != value.value.year:
        return False
    if value.precision == DatePrecision.year:
        return True
    if written.precision == DatePrecision.year or written.value.month != value.value.month:
        return False
    if value.precision == DatePrecision.month:
        return True
    return written.precision == DatePrecision.day and written.value.day == value.value.day


def states_date(passage: str, value: PartialDate) -> bool:
    """True when the passage writes this date at its precision, or a more precise date inside it."""
    return any(_inside(written, value) for written in dates_in(passage))


_UNITS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES = {word: value for value, word in enumerate(_UNITS)} | {
    word: value * 10 for value, word in enumerate(_TENS, start=2)
}
# Longer words come first in each alternation so "seventeen" is not read as "seven".
_ONE_TO_NINE = "|".join(_UNITS[1:10])
_TEENS = "|".join(reversed(_UNITS[10:]))
_BELOW_HUNDRED = rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{_ONE_TO_NINE}))?|{_TEENS}|{_ONE_TO_NINE})"
_BELOW_THOUSAND = (
    rf"(?:(?:(?:a|{_ONE_TO_NINE})\s)?hundred(?:\s(?:and\s)?{_BELOW_HUNDRED})?|{_BELOW_HUNDRED})"
)
_NUMBER_WORDS = (
    rf"(?:(?:(?:a|{_BELOW_THOUSAND})\s)?thousand(?:\s(?:and\s)?{_BELOW_THOUSAND})?"
    rf"|{_BELOW_THOUSAND}|zero)"
)
# "2nd", "20th" and "1.5" are not counts; "1,200" is one.
_NUMBER = re.compile(
    rf"(?<![\w.,])(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?!\w|[.,]\d)|\b(?P<words>{_NUMBER_WORDS})\b",
    re.IGNORECASE,
)
# The document writes some numbers twice, "sixty (60)"; the repeat is part of the one number.
_REPEAT = re.compile(r"\s?\((\d+)\)")
# Numbers that are not counts of anything: slide markers and list items such as "2) To facilitate".
_NOT_COUNTS = re.compile(r"\[slide \d+\]|(?<![\w(])\d+\)")

# Read on the words right before the number. "no more than" bounds from above, so it is looked
# for before "more than"; a bound from above is none of the three qualifiers.
_BOUNDED_ABOVE = re.compile(
    r"\b(?:no more than|not more than|less than|fewer than|up to|at most|under|below)\s$",
    re.IGNORECASE,
)
_QUALIFIERS = (
    (
        CountQualifier.more_than,
        re.compile(r"\b(?:more than|over|at least|in excess of|upwards of)\s$", re.IGNORECASE),
    ),
    (
        CountQualifier.approximate,
        re.compile(
            r"\b(?:about|around|approximately|some|nearly|almost|roughly|close to|an estimated)\s$",
            re.IGNORECASE,
        ),
    ),
)
# Enough text before a number to hold the longest qualifier.
_QUALIFIER_REACH = 24


@dataclass(frozen=True)
class _Count:
    value: int
    qualifier: CountQualifier | None
    rest: str  # the text right after the number (and its repeat)


def _word_value(words: str) -> int:
    total = current = 0
    for word in re.findall(r"[a-z]+", words.lower()):
        if word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            current += _WORD_VALUES.get(word, 0)
    return total + current


def _qualifier(before: str) -> CountQualifier | None:
    if _BOUNDED_ABOVE.search(before):
        return None
    for qualifier, words in _QUALIFIERS:
        if words.search(before):
            return qualifier
    return CountQualifier.exact


def _counts_in(passage: str) -> Iterator[_Count]:
    """Every number the passage writes as digits or words, other than those in dates."""
    text = _NOT_COUNTS.sub(lambda match: _BLANK * len(match.group()), _read_dates(passage)[1])
    at = 0
    while (match := _NUMBER.search(text, at)) is not None:
        digits = match.group("digits")
        value = int(digits.replace(",", "")) if digits else _word_value(match.group("words"))
        end = match.end()
        repeat = _REPEAT.match(text, end)
        if repeat is not None:
            end = repeat.end()
        at = end
        # "sixty (70)" says two different things; it states neither.
        if repeat is not None and int(repeat.group(1)) != value:
            continue
        before = text[max(0, match.start() - _QUALIFIER_REACH) : match.start()]
        yield _Count(value, _qualifier(before), text[end:].lstrip())


def _counting(rest: str, counts: str) -> bool:
    """Whether the text after a number begins with the words saying what it counts."""
    words = _plain(counts).lower()
    if not words:
        return True
    follows = rest[len(words) : len(words) + 1]
    return rest.lower().startswith(words) and not (follows.isalnum() or follows == "_")


def states_count(
    passage: str, *, value: int, qualifier: CountQualifier, counts: str | None
) -> bool:
    """True when the passage writes this number, so qualified, of these things (if given)."""
    return any(
        count.value == value
        and count.qualifier == qualifier
        and (counts is None or _counting(count.rest, counts))
        for count in _counts_in(passage)
    )


def states_name(passage: str, names: Iterable[str]) -> bool:
    """True when the passage writes one of the names as whole words, case and all."""
    text = _plain(passage)
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in map(_plain, names) if name
    )


# Never preceded by "will be", "to be": a participle that reports the past, not the future.
_PAST = r"(?<!\bbe )"

# The words a passage uses to state each value of a vocabulary, as case-insensitive regexes that
# must match whole words (a hyphenated prefix makes another word: "co-organized" is not
# "organized"). Keyed by vocabulary first because values repeat across vocabularies: both
# EventStatus and DocumentStatus have "planned", and a StrEnum member is equal to its value.
TERMS: dict[type[StrEnum], dict[StrEnum, tuple[str, ...]]] = {
    EventKind: {
        EventKind.ministerial_conference: (r"Ministerial Conferences?",),
        EventKind.senior_officials_meeting: (r"Senior Officials'? Meetings?", r"(?-i:SOM)"),
        EventKind.national_coordinators_meeting: (r"National Coordinators'? Meetings?",),
        EventKind.training: (r"trainings?",),
        EventKind.forum: (r"forums?",),
        EventKind.summit: (r"summits?",),
        EventKind.meeting: (r"meetings?",),
        EventKind.conference: (r"conferences?",),
    },
    EventStatus: {
        EventStatus.held: (
            r"(?:was|were|has been|have been|had been) held",
            r"took place",
            r"brought together",
            rf"{_PAST}organi[sz]ed",
            rf"{_PAST}conducted",
            rf"{_PAST}convened",
            rf"{_PAST}hosted",
            rf"{_PAST}attended",
            r"participants of",
            r"resulted in",
            r"emphasi[sz]ed",
        ),
        EventStatus.planned: (
            r"(?:to|will) be held",
            r"(?:is to|will) take place",
            r"upcoming",
            r"forthcoming",
        ),
    },
    EventProcessRelation: {
        EventProcessRelation.key_event: (r"Key Events?",),
        EventProcessRelation.supporting_activity: (
            r"in support (?:to|of)",
            r"Regional Activities",
        ),
    },
    EventRelationKind: {
        EventRelationKind.prepares_for: (r"preparatory", r"ahead of", r"in preparation (?:for|of)"),
    },
    ProcessRole: {
        ProcessRole.initiator: (r"initiated", r"initiators?"),
        ProcessRole.chair: (r"chair(?:s|ed|manship)?",),
        ProcessRole.secretariat: (r"Secretariat",),
        ProcessRole.member: (r"Member States?",),
        ProcessRole.observer: (r"observer States?", r"observers?"),
    },
    ParticipationRole: {
        # To conduct an event is to organise and run it: "IOM ... conducted a regional training".
        ParticipationRole.organizer: (r"organi[sz](?:e|es|ed|ing|ers?)", r"conducted"),
        # Organising "in cooperation with" someone, in one sentence, is organising with them.
        ParticipationRole.co_organizer: (
            r"co-organi[sz](?:e|es|ed|ing|ers?)",
            r"organi[sz]ed[^.]*\bin cooperation with",
            r"in cooperation with[^.]*\borgani[sz]ed",
        ),
        ParticipationRole.host: (r"host(?:s|ed|ing)?",),
        ParticipationRole.convener: (r"convened", r"conven[eo]rs?", r"under the auspices"),
        ParticipationRole.supporter: (r"support(?:s|ed|ing)?",),
        ParticipationRole.funder: (
            r"funded",
            r"co-funded",
            r"financial support",
            r"funding",
            r"financed",
        ),
        ParticipationRole.participant: (
            r"participants?",
            r"participating",
            r"participation",
            r"participated",
            r"brought together",
            r"attended",
            r"took part",
            r"representatives",
        ),
        ParticipationRole.member_state: (r"Member States?",),
        ParticipationRole.observer_state: (r"Observer States?",),
        ParticipationRole.guest_state: (r"Guest States?",),
        ParticipationRole.speaker: (
            r"emphasi[sz]ed",
            r"stated",
            r"said",
            r"noted",
            r"highlighted",
            r"stressed",
            r"underlined",
        ),
        ParticipationRole.presenter: (r"presented", r"introduced", r"presentations?"),
        ParticipationRole.trainer: (r"trainers?", r"designed and presented", r"conducted"),
    },
    OutcomeRelation: {
        OutcomeRelation.adopted_at: (r"adopted", r"adoption"),
        OutcomeRelation.endorsed_at: (r"endorsed", r"endorsement"),
        OutcomeRelation.issued_at: (r"issued", r"issuance"),
        # To familiarise people with a framework is to present it to them.
        OutcomeRelation.presented_at: (r"presented", r"familiari[sz](?:e|es|ed|ing)"),
        OutcomeRelation.emerged_from: (r"emerged from",),
        # listed_under has no words: it is where the document puts a heading, so always a reading.
    },
    DocumentKind: {
        DocumentKind.declaration: (r"Declarations?",),
        # Capitalised: "within the framework of the project" and "set the agenda" name no document.
        DocumentKind.framework: (r"(?-i:Frameworks?)",),
        DocumentKind.action_plan: (r"Action Plans?",),
        DocumentKind.communique: (r"Communiqu[eé]s?",),
        DocumentKind.operating_modalities: (r"Operating Modalities",),
        DocumentKind.report: (r"reports?",),
        DocumentKind.assessment: (r"assessments?",),
        DocumentKind.operational_framework: (r"Operation(?:al)? Frameworks?",),
        DocumentKind.resolution: (r"Resolutions?",),
        DocumentKind.law: (r"laws?",),
        DocumentKind.agenda: (r"(?-i:Agendas?)",),
    },
    DocumentStatus: {
        DocumentStatus.adopted: (r"adopted", r"adoption", r"endorsed", r"endorsement"),
        DocumentStatus.published: (r"issued", r"issuance", r"presented", r"published"),
        DocumentStatus.planned: (
            r"(?:will|to) be (?:passed|adopted|issued|published|presented|endorsed)",
            r"drafts?",
        ),
    },
    DocumentRelationKind: {
        DocumentRelationKind.complements: (r"complement(?:s|ed)?", r"complementary"),
        DocumentRelationKind.endorses: (r"endorsed", r"endorses", r"endorsing"),
        DocumentRelationKind.implements: (r"implement\w*",),
    },
    # Only the kinds a passage can honestly name; whether a body of the United Nations is an
    # agency or a body, for one, is not something the words say.
    OrganizationKind: {
        OrganizationKind.intergovernmental: (r"inter-?governmental",),
        OrganizationKind.regional_organization: (r"regional organi[sz]ations?",),
        OrganizationKind.government_body: (
            r"Ministry",
            r"Ministries",
            r"Department",
            r"Bureau",
            r"Committee",
            r"(?-i:Agency)",
        ),
        OrganizationKind.national_institution: (
            r"Commission on Human Rights",
            r"national human rights institutions?",
            r"Ombudsman",
        ),
        OrganizationKind.donor: (r"donors?",),
        OrganizationKind.diplomatic_mission: (
            r"Embassy",
            r"Embassies",
            r"Consulates?",
            r"diplomatic missions?",
        ),
        OrganizationKind.private_sector: (r"private sector",),
        OrganizationKind.fund: (r"(?-i:Funds?)",),
        OrganizationKind.office: (r"offices?",),
    },
}


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?<!\w-)(?:{'|'.join(cues)})(?!-?\w)", re.IGNORECASE)


_TERM_PATTERNS: Mapping[type[StrEnum], Mapping[StrEnum, re.Pattern[str]]] = {
    vocabulary: {term: _cue_pattern(cues) for term, cues in members.items()}
    for vocabulary, members in TERMS.items()
}


def states_term(passage: str, term: StrEnum) -> bool:
    """True when the passage uses one of the words that state this value of its vocabulary."""
    pattern = _TERM_PATTERNS.get(type(term), {}).get(term)
    return pattern is not None and pattern.search(_plain(passage)) is not None
