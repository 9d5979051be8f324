"""Automatic persisted queries (Apollo's APQ): a GraphQL request names its query by the SHA-256
of its text, and sends the text only when the server does not know it yet.

A request carries `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`. Without a
`query`, a known hash runs the text registered under it; an unknown one is answered
PersistedQueryNotFound, and the client sends the text with its hash, which registers it once it
has run. A dashboard's queries thus become short GET URLs, kept by HTTP caches like any other.

Each process has its registry, bounded in entries and bytes, the least recently used dropped
first: a replica that never saw a hash (or dropped it) answers PersistedQueryNotFound, and the
client sends the text again. The HTTP edge keys answers by the hash too (`request_identity`), so
the GET of a hash and the GET of its text share one kept answer and one ETag.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from prometheus_client import Counter

from app.http.memo import BoundedStore, utf8_size

VERSION = 1
EXTENSION = "persistedQuery"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
OUTCOMES = Counter(
    "almaty_graphql_persisted_queries_total",
    "persisted GraphQL queries asked for by hash, found (hit) or not (miss), and registered",
    ["outcome"],
)


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run; `argument` names the part at fault."""

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


class PersistedQueryNotFoundError(PersistedQueryError):
    """A hash without its text, and this process does not know the text: send them both."""

    def __init__(self) -> None:
        # The exact words clients look for (Apollo Client matches the message or the code).
        super().__init__("PersistedQueryNotFound")


class PersistedQueryNotSupportedError(PersistedQueryError):
    """A version of the protocol other than 1, or persisted queries off: send the text."""


class PersistedQueryTooLargeError(PersistedQueryError):
    """A text longer than one registered query may be."""

    def __init__(self, size: int, maximum: int) -> None:
        super().__init__(
            f"the query is {size:,} bytes, more than the {maximum:,} a persisted query may be",
            argument="query",
        )
        self.size = size
        self.maximum = maximum


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def requested_hash(extensions: object) -> str | None:
    """The hash `extensions.persistedQuery` names, in lower case (None when there is none)."""
    if not isinstance(extensions, Mapping) or extensions.get(EXTENSION) is None:
        return None
    persisted = extensions[EXTENSION]
    where = f"extensions.{EXTENSION}"
    if not isinstance(persisted, Mapping):
        raise PersistedQueryError(
            f"{where} must be an object: {{version: 1, sha256Hash}}", argument=where
        )
    version = persisted.get("version")
    # `True == 1` in Python; JSON's true is no version.
    if isinstance(version, bool) or version != VERSION:
        raise PersistedQueryNotSupportedError(
            f"{where}.version: version {version!r} of persisted queries is not supported; "
            f"send version {VERSION}, or the query text alone",
            argument=f"{where}.version",
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise PersistedQueryError(
            f"{where}.sha256Hash must be the SHA-256 of the query text, 64 hexadecimal digits",
            argument=f"{where}.sha256Hash",
        )
    return digest.lower()


def _checked(query: str, digest: str) -> None:
    if sha256_hex(query) != digest:
        raise PersistedQueryError(
            "provided sha does not match query: extensions.persistedQuery.sha256Hash must be the "
            "SHA-256 of the query text sent with it",
            argument=f"extensions.{EXTENSION}.sha256Hash",
        )


def request_identity(query: object, extensions: object) -> tuple[str | None, object]:
    """The SHA-256 of the text a request runs, whether it sent the text or its hash, and its
    extensions without `persistedQuery`; (None, extensions) for a request that registers a
    query (the text and its hash: it must reach the registry, never a kept answer) or that
    cannot run (a malformed extension)."""
    if not isinstance(query, str | None) or not isinstance(extensions, Mapping | None):
        return None, extensions
    try:
        digest = requested_hash(extensions)
    except PersistedQueryError:
        return None, extensions
    if query is not None:
        if digest is not None:
            return None, extensions
        digest = sha256_hex(query)
    if digest is None:
        return None, extensions
    rest = {k: v for k, v in (extensions or {}).items() if k != EXTENSION}
    return digest, rest or None


@dataclass(frozen=True, slots=True)
class Resolved:
    """The text a request runs, and the hash to register it under once it ran (or None)."""

    query: str | None
    register: str | None


class PersistedQueries:
    """Query texts by their SHA-256: at most `entries`, `max_bytes` in all, `max_query_bytes`
    each (0 entries: persisted queries are off, and requests naming one are told so)."""

    def __init__(self, *, entries: int, max_bytes: int, max_query_bytes: int) -> None:
        # A text the registry could not hold is refused, not registered in vain.
        self.max_query_bytes = min(max_query_bytes, max_bytes)
        self._texts: BoundedStore[str, str] = BoundedStore(
            "graphql_persisted_queries", entries=entries, max_bytes=max_bytes
        )

    def __len__(self) -> int:
        return len(self._texts)

    def resolve(self, query: str | None, extensions: object) -> Resolved:
        """What a request runs: its own text, or the one its hash names."""
        digest = requested_hash(extensions)
        if digest is None:
            return Resolved(query, None)
        if self._texts.entries <= 0:
            raise PersistedQueryNotSupportedError(
                "PersistedQueryNotSupported: persisted queries are off on this server; send the "
                "query text alone",
                argument=f"extensions.{EXTENSION}",
            )
        if query is None:
            known = self._texts.find(digest)
            if known is None:
                OUTCOMES.labels("miss").inc()
                raise PersistedQueryNotFoundError
            OUTCOMES.labels("hit").inc()
            return Resolved(known, None)
        _checked(query, digest)
        # Characters first: a long text is refused without encoding it.
        if len(query) > self.max_query_bytes or utf8_size(query) > self.max_query_bytes:
            raise PersistedQueryTooLargeError(utf8_size(query), self.max_query_bytes)
        return Resolved(query, digest)

    def register(self, digest: str, query: str) -> None:
        """Keep `query` under its hash (the most recently used now)."""
        self._texts.put(digest, query, utf8_size(query))
        OUTCOMES.labels("registered").inc()
