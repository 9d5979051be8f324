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


@dataclass(frozen=True)
class _Written:
    """A date or a range as the passage writes it, and where in its plain text."""

    first: PartialDate | None  # the range's first day, or the one date
    last: PartialDate | None  # the range's last day, or the one date again
    start: int
    end: int


def _span(match: re.Match[str]) -> tuple[PartialDate | None, PartialDate | None]:
    """The two ends of the range a date form matched; one date is both ends."""
    parts = match.groupdict()
    year, month, day = parts["y2"], parts.get("m2"), parts.get("d2")
    first_month = parts.get("m1") or month
    last = _partial(year=year, month=month or first_month, day=day)
    if parts.get("d1") is None and parts.get("m1") is None:
        return last, last
    return _partial(year=parts.get("y1") or year, month=first_month, day=parts.get("d1")), last


def _read_dates(passage: str) -> tuple[list[_Written], str]:
    """The dates a passage writes, and its plain text with those dates blanked out."""
    text = _plain(passage)
    found: list[_Written] = []
    for form in _DATE_FORMS:
        for match in form.finditer(text):
            found.append(_Written(*_span(match), match.start(), match.end()))
            text = _blank(text, match.start(), match.end())
    return found, text


def dates_in(passage: str) -> set[PartialDate]:
    """Every date the passage writes, each at the precision it is written."""
    return {
        end
        for written in _read_dates(passage)[0]
        for end in (written.first, written.last)
        if end is not None
    }


def date_spans(passage: str) -> set[tuple[PartialDate, PartialDate]]:
    """Every date or range the passage writes, as (first day, last day); one date is (d, d)."""
    # A range with an end that names no real day ("30 February - 2 March 2015") is a mistake of
    # the passage: neither end is trusted to start or end anything.
    return {
        (written.first, written.last)
        for written in _read_dates(passage)[0]
        if written.first is not None and written.last is not None
    }


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


def states_start(passage: str, value: PartialDate) -> bool:
    """True when the passage writes this date as a one-day date or as the first day of a range."""
    # Read at its precision as `states_date` reads it: "15 - 16 March 2011" starts in March 2011
    # and on the 15th, never on the 16th.
    return any(_inside(first, value) for first, _ in date_spans(passage))


def states_end(passage: str, value: PartialDate) -> bool:
    """True when the passage writes this date as a one-day date or as the last day of a range."""
    return any(_inside(last, value) for _, last in date_spans(passage))


# How far after its verb a date may be written and still be the verb's: "was launched as an RCP
# on 5 June, 2013" is 15 characters.
_VERB_REACH = 60
# A clause ends at a stop, semicolon or colon (not at the stops of "U.S.").
_CLAUSE_END = re.compile(r"(?<!\.[A-Z])[.;:!?](?=\s|$)")


def states_date_after(passage: str, value: PartialDate, *, verb: str) -> bool:
    """True when the first date written after the verb, close by in its clause, is this date."""
    # "was initiated in 2011 ... was launched as an RCP on 5 June, 2013": each verb's date is the
    # first one after it; a date further on, or past the end of the clause, is another thing's.
    written, text = _read_dates(passage)
    for said in re.finditer(rf"(?<!\w)(?<!\w-){re.escape(verb)}(?!-?\w)", text, re.IGNORECASE):
        following = [found for found in written if found.start >= said.end()]
        if not following:
            continue
        nearest = min(following, key=lambda found: found.start)
        between = text[said.end() : nearest.start]
        if len(between) > _VERB_REACH or _CLAUSE_END.search(between):
            continue
        if any(end is not None and _inside(end, value) for end in (nearest.first, nearest.last)):
            return True
    return False


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


def _written(text: str, names: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Where the plain text writes each of the names as whole words, case and all."""
    for name in map(_plain, names):
        if name:
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                yield match.start(), match.end()


def states_name(passage: str, names: Iterable[str]) -> bool:
    """True when the passage writes one of the names as whole words, case and all."""
    return next(_written(_plain(passage), names), None) is not None


def states_place(passage: str, city: str, state: Iterable[str]) -> bool:
    """True when the passage writes the city next to one of the names of its state."""
    # "(Almaty, Kazakhstan)", "in Astana, Kazakhstan", "Astana (Kazakhstan)": a state named
    # elsewhere in the passage may be where the participants came from, not where the event was.
    names = "|".join(re.escape(name) for name in map(_plain, state) if name)
    place = rf"(?<!\w){re.escape(_plain(city))}(?:,\s?|\s\()(?:the\s)?(?:{names})(?!\w)"
    return bool(names) and re.search(place, _plain(passage)) is not None


def states_city(passage: str, city: str) -> bool:
    """True when the passage writes the city as a place: "in Almaty", "(Astana, Kazakhstan)".

    A city's name inside another name ("the Almaty Process") does not say where anything was.
    """
    name = re.escape(_plain(city))
    place = rf"(?:\b(?:in|at)\s|\()(?:{name})(?!\w)|(?<!\w)(?:{name})(?:,|\)|\s\()"
    return re.search(place, _plain(passage)) is not None


# How far apart an organisation's name and the name of what it belongs to may be written:
# "Ministry of Internal Affairs, Committee of Emergencies, of the Republic of Kazakhstan".
_NEAR_REACH = 60
# Between two names, what makes them two separate things: the joints of a list ("the European
# Union (EU), the Bureau of Population", "IOM and UNHCR") and the words that join a party to
# another ("in cooperation with the Government of Turkmenistan", "funded by the US Bureau").
_PARTED = re.compile(r";|,\s?(?:the|a|an)\b|\b(?:and|or|with|by)\b", re.IGNORECASE)


def states_near(passage: str, names: Iterable[str], others: Iterable[str]) -> bool:
    """True when the passage writes one of `names` close to one of `others`, not parted."""
    text = _plain(passage)
    own = list(_written(text, names))
    for start, end in _written(text, others):
        for at, to in own:
            # One written inside the other: "IOM Development Fund", "Embassy of Finland".
            if start < to and at < end:
                return True
            between = text[end:at] if end <= at else text[to:start]
            if not (
                len(between) > _NEAR_REACH or _CLAUSE_END.search(between) or _PARTED.search(between)
            ):
                return True
    return False


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


def terms_in(passage: str, vocabulary: type[StrEnum]) -> set[StrEnum]:
    """Every value of the vocabulary whose words the passage uses."""
    text = _plain(passage)
    return {
        term
        for term, pattern in _TERM_PATTERNS.get(vocabulary, {}).items()
        if pattern.search(text) is not None
    }


# What may stand between a name and the word saying what it is: quotes and brackets ("The IOM
# report “Mapping of ...”", "Operation Framework (MCOF)"), and a few words when the name is
# quoted ("the Resolution on “Permanent neutrality ...”"), for "a report on what the Regional
# Action Plan says" does not make the plan a report. Never a comma or an "and", which join the
# word to another thing ("Framework and Regional Action Plan").
_NEXT_TO = re.compile(r"[\s\"'()]*(?:(?!(?:and|or|nor)\b)[\w-]+[\s\"'()]+){0,3}", re.IGNORECASE)
_QUOTES = ('"', "'")


def states_term_next_to(passage: str, term: StrEnum, names: Iterable[str]) -> bool:
    """True when the passage writes one of the names with a word for the term in or next to it."""
    pattern = _TERM_PATTERNS.get(type(term), {}).get(term)
    if pattern is None:
        return False
    text = _plain(passage)
    named = list(_written(text, names))
    for cue in pattern.finditer(text):
        for start, end in named:
            if cue.start() < end and start < cue.end():
                return True
            if cue.end() <= start:
                between, quoted = text[cue.end() : start], text[start - 1 : start] in _QUOTES
            else:
                between, quoted = text[end : cue.start()], text[end : end + 1] in _QUOTES
            if _NEXT_TO.fullmatch(between) and (quoted or re.search(r"\w", between) is None):
                return True
    return False
