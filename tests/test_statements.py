"""A passage states a date, a count, a name or a term only as the source document writes it."""

from datetime import date
from enum import StrEnum

import pytest

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
from app.seed.schema import PartialDate
from app.seed.statements import (
    TERMS,
    date_spans,
    dates_in,
    states_city,
    states_count,
    states_date,
    states_date_after,
    states_end,
    states_name,
    states_near,
    states_place,
    states_start,
    states_term,
    states_term_next_to,
    terms_in,
)

# Passages of seed/almaty-process.txt, line breaks and runs of spaces as the extraction left them.
FIRST_CONFERENCE = (
    "15 - 16 March 2011 \u2013 First Regional Ministerial Conference on Refugee Protection and "
    "International Migration \n\n(Almaty, Kazakhstan) "
)
HELD_IN_MARCH = (
    "The first Regional \n\nConference on Refugee Protection and International Migration was "
    "held in Almaty in March 2011, which resulted in the \n\nunanimous adoption of the Almaty "
    "Declaration."
)
INITIATED = (
    "The Almaty Process was initiated in 2011 by the Government of Kazakhstan, IOM and UNHCR."
)
LAUNCHED = "The Almaty Process, was launched as an RCP on 5 June, 2013."
NATIONAL_COORDINATORS = (
    " 7 September 2012 \u2013 National Coordinators\u2019 Meeting (Almaty, Kazakhstan) "
)
FIRST_SOM = (
    " 21 November 2014 \u2013 First Senior Officials Meeting, Mixed Migration Movements from "
    "Afghanistan Post-2014 \n\n(Almaty, Kazakhstan) "
)
SECOND_SOM = (
    "The 2nd Senior Officials Meeting (SOM) of the Almaty Process took place in Astana, "
    "Kazakhstan on 22 \nSeptember 2015."
)
TRAINING_HEADING = (
    " 30 March - 1 April 2015 - Regional Training on “Migration Management and Capacity "
    "Building on Irregular \n\nMigration” (Almaty, Kazakhstan) "
)
TRAINING = (
    "From March 30 to April 1 2015, the International Organisation for Migration (IOM) Sub "
    "regional office for \nCentral Asia  conducted a regional training on “Migration "
    "Management and Capacity Building on Irregular \nMigration” in Almaty, Kazakhstan."
)
FORUM_HEADING = (
    " 17 - 18 June 2015 - Regional Forum on International Cooperation in the area of "
    "Migration and Emergency \n\nPreparedness (Ashgabat, Turkmenistan) "
)
SUMMIT = (
    "the regional forum is regarded as a preparatory event for \nconducting regional "
    "consultations ahead of the World Humanitarian Summit (WHS)  to be held in Istanbul, 26-\n"
    "27 May 2016."
)
DRR_HEADING = (
    "The meeting was organized by IOM in cooperation with the Government of Turkmenistan and "
    "14 \u2013 15 September 2015 - \n\nRegional Training on Disaster Risk Reduction"
)
DRR_TRAINING = (
    "The regional training on Disaster Risk Reduction, Emergency Response and IOM\u2019s Migration "
    "Crisis \nOperational Framework (MCOF) took place in Almaty, Kazakhstan on 14 and 15 "
    "September 2015."
)
FIELD_ASSESSMENT = (
    "The IOM report “Mapping of Irregular Migration in Central Asia 2014” and a field "
    "assessment on re-entry \nbanned migrants (conducted during August 2015) were presented "
    "to the participating governments"
)
NEW_LAW = (
    "mentioning that recommendations of the report have already been implemented while a new "
    "law on the \ninclusion of NGOs within policy making will be passed by January 2016 by the "
    "Government of Kazakhstan."
)
CHAIR_ROLE = (
    "Successfully organized the first Regional Ministerial Conference in 2011; the National "
    "Coordinators\u2019 Meeting in 2012; the \n\nMinisterial Conference on Refugee Protection and "
    "International Migration in 2013; and the Senior Officials Meetings in \n\n2014 and 2015 "
    "with high level participation from the Central Asian and neighboring States"
)
CENTURY = (
    "The promotion of labour opportunities and \nrights has been tested by governments in an "
    "effective manner since the beginning of the 20th \nCentury."
)
MORE_THAN_120 = (
    "The Conference brought together more than 120 participants, including Ministers, Deputy "
    "Ministers and other senior \n\nlevel government officials from Afghanistan, Azerbaijan, "
    "Iran, Kazakhstan, Kyrgyzstan, the Russian Federation, Tajikistan, \n\nTurkmenistan and "
    "Turkey."
)
FORTY = (
    "with high level participants from Central Asian countries and Afghanistan.  Forty \n\n"
    "government officials from Central Asian countries and Afghanistan  shared good practices"
)
SIXTY = (
    "Participating in the regional training were sixty (60) border and immigration officials "
    "from the governments of \nthe Republic of Kazakhstan"
)
SEVEN_MEMBERS = "It consists \n\nof 7 Member States: the Islamic Republic of Afghanistan"
CO_ORGANIZED = (
    "IOM and UNHCR in cooperation with the Organization for Security and Co-operation in "
    "Europe (OSCE) and the United \n\nNations Regional Center for Preventive Diplomacy for "
    "Central Asia (UNRCCA) co-organized the Regional Conference"
)
CONVENED = (
    "The conference was convened under the auspices of the \n\nGovernment of the Republic of "
    "Kazakhstan, with financial support provided by the European Union (EU), the Bureau of "
    "\n\nPopulation, Refugees and Migration of the U.S. Department of State, IOM and UNHCR."
)
MCOF = (
    "shared good practices in Disaster Risk Reduction and \n\nEmergency Preparedness under "
    "IOM\u2019s Migration Crisis Operational Framework (MCOF)."
)
HOSTED = (
    "The regional event was hosted \nand co-funded by the Government of Turkmenistan within "
    "the framework of the 20th anniversary of the status \nof neutrality and on the adoption "
    "of the UN General Assembly Resolution on “Permanent neutrality of \nTurkmenistan”."
)
GUESTS = (
    "Observer States: the Islamic Republic of Iran and the Islamic Republic of Pakistan; and "
    "Guest States: \nPeople\u2019s Republic of China, the Russian Federation, and the United "
    "States of America;  as well as \nrepresentatives from the International Organization for "
    "Migration (IOM)"
)
COMMUNIQUE = (
    "The Conference resulted in the issuance of a Communiqué, the endorsement of the Operating "
    "Modalities and thereby \n\nthe operationalization of the Almaty Process as a Regional "
    "Consultative Process."
)
EMERGENCIES = (
    "The regional training was organized by the International Organization for Migration (IOM) "
    "Sub-regional Office for Central Asia in the Republic of Kazakhstan in cooperation with the "
    "Ministry of Internal Affairs, Committee of Emergencies, of the Republic of Kazakhstan."
)
DONORS = (
    "donor community and private sector: the International Organization for \nMigration (IOM); "
    "the Embassy of Finland to the Republic of Kazakhstan; the European Commission's "
    "Humanitarian Aid and Civil \nProtection Department (ECHO); the UK Department for "
    "International Development (DFID); the United Nations \nDevelopment Programme (UNDP); the "
    "United Nations High Commissioner for Refugees (UNHCR); the United \nNations Office for the "
    "Coordination of Humanitarian Affairs (UNOCHA); the United States Agency for \nInternational "
    "Development (OFDA/USAID), and Kaznex Invest ."
)
FORUM = (
    "The International Organization for Migration (IOM) sub regional office for Central Asia in "
    "cooperation \nwith the Government of Turkmenistan organized a Regional Forum"
)
PRM = "Bureau of Population, Refugees and Migration"


def partial(iso: str) -> PartialDate:
    """A date written YYYY, YYYY-MM or YYYY-MM-DD, at that precision."""
    parts = [int(part) for part in iso.split("-")]
    precision = (DatePrecision.year, DatePrecision.month, DatePrecision.day)[len(parts) - 1]
    year, month, day = [*parts, 1, 1][:3]
    return PartialDate(date(year, month, day), precision)


@pytest.mark.parametrize(
    ("passage", "written"),
    [
        (FIRST_CONFERENCE, {"2011-03-15", "2011-03-16"}),
        (HELD_IN_MARCH, {"2011-03"}),
        (INITIATED, {"2011"}),
        (LAUNCHED, {"2013-06-05"}),
        (NATIONAL_COORDINATORS, {"2012-09-07"}),
        (FIRST_SOM, {"2014-11-21", "2014"}),
        (SECOND_SOM, {"2015-09-22"}),
        (TRAINING_HEADING, {"2015-03-30", "2015-04-01"}),
        (TRAINING, {"2015-03-30", "2015-04-01"}),
        (FORUM_HEADING, {"2015-06-17", "2015-06-18"}),
        (SUMMIT, {"2016-05-26", "2016-05-27"}),
        (DRR_HEADING, {"2015-09-14", "2015-09-15"}),
        (DRR_TRAINING, {"2015-09-14", "2015-09-15"}),
        (FIELD_ASSESSMENT, {"2014", "2015-08"}),
        (NEW_LAW, {"2016-01"}),
        (CHAIR_ROLE, {"2011", "2012", "2013", "2014", "2015"}),
        (
            "September 14-15, 2015 and December 2015 - January 2016",
            {"2015-09-14", "2015-09-15", "2015-12", "2016-01"},
        ),
        ("the 15 \u2013 16 March 2011 conference", {"2011-03-15", "2011-03-16"}),
        (CENTURY, set()),
        (SIXTY, set()),
        (MORE_THAN_120, set()),
        ("The 2nd Senior Officials Meeting (SOM)", set()),
        ("31 February 2015", set()),
        ("30 February - 2 March 2015", {"2015-03-02"}),
    ],
)
def test_dates_in(passage: str, written: set[str]) -> None:
    assert {str(found) for found in dates_in(passage)} == written
    assert all(found == partial(str(found)) for found in dates_in(passage))


@pytest.mark.parametrize(
    ("passage", "spans"),
    [
        (FIRST_CONFERENCE, {("2011-03-15", "2011-03-16")}),
        (HELD_IN_MARCH, {("2011-03", "2011-03")}),
        (FIRST_SOM, {("2014-11-21", "2014-11-21"), ("2014", "2014")}),
        (TRAINING_HEADING, {("2015-03-30", "2015-04-01")}),
        (TRAINING, {("2015-03-30", "2015-04-01")}),
        (SUMMIT, {("2016-05-26", "2016-05-27")}),
        (DRR_TRAINING, {("2015-09-14", "2015-09-15")}),
        (
            "September 14-15, 2015 and December 2015 - January 2016",
            {("2015-09-14", "2015-09-15"), ("2015-12", "2016-01")},
        ),
        (CENTURY, set()),
        ("31 February 2015", set()),
        ("30 February - 2 March 2015", set()),
    ],
)
def test_date_spans(passage: str, spans: set[tuple[str, str]]) -> None:
    assert {(str(first), str(last)) for first, last in date_spans(passage)} == spans


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-15"),
        (FIRST_CONFERENCE, "2011-03"),
        (FIRST_CONFERENCE, "2011"),
        (HELD_IN_MARCH, "2011-03"),
        (SECOND_SOM, "2015-09-22"),
        (TRAINING, "2015-03-30"),
        (TRAINING, "2015-03"),
    ],
)
def test_a_passage_states_a_first_day(passage: str, value: str) -> None:
    assert states_start(passage, partial(value))


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-16"),
        (TRAINING, "2015-04-01"),
        (TRAINING, "2015-04"),
        (SUMMIT, "2016-05-27"),
        (HELD_IN_MARCH, "2011-03-15"),
    ],
)
def test_a_passage_states_no_other_first_day(passage: str, value: str) -> None:
    assert not states_start(passage, partial(value))


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-16"),
        (FIRST_CONFERENCE, "2011-03"),
        (SECOND_SOM, "2015-09-22"),
        (TRAINING, "2015-04-01"),
        (TRAINING, "2015-04"),
        (SUMMIT, "2016-05-27"),
    ],
)
def test_a_passage_states_a_last_day(passage: str, value: str) -> None:
    assert states_end(passage, partial(value))


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-15"),
        (TRAINING, "2015-03-30"),
        (TRAINING, "2015-03"),
        (SUMMIT, "2016-05-26"),
        ("30 February - 2 March 2015", "2015-03-02"),
    ],
)
def test_a_passage_states_no_other_last_day(passage: str, value: str) -> None:
    assert not states_end(passage, partial(value))


BOTH_DATES = "The Almaty Process was initiated in 2011 and launched on 5 June 2013."


@pytest.mark.parametrize(
    ("passage", "value", "verb"),
    [
        (INITIATED, "2011", "initiated"),
        (LAUNCHED, "2013-06-05", "launched"),
        (LAUNCHED, "2013", "launched"),
        (BOTH_DATES, "2011", "initiated"),
        (BOTH_DATES, "2013-06", "launched"),
        ("The process was Launched in June 2013", "2013-06", "launched"),
    ],
)
def test_a_passage_dates_what_its_verb_says(passage: str, value: str, verb: str) -> None:
    assert states_date_after(passage, partial(value), verb=verb)


@pytest.mark.parametrize(
    ("passage", "value", "verb"),
    [
        (LAUNCHED, "2013", "initiated"),
        (INITIATED, "2011", "launched"),
        (BOTH_DATES, "2013", "initiated"),
        (BOTH_DATES, "2011", "launched"),
        (INITIATED, "2012", "initiated"),
        ("It was initiated by Kazakhstan. A conference followed in 2011.", "2011", "initiated"),
        ("It was initiated in 2011; it was launched later.", "2011", "launched"),
        (
            "It was initiated by the Government of Kazakhstan, which hosted a conference in 2011",
            "2011",
            "initiated",
        ),
        ("In 2011 the process was initiated.", "2011", "initiated"),
        ("a pre-initiated plan of 2011", "2011", "initiated"),
    ],
)
def test_a_passage_dates_nothing_else_by_the_verb(passage: str, value: str, verb: str) -> None:
    assert not states_date_after(passage, partial(value), verb=verb)


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-15"),
        (FIRST_CONFERENCE, "2011-03-16"),
        (FIRST_CONFERENCE, "2011-03"),
        (FIRST_CONFERENCE, "2011"),
        (HELD_IN_MARCH, "2011-03"),
        (HELD_IN_MARCH, "2011"),
        (INITIATED, "2011"),
        (LAUNCHED, "2013-06-05"),
        (TRAINING, "2015-03"),
        (TRAINING, "2015-04"),
        (TRAINING, "2015-04-01"),
        (SUMMIT, "2016-05-27"),
        (FIELD_ASSESSMENT, "2015-08"),
        (FIELD_ASSESSMENT, "2014"),
        (NEW_LAW, "2016-01"),
        (FIRST_SOM, "2014"),
    ],
)
def test_a_passage_states_its_dates(passage: str, value: str) -> None:
    assert states_date(passage, partial(value))


@pytest.mark.parametrize(
    ("passage", "value"),
    [
        (FIRST_CONFERENCE, "2011-03-11"),
        (FIRST_CONFERENCE, "2011-03-17"),
        (FIRST_CONFERENCE, "2011-04"),
        (FIRST_CONFERENCE, "2012"),
        (HELD_IN_MARCH, "2011-04"),
        (HELD_IN_MARCH, "2011-03-15"),
        (HELD_IN_MARCH, "2012"),
        (INITIATED, "2012"),
        (INITIATED, "2011-03"),
        (LAUNCHED, "2013-06-06"),
        (LAUNCHED, "2013-05"),
        (FIELD_ASSESSMENT, "2015-08-01"),
        (FIELD_ASSESSMENT, "2014-08"),
        (CENTURY, "1920"),
        (CENTURY, "2020"),
    ],
)
def test_a_passage_states_no_other_date(passage: str, value: str) -> None:
    assert not states_date(passage, partial(value))


@pytest.mark.parametrize(
    ("passage", "value", "qualifier", "counts"),
    [
        (MORE_THAN_120, 120, CountQualifier.more_than, "participants"),
        (MORE_THAN_120, 120, CountQualifier.more_than, None),
        (FORTY, 40, CountQualifier.exact, "government officials"),
        (FORTY, 40, CountQualifier.exact, "Government  Officials"),
        (SIXTY, 60, CountQualifier.exact, "border and immigration officials"),
        (SIXTY, 60, CountQualifier.exact, None),
        (SEVEN_MEMBERS, 7, CountQualifier.exact, "Member States"),
        ("about twenty-five experts", 25, CountQualifier.approximate, "experts"),
        ("Around Twenty Five experts", 25, CountQualifier.approximate, "experts"),
        ("over a hundred delegates", 100, CountQualifier.more_than, "delegates"),
        ("some one hundred and twenty officials", 120, CountQualifier.approximate, "officials"),
        ("at least 1,200 migrants", 1200, CountQualifier.more_than, "migrants"),
        ("nearly ninety-nine trainers", 99, CountQualifier.approximate, "trainers"),
        ("Seventeen States", 17, CountQualifier.exact, "States"),
        ("zero incidents", 0, CountQualifier.exact, "incidents"),
        ("two thousand and fifteen people", 2015, CountQualifier.exact, "people"),
    ],
)
def test_a_passage_states_its_counts(
    passage: str, value: int, qualifier: CountQualifier, counts: str | None
) -> None:
    assert states_count(passage, value=value, qualifier=qualifier, counts=counts)


@pytest.mark.parametrize(
    ("passage", "value", "qualifier", "counts"),
    [
        (MORE_THAN_120, 999, CountQualifier.more_than, "participants"),
        (MORE_THAN_120, 120, CountQualifier.exact, "participants"),
        (MORE_THAN_120, 120, CountQualifier.approximate, None),
        (MORE_THAN_120, 120, CountQualifier.more_than, "participant"),
        (MORE_THAN_120, 120, CountQualifier.more_than, "Ministers"),
        (FORTY, 40, CountQualifier.exact, "participants"),
        (FORTY, 4, CountQualifier.exact, None),
        (SIXTY, 60, CountQualifier.exact, "participants"),
        (SIXTY, 60, CountQualifier.more_than, None),
        (SIXTY, 6, CountQualifier.exact, None),
        ("Seventeen States", 7, CountQualifier.exact, None),
        ("sixty (70) officials", 60, CountQualifier.exact, None),
        ("no more than 30 participants", 30, CountQualifier.more_than, None),
        ("no more than 30 participants", 30, CountQualifier.exact, None),
        ("up to 50 participants", 50, CountQualifier.exact, None),
        (FIRST_CONFERENCE, 15, CountQualifier.exact, None),
        (FIRST_CONFERENCE, 2011, CountQualifier.exact, None),
        (SECOND_SOM, 2, CountQualifier.exact, None),
        (CENTURY, 20, CountQualifier.exact, None),
        ("Almaty Process Key Events: [slide 5]", 5, CountQualifier.exact, None),
        ("2) To facilitate the development of mechanisms", 2, CountQualifier.exact, None),
    ],
)
def test_a_passage_states_no_other_count(
    passage: str, value: int, qualifier: CountQualifier, counts: str | None
) -> None:
    assert not states_count(passage, value=value, qualifier=qualifier, counts=counts)


@pytest.mark.parametrize(
    ("passage", "names"),
    [
        (MORE_THAN_120, ["Iran"]),
        (MORE_THAN_120, ["Tashkent", "Kyrgyzstan"]),
        (MORE_THAN_120, ["", "Turkey"]),
        (FIRST_CONFERENCE, ["Almaty"]),
        (MCOF, ["IOM"]),
        (MCOF, ["IOM's Migration Crisis Operational Framework"]),
        (MCOF.replace("\u2019", "'"), ["IOM\u2019s Migration Crisis Operational Framework"]),
        (CONVENED, ["Government of the Republic of Kazakhstan"]),
        (CONVENED, ["U.S. Department of State"]),
        (HOSTED, ['"Permanent neutrality of Turkmenistan"']),
        (GUESTS, ["People's Republic of China"]),
    ],
)
def test_a_passage_states_its_names(passage: str, names: list[str]) -> None:
    assert states_name(passage, names)


@pytest.mark.parametrize(
    ("passage", "names"),
    [
        (MORE_THAN_120, ["Tashkent"]),
        (MORE_THAN_120, ["Uzbekistan", "Pakistan"]),
        (MORE_THAN_120, []),
        (MORE_THAN_120, ["", " "]),
        (MORE_THAN_120, ["iran"]),
        (MORE_THAN_120, ["Kyrgyz"]),
        ("Iranian officials attended the meeting.", ["Iran"]),
        (MCOF, ["IO"]),
        (CONVENED, ["Republic of Kazakhstan, with financial support provided by the EU"]),
    ],
)
def test_a_passage_states_no_other_name(passage: str, names: list[str]) -> None:
    assert not states_name(passage, names)


@pytest.mark.parametrize(
    ("passage", "city", "state"),
    [
        (FIRST_CONFERENCE, "Almaty", ["Kazakhstan"]),
        (FORUM_HEADING, "Ashgabat", ["Turkmenistan"]),
        (SECOND_SOM, "Astana", ["Republic of Kazakhstan", "Kazakhstan"]),
        (TRAINING, "Almaty", ["", "Kazakhstan"]),
        ("held in Almaty, the Republic of Kazakhstan", "Almaty", ["Republic of Kazakhstan"]),
        ("held in Astana (Kazakhstan)", "Astana", ["Kazakhstan"]),
    ],
)
def test_a_passage_places_a_city_in_its_state(passage: str, city: str, state: list[str]) -> None:
    assert states_place(passage, city, state)


@pytest.mark.parametrize(
    ("passage", "city", "state"),
    [
        (FIRST_CONFERENCE, "Almaty", ["Kyrgyzstan"]),
        (FIRST_CONFERENCE, "Astana", ["Kazakhstan"]),
        (FIRST_CONFERENCE, "Almaty", []),
        (FIRST_CONFERENCE, "Almaty", [""]),
        (HELD_IN_MARCH, "Almaty", ["Kazakhstan"]),
        (MORE_THAN_120, "Almaty", ["Kazakhstan"]),
        ("Almaty, Kazakhstani officials", "Almaty", ["Kazakhstan"]),
        ("in Almaty. Kazakhstan hosted", "Almaty", ["Kazakhstan"]),
    ],
)
def test_a_passage_places_a_city_in_no_other_state(
    passage: str, city: str, state: list[str]
) -> None:
    assert not states_place(passage, city, state)


@pytest.mark.parametrize(
    ("passage", "city", "written"),
    [
        (FIRST_CONFERENCE, "Almaty", True),
        (HELD_IN_MARCH, "Almaty", True),
        ("to be held in Istanbul, 26- 27 May 2016", "Istanbul", True),
        ("(Ashgabat, Turkmenistan)", "Ashgabat", True),
        ("took place in Astana (Kazakhstan)", "Astana", True),
        ("The Almaty Process, was launched as an RCP", "Almaty", False),
        ("the importance of the Almaty Process as a regional process", "Almaty", False),
        ("the Almaty Declaration", "Almaty", False),
        (FIRST_CONFERENCE, "Tashkent", False),
    ],
)
def test_a_city_is_written_as_a_place(passage: str, city: str, written: bool) -> None:
    assert states_city(passage, city) is written


@pytest.mark.parametrize(
    ("passage", "names", "others"),
    [
        (CONVENED, [PRM, "PRM"], ["U.S. Department of State"]),
        (CONVENED, [PRM], ["United States", "U.S.", "US"]),
        (
            "funded by the US Bureau of Population, Refugees and Migration",
            [PRM],
            ["United States", "U.S.", "US"],
        ),
        (DONORS, ["Department for International Development", "DFID"], ["United Kingdom", "UK"]),
        (EMERGENCIES, ["Committee of Emergencies"], ["Ministry of Internal Affairs"]),
        (EMERGENCIES, ["Committee of Emergencies"], ["Kazakhstan", "Republic of Kazakhstan"]),
        (EMERGENCIES, ["Ministry of Internal Affairs"], ["Republic of Kazakhstan"]),
        (EMERGENCIES, ["Sub-regional Office for Central Asia"], ["IOM"]),
        ("supported by IOM Development Fund", ["IOM Development Fund"], ["IOM"]),
        (DONORS, ["Embassy of Finland to the Republic of Kazakhstan"], ["Finland"]),
    ],
)
def test_a_passage_writes_a_name_as_part_of_another(
    passage: str, names: list[str], others: list[str]
) -> None:
    assert states_near(passage, names, others)


@pytest.mark.parametrize(
    ("passage", "names", "others"),
    [
        (CONVENED, [PRM, "PRM"], ["European Union", "EU"]),
        (CONVENED, [PRM], ["Government of the Republic of Kazakhstan"]),
        (DONORS, ["Department for International Development", "DFID"], ["United States", "US"]),
        (DONORS, ["United Nations Development Programme", "UNDP"], ["UNHCR"]),
        (FORUM, ["sub regional office for Central Asia"], ["Turkmenistan"]),
        (CO_ORGANIZED, ["IOM"], ["UNHCR"]),
        ("It thanked IOM. UNHCR spoke next.", ["IOM"], ["UNHCR"]),
        (
            "IOM, which has worked on migration in the region for many years now, thanked UNHCR",
            ["IOM"],
            ["UNHCR"],
        ),
        (CONVENED, [PRM], []),
    ],
)
def test_a_passage_writes_no_name_as_part_of_another(
    passage: str, names: list[str], others: list[str]
) -> None:
    assert not states_near(passage, names, others)


@pytest.mark.parametrize(
    ("passage", "term"),
    [
        (FIRST_CONFERENCE, EventKind.ministerial_conference),
        (FIRST_CONFERENCE, EventKind.conference),
        (SECOND_SOM, EventKind.senior_officials_meeting),
        (
            "the Chair of the Almaty Process, in addition to the 2nd SOM",
            EventKind.senior_officials_meeting,
        ),
        (NATIONAL_COORDINATORS, EventKind.national_coordinators_meeting),
        (NATIONAL_COORDINATORS.replace("\u2019", "'"), EventKind.national_coordinators_meeting),
        (NATIONAL_COORDINATORS, EventKind.meeting),
        (TRAINING_HEADING, EventKind.training),
        (FORUM_HEADING, EventKind.forum),
        (SUMMIT, EventKind.summit),
        (HELD_IN_MARCH, EventStatus.held),
        (SECOND_SOM, EventStatus.held),
        (MORE_THAN_120, EventStatus.held),
        (CHAIR_ROLE, EventStatus.held),
        (TRAINING, EventStatus.held),
        (COMMUNIQUE, EventStatus.held),
        (SUMMIT, EventStatus.planned),
        ("in the framework of the upcoming World Humanitarian Summit", EventStatus.planned),
        ("Almaty Process Key Events: [slide 5]", EventProcessRelation.key_event),
        (
            "IOM Regional Activities in Support to the Almaty Process: [slide 7]",
            EventProcessRelation.supporting_activity,
        ),
        (SUMMIT, EventRelationKind.prepares_for),
        (INITIATED, ProcessRole.initiator),
        ("The current chair is the Republic of Kazakhstan.", ProcessRole.chair),
        ("The Secretariat of the Almaty Process is the IOM", ProcessRole.secretariat),
        (SEVEN_MEMBERS, ProcessRole.member),
        ("are observer States.", ProcessRole.observer),
        ("among Almaty Process member states, observers and guest states", ProcessRole.observer),
        (
            "The meeting was organized by the Chair of the Almaty Process",
            ParticipationRole.organizer,
        ),
        (TRAINING, ParticipationRole.organizer),
        (CO_ORGANIZED, ParticipationRole.co_organizer),
        (DRR_HEADING, ParticipationRole.co_organizer),
        (HOSTED, ParticipationRole.host),
        (CONVENED, ParticipationRole.convener),
        ("with the support and \nparticipation of IOM and UNHCR", ParticipationRole.supporter),
        (CONVENED, ParticipationRole.funder),
        (HOSTED, ParticipationRole.funder),
        (MORE_THAN_120, ParticipationRole.participant),
        (GUESTS, ParticipationRole.participant),
        (SEVEN_MEMBERS, ParticipationRole.member_state),
        (GUESTS, ParticipationRole.observer_state),
        (GUESTS, ParticipationRole.guest_state),
        ("Vice Minister, Birzhan Nurymbetov, emphasized that", ParticipationRole.speaker),
        (FIELD_ASSESSMENT, ParticipationRole.presenter),
        ("was \nintroduced by UNHCR", ParticipationRole.presenter),
        ("designed and presented by IOM experts/trainers", ParticipationRole.trainer),
        (HELD_IN_MARCH, OutcomeRelation.adopted_at),
        (COMMUNIQUE, OutcomeRelation.endorsed_at),
        (COMMUNIQUE, OutcomeRelation.issued_at),
        (FIELD_ASSESSMENT, OutcomeRelation.presented_at),
        (HELD_IN_MARCH, DocumentKind.declaration),
        ("Regional Cooperation Framework and Regional Action Plan", DocumentKind.framework),
        ("Regional Cooperation Framework and Regional Action Plan", DocumentKind.action_plan),
        (COMMUNIQUE, DocumentKind.communique),
        ("Through the communiqué, member states endorsed", DocumentKind.communique),
        (COMMUNIQUE, DocumentKind.operating_modalities),
        (FIELD_ASSESSMENT, DocumentKind.report),
        (FIELD_ASSESSMENT, DocumentKind.assessment),
        (MCOF, DocumentKind.operational_framework),
        (
            "IOM\u2019s Migration \nCrisis Operation Framework (MCOF)",
            DocumentKind.operational_framework,
        ),
        (HOSTED, DocumentKind.resolution),
        (NEW_LAW, DocumentKind.law),
        ("and the Sustainable Development Agenda.", DocumentKind.agenda),
        (HELD_IN_MARCH, DocumentStatus.adopted),
        (COMMUNIQUE, DocumentStatus.adopted),
        (COMMUNIQUE, DocumentStatus.published),
        (FIELD_ASSESSMENT, DocumentStatus.published),
        (NEW_LAW, DocumentStatus.planned),
        (
            "The Regional Action Plan complements the Regional Cooperation Framework (RCF).",
            DocumentRelationKind.complements,
        ),
        ("member states endorsed the Operating Modalities", DocumentRelationKind.endorses),
        (
            "to guide Central Asian Governments in the implementation of the RCF",
            DocumentRelationKind.implements,
        ),
        ("donor community and private sector: the IOM", OrganizationKind.private_sector),
        (
            "the Embassy of Finland to the Republic of Kazakhstan",
            OrganizationKind.diplomatic_mission,
        ),
        ("supported by IOM Development Fund", OrganizationKind.fund),
        (
            "the Ministry of Internal Affairs, Committee of Emergencies",
            OrganizationKind.government_body,
        ),
    ],
)
def test_a_passage_states_its_terms(passage: str, term: StrEnum) -> None:
    assert states_term(passage, term)


@pytest.mark.parametrize(
    ("passage", "term"),
    [
        ("the International Organization for Migration (IOM)", ParticipationRole.organizer),
        (CO_ORGANIZED, ParticipationRole.organizer),
        ("The meeting was organized by the Chair", ParticipationRole.co_organizer),
        ("in close cooperation with IOM and UNHCR", ParticipationRole.co_organizer),
        (CO_ORGANIZED, ParticipationRole.funder),
        (HOSTED, ParticipationRole.organizer),
        (MORE_THAN_120, ParticipationRole.speaker),
        (SUMMIT, EventStatus.held),
        ("The next meeting will be organized by IOM.", EventStatus.held),
        (HELD_IN_MARCH, EventStatus.planned),
        (NEW_LAW, EventStatus.planned),
        (SUMMIT, DocumentStatus.planned),
        (FORUM_HEADING, EventKind.summit),
        (FIRST_CONFERENCE, EventKind.meeting),
        (FIRST_CONFERENCE, EventKind.senior_officials_meeting),
        ("Some consultations were held", EventKind.senior_officials_meeting),
        (NATIONAL_COORDINATORS, EventKind.ministerial_conference),
        ("implementation of initiatives to manage migration", ProcessRole.initiator),
        ("within the framework of the project", DocumentKind.framework),
        (
            "which aims to set the \nagenda for a more inclusive humanitarian system",
            DocumentKind.agenda,
        ),
        (MCOF, DocumentKind.report),
        (COMMUNIQUE, DocumentKind.declaration),
        (HELD_IN_MARCH, OutcomeRelation.endorsed_at),
        (COMMUNIQUE, OutcomeRelation.adopted_at),
        (COMMUNIQUE, DocumentStatus.planned),
        (INITIATED, ProcessRole.chair),
        (SEVEN_MEMBERS, ProcessRole.observer),
        (SEVEN_MEMBERS, ParticipationRole.observer_state),
        ("non-governmental organizations", OrganizationKind.intergovernmental),
        ("the United Nations High Commissioner for Refugees (UNHCR)", OrganizationKind.un_agency),
        ("the UN General Assembly Resolution", OrganizationKind.un_body),
        ("the Republic of Kazakhstan", ProcessRole.member),
    ],
)
def test_a_passage_states_no_other_term(passage: str, term: StrEnum) -> None:
    assert not states_term(passage, term)


@pytest.mark.parametrize(
    "vocabulary",
    [
        EventKind,
        EventStatus,
        EventProcessRelation,
        EventRelationKind,
        ProcessRole,
        ParticipationRole,
        OutcomeRelation,
        DocumentKind,
        DocumentStatus,
        DocumentRelationKind,
    ],
)
def test_every_value_of_a_vocabulary_has_cues(vocabulary: type[StrEnum]) -> None:
    # A heading lists documents under an event with no word for what the event did with them:
    # that relation is always the curators' reading, so it has no cues.
    without_words = {OutcomeRelation.listed_under}
    with_cues = {term for term, cues in TERMS[vocabulary].items() if cues}
    assert with_cues == set(vocabulary) - without_words


@pytest.mark.parametrize(
    ("passage", "vocabulary", "terms"),
    [
        (SUMMIT, EventStatus, {EventStatus.planned}),
        (
            "The participants of the regional event shared a common vision " + SUMMIT,
            EventStatus,
            {EventStatus.held, EventStatus.planned},
        ),
        (HELD_IN_MARCH, EventStatus, {EventStatus.held}),
        (FIRST_CONFERENCE, EventStatus, set()),
        (COMMUNIQUE, DocumentStatus, {DocumentStatus.adopted, DocumentStatus.published}),
        (NEW_LAW, DocumentStatus, {DocumentStatus.planned}),
        (NEW_LAW, EventStatus, set()),
    ],
)
def test_terms_in(passage: str, vocabulary: type[StrEnum], terms: set[StrEnum]) -> None:
    assert terms_in(passage, vocabulary) == terms


@pytest.mark.parametrize(
    ("passage", "term", "names"),
    [
        (
            FIELD_ASSESSMENT,
            DocumentKind.report,
            ["Mapping of Irregular Migration in Central Asia 2014"],
        ),
        (
            FIELD_ASSESSMENT,
            DocumentKind.assessment,
            [
                "Field assessment on re-entry banned migrants",
                "field assessment on re-entry banned migrants",
            ],
        ),
        (HOSTED, DocumentKind.resolution, ["Permanent neutrality of Turkmenistan"]),
        (
            "IOM\u2019s Migration \nCrisis Operation Framework (MCOF)",
            DocumentKind.operational_framework,
            ["Migration Crisis Operational Framework", "MCOF"],
        ),
        ("the \u201cMapping\u201d (2014) report", DocumentKind.report, ["Mapping"]),
        (COMMUNIQUE, DocumentKind.communique, ["Communiqué"]),
        (NEW_LAW, DocumentKind.law, ["law on the inclusion of NGOs within policy making"]),
        (SUMMIT, EventKind.summit, ["World Humanitarian Summit", "WHS"]),
        (
            FIRST_CONFERENCE,
            EventKind.ministerial_conference,
            ["First Regional Ministerial Conference"],
        ),
        (
            NATIONAL_COORDINATORS,
            EventKind.national_coordinators_meeting,
            ["National Coordinators\u2019 Meeting"],
        ),
    ],
)
def test_a_passage_says_what_a_named_thing_is(
    passage: str, term: StrEnum, names: list[str]
) -> None:
    assert states_term_next_to(passage, term, names)


@pytest.mark.parametrize(
    ("passage", "term", "names"),
    [
        (SUMMIT, EventKind.summit, ["regional forum"]),
        (SUMMIT, EventKind.forum, ["World Humanitarian Summit", "WHS"]),
        (
            "Regional Cooperation Framework and Regional Action Plan",
            DocumentKind.framework,
            ["Regional Action Plan"],
        ),
        (
            "Regional Cooperation Framework and Regional Action Plan",
            DocumentKind.action_plan,
            ["Regional Cooperation Framework", "RCF"],
        ),
        (COMMUNIQUE, DocumentKind.operating_modalities, ["Communiqué"]),
        (COMMUNIQUE, DocumentKind.communique, ["Operating Modalities"]),
        (
            FIELD_ASSESSMENT,
            DocumentKind.report,
            ["field assessment on re-entry banned migrants"],
        ),
        (
            FIELD_ASSESSMENT,
            DocumentKind.assessment,
            ["Mapping of Irregular Migration in Central Asia 2014"],
        ),
        (CHAIR_ROLE, EventKind.ministerial_conference, ["National Coordinators\u2019 Meeting"]),
        (
            "a report on what the Regional Action Plan says",
            DocumentKind.report,
            ["Regional Action Plan"],
        ),
        (FIELD_ASSESSMENT, DocumentKind.report, []),
    ],
)
def test_a_passage_says_nothing_else_of_what_a_named_thing_is(
    passage: str, term: StrEnum, names: list[str]
) -> None:
    assert not states_term_next_to(passage, term, names)


def test_a_value_shared_by_two_vocabularies_keeps_the_cues_of_each() -> None:
    assert states_term(SUMMIT, EventStatus.planned)
    assert not states_term(SUMMIT, DocumentStatus.planned)
    assert states_term(NEW_LAW, DocumentStatus.planned)
    assert not states_term(NEW_LAW, EventStatus.planned)
