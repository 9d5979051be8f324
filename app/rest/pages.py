"""Events as small HTML pages, for people and crawlers: no script, no CDN, the JSON-LD embedded
in each event's page, and an index of them filtered as the API filters."""

import types
from datetime import date
from enum import Enum
from html import escape
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from urllib.parse import urlencode

import annotated_types
import orjson
from pydantic.fields import FieldInfo

from app.queries.pagination import Listing
from app.rest.params import EventIndexParams
from app.schemas.common import Participant, Source
from app.schemas.events import EventDetail, EventSummary

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"
    "blockquote{margin:.3rem 0 .8rem 1rem;padding-left:.8rem;border-left:3px solid #bbb;"
    "color:#333}small{color:#555}"
    "form{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.6rem 1rem}"
    "form p,form h2{margin:0}form h2{grid-column:1/-1}label{display:block;font-weight:600}"
    "form small{display:block}"
    "input:not([type=checkbox]),select{box-sizing:border-box;width:100%;font:inherit;"
    "padding:.3rem}.check label{display:inline}button{font:inherit;padding:.4rem 1rem}"
    "ol li{margin:.5rem 0}nav a{margin-right:1rem}"
)


def page_start(title: str, *, style: str | None) -> str:
    """The start of every page: language, encoding, a phone's viewport, title, and its style
    inline (None: a page whose policy allows no inline style links its own)."""
    inline = f"<style>{style}</style>" if style is not None else ""
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{inline}"
    )


def _head(title: str) -> str:
    return page_start(title, style=_STYLE)


def _who(entry: Participant) -> str:
    if entry.organization is not None:
        name = entry.organization.name
        return f"{name} ({entry.organization.acronym})" if entry.organization.acronym else name
    if entry.state is not None:
        return entry.state.name
    return entry.person.name if entry.person is not None else ""


def _quotes(sources: list[Source]) -> str:
    """Each passage, word for word, with where it stands in its document."""
    return "".join(
        f"<blockquote>{escape(' '.join(source.quote.split()))}<br><small>{escape(source.document)}"
        f", characters {source.start} to {source.end}"
        + (f", slide {source.slide}" if source.slide is not None else "")
        + "</small></blockquote>"
        for source in sources
    )


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no "</script>", no "<!--", no "&" reach the parser.

    JSON allows \\u escapes for any character, so the data reads the same.
    """
    text = orjson.dumps(data).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _when_and_where(event: EventDetail | EventSummary) -> tuple[str, str]:
    """An event's dates as the source gives them, and its city and host country."""
    dates = (
        event.start_date
        if event.start_date == event.end_date
        else f"{event.start_date} to {event.end_date}"
    )
    place = ", ".join(
        part for part in (event.city, event.country.name if event.country else None) if part
    )
    return dates, place


def event_page(
    event: EventDetail, *, page_url: str, json_url: str, jsonld: dict[str, Any]
) -> bytes:
    """The event, its participants, its outcome documents, each with the passages that say so."""
    dates, place = _when_and_where(event)
    facts = [dates, place, event.status.value.replace("_", " ")]
    participants = "".join(
        f"<li>{escape(_who(p))} — {escape(p.role.value.replace('_', ' '))}"
        f"<details><summary>passages</summary>{_quotes(p.sources)}</details></li>"
        for p in event.participants
    )
    outcomes = "".join(
        f"<li>{escape(o.document.title)} — {escape(o.relation.value.replace('_', ' '))}"
        f"<details><summary>passages</summary>{_quotes(o.sources)}</details></li>"
        for o in event.outcomes
    )
    embedded = script_json(jsonld)
    parts = [
        _head(event.title),
        f'<link rel=canonical href="{escape(page_url)}">',
        f'<link rel=alternate type="application/json" href="{escape(json_url)}">',
        f'<script type="application/ld+json">{embedded}</script>',
        f"<h1>{escape(event.title)}</h1>",
        f"<p>{escape(' · '.join(fact for fact in facts if fact))}</p>",
        f"<p>{escape(' '.join(event.summary.split()))}</p>" if event.summary else "",
        "<h2>What the source says</h2>",
        _quotes(event.sources),
        f"<h2>Participants</h2><ul>{participants}</ul>" if participants else "",
        f"<h2>Documents</h2><ul>{outcomes}</ul>" if outcomes else "",
        f'<p><a href="{escape(json_url)}">This event as JSON</a>, with every value\'s claims.</p>',
    ]
    return "".join(parts).encode()


# The index's paging parameters; every other parameter of the list is a field of its form.
_PAGING = {"limit", "cursor", "before"}
_LABELS = {"q": "Words", "process_relation": "Relation to the process", "related": "Referred to"}
_OPTION_LABELS = {"-start_date": "start date, newest first"}


def _plain(annotation: Any) -> Any:
    """The type a field holds, without None and without its Annotated metadata."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        held = [a for a in get_args(annotation) if a is not type(None)]
        # A value of one of several types is typed in as text, which the model then checks.
        return _plain(held[0]) if len(held) == 1 else str
    return annotation


def _limits(field: FieldInfo) -> str:
    """The bounds the model checks, as the input's own attributes."""
    attributes = ""
    for rule in field.metadata:
        if isinstance(rule, annotated_types.Ge):
            attributes += f" min={rule.ge}"
        elif isinstance(rule, annotated_types.Le):
            attributes += f" max={rule.le}"
        elif isinstance(rule, annotated_types.MaxLen):
            attributes += f" maxlength={rule.max_length}"
    return attributes


def _control(name: str, field: FieldInfo, value: Any) -> str:
    """One labelled form control for a filter, its description as the hint it is read with."""
    kind = _plain(field.annotation)
    ident = f"f-{name}"
    named = _LABELS.get(name, name.replace("_", " ").capitalize())
    label = f"<label for={ident}>{escape(named)}</label>"
    hint = (
        f"<small id={ident}-hint>{escape(field.description)}</small>" if field.description else ""
    )
    common = f"id={ident} name={name}{f' aria-describedby={ident}-hint' if hint else ''}"
    if kind is bool:
        checked = " checked" if value else ""
        return (
            f"<p class=check><input type=checkbox {common} value=true{checked}> {label}{hint}</p>"
        )
    if get_origin(kind) is Literal or (isinstance(kind, type) and issubclass(kind, Enum)):
        values = [str(v) for v in (get_args(kind) if get_origin(kind) is Literal else kind)]
        chosen = str(value.value if isinstance(value, Enum) else value) if value is not None else ""
        options = [] if field.default is not None else ["<option value=''>any</option>"]
        options += [
            f"<option value={escape(v)}{' selected' if v == chosen else ''}>"
            f"{escape(_OPTION_LABELS.get(v, v.replace('_', ' ')))}</option>"
            for v in values
        ]
        return f"<p>{label}<select {common}>{''.join(options)}</select>{hint}</p>"
    if kind is int:
        shown = "" if value is None else str(value)
        control = f'<input type=number inputmode=numeric {common}{_limits(field)} value="{shown}">'
    elif kind is date:
        shown = "" if value is None else value.isoformat()
        control = f'<input type=date {common} value="{shown}">'
    else:
        shown = "" if value is None else escape(str(value))
        control = f'<input type=text {common}{_limits(field)} value="{shown}">'
    return f"<p>{label}{control}{hint}</p>"


def index_url(params: EventIndexParams, **paging: str | None) -> str:
    """The index under the same filters (only those set) and order, at the page `paging` names."""
    query = params.model_dump(mode="json", exclude_defaults=True, exclude={"cursor", "before"})
    query |= {k: v for k, v in paging.items() if v}
    return "/events" + (f"?{urlencode(query)}" if query else "")


def _item(event: EventSummary) -> str:
    dates, place = _when_and_where(event)
    facts = [dates, place, event.kind.value.replace("_", " "), event.status.value]
    return (
        f'<li><a href="/events/{escape(event.slug)}">{escape(event.title)}</a><br>'
        f"<small>{escape(' · '.join(fact for fact in facts if fact))}</small></li>"
    )


def events_index_page(listing: Listing[EventSummary], *, params: EventIndexParams) -> bytes:
    """A page of the events the filters select, in order, each linked to its page; the filters
    as a form that asks for this page again; links to the pages before and after."""
    page = listing.page
    controls = "".join(
        _control(name, field, getattr(params, name))
        for name, field in EventIndexParams.model_fields.items()
        if name not in _PAGING
    )
    if params.limit != EventIndexParams.model_fields["limit"].default:
        controls += f"<input type=hidden name=limit value={params.limit}>"
    items = "".join(_item(event) for event in page.items)
    previous = listing.previous_cursor and index_url(params, before=listing.previous_cursor)
    following = page.next_cursor and index_url(params, cursor=page.next_cursor)
    first = (params.cursor or params.before) and index_url(params)
    paging = "".join(
        f'<a rel={rel} href="{escape(href)}">{text}</a>'
        for rel, href, text in (
            ("first", first, "First page"),
            ("prev", previous, "Previous page"),
            ("next", following, "Next page"),
        )
        if href
    )
    head_links = "".join(
        f'<link rel={rel} href="{escape(href)}">'
        for rel, href in (("prev", previous), ("next", following))
        if href
    )
    related = (
        ""
        if params.related
        else f'<p><a href="{escape(index_url(params.model_copy(update={"related": True})))}">'
        "Also the events the documents only refer to</a></p>"
    )
    api = "/api/v1/events" + index_url(params).removeprefix("/events")
    shown = f"{len(page.items)} of {page.total}" if page.total > len(page.items) else page.total
    parts = [
        _head("Events — Almaty Process open data"),
        head_links,
        '<header><nav aria-label="Site"><a href="/">Almaty Process open data</a>'
        # On a phone the form fills the first screens: the list is one link away.
        "<a href=#results>Skip to the events</a></nav></header>",
        "<main><h1>Events</h1>",
        '<form role=search method=get action="/events" aria-labelledby=filters-title>',
        "<h2 id=filters-title>Filters</h2>",
        controls,
        "<p><button type=submit>Show events</button></p></form>",
        f"<h2 id=results>Matching events: {shown}</h2>",
        f"<ol>{items}</ol>" if items else "<p>No event matches these filters.</p>",
        f'<nav aria-label="Pages of events">{paging}</nav>' if paging else "",
        related,
        f'<p><a href="{escape(api)}">These events as JSON</a> (the API, filtered alike).</p>',
        "</main>",
    ]
    return "".join(parts).encode()
