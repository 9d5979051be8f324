"""Events as small HTML pages, for people and crawlers: no script, no CDN, the JSON-LD embedded."""

from html import escape
from typing import Any

import orjson

from app.schemas.common import Participant, Source
from app.schemas.events import EventDetail

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"
    "blockquote{margin:.3rem 0 .8rem 1rem;padding-left:.8rem;border-left:3px solid #bbb;"
    "color:#333}small{color:#555}"
)


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


def event_page(
    event: EventDetail, *, page_url: str, json_url: str, jsonld: dict[str, Any]
) -> bytes:
    """The event, its participants, its outcome documents, each with the passages that say so."""
    dates = (
        event.start_date
        if event.start_date == event.end_date
        else f"{event.start_date} to {event.end_date}"
    )
    place = ", ".join(
        part for part in (event.city, event.country.name if event.country else None) if part
    )
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
        "<!doctype html><html lang=en><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width, initial-scale=1">',
        f"<title>{escape(event.title)}</title><style>{_STYLE}</style>",
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
