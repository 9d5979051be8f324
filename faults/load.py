"""Clients that keep the service busy during a fault and classify every outcome.

32 clients on keep-alive connections cycle through a REST list, a REST detail and a GraphQL
list with participants; one more client asks for `/health` every 50 ms on a connection of its
own, so that its latency is measured apart. The clients run on an event loop in a thread of
their own, pinned to CPU 0 (the service is pinned to CPU 1), while the caller faults the
database.
"""

import asyncio
import errno
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx2

CLIENT_TIMEOUT = 15.0
HEALTH_EVERY = 0.05
DETAIL_SLUG = "first-som-2014"
GRAPHQL_LIST = (
    "{ events(first: 50) { nodes { slug title participants { role state { code } "
    "organization { slug } } } } }"
)
PROBLEM_JSON = "application/problem+json"
# GraphQL answers its failures with 200 and an error code: these two are its 503s.
GRAPHQL_ANSWERED = frozenset({"SERVICE_UNAVAILABLE", "TIME_LIMIT"})


@dataclass(frozen=True)
class Request:
    """One kind of request of the mix, and where its body names the detail event's title."""

    kind: str
    method: str
    path: str
    body: dict[str, Any] | None = None

    def title_in(self, body: Any) -> str | None:
        """The detail event's title as this answer gives it (None: the answer does not hold it)."""
        if self.kind == "graphql":
            nodes = body["data"]["events"]["nodes"]
        elif self.kind == "rest-list":
            nodes = body["items"]
        else:
            return str(body["title"])
        return next((str(n["title"]) for n in nodes if n["slug"] == DETAIL_SLUG), None)


MIX = (
    Request("rest-list", "GET", "/api/v1/events?limit=50&sort=title"),
    Request("rest-detail", "GET", f"/api/v1/events/{DETAIL_SLUG}"),
    Request("graphql", "POST", "/graphql", {"query": GRAPHQL_LIST}),
)
HEALTH = Request("health", "GET", "/health")


@dataclass(frozen=True)
class Outcome:
    """One request: when it began, how long it took, and what came of it.

    `result` is the HTTP status ("200", "503", "500", ...), `graphql:<code>` for a GraphQL
    answer holding errors, or what happened to the connection: `reset` (closed or reset under
    the request), `refused`, `timeout` (no answer within CLIENT_TIMEOUT), `error:<name>`.
    """

    kind: str
    began: float
    seconds: float
    result: str
    problem_json: bool = False
    version: str | None = None
    title: str | None = None

    @property
    def ok(self) -> bool:
        return self.result == "200"

    @property
    def ended(self) -> float:
        return self.began + self.seconds


def _transport_failure(error: httpx2.TransportError) -> str:
    if isinstance(error, httpx2.TimeoutException):
        return "timeout"
    if isinstance(error, httpx2.ConnectError):
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED:
                return "refused"
            cause = cause.__cause__ or cause.__context__
        return "refused" if "refused" in str(error).lower() else "error:ConnectError"
    if isinstance(error, httpx2.ReadError | httpx2.WriteError | httpx2.RemoteProtocolError):
        return "reset"
    return f"error:{type(error).__name__}"


def _graphql_code(body: Any) -> str | None:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return None
    extensions = errors[0].get("extensions") or {}
    if extensions.get("limit") == "time":
        return "TIME_LIMIT"
    return str(extensions.get("code") or "UNEXPECTED")


async def _one(client: httpx2.AsyncClient, request: Request) -> Outcome:
    began = time.monotonic()
    try:
        response = await client.request(request.method, request.path, json=request.body)
    except httpx2.TransportError as error:
        return Outcome(request.kind, began, time.monotonic() - began, _transport_failure(error))
    seconds = time.monotonic() - began
    status = response.status_code
    version = response.headers.get("x-data-version")
    if status != 200:
        problem = response.headers.get("content-type", "").startswith(PROBLEM_JSON)
        return Outcome(request.kind, began, seconds, str(status), problem, version)
    if request.kind == "health":
        return Outcome(request.kind, began, seconds, "200")
    body = response.json()
    code = _graphql_code(body) if request.kind == "graphql" else None
    if code is not None:
        return Outcome(request.kind, began, seconds, f"graphql:{code}", False, version)
    return Outcome(request.kind, began, seconds, "200", False, version, request.title_in(body))


class Load:
    """Start it, fault the service's database meanwhile, stop it: every outcome is kept."""

    def __init__(
        self,
        base: str,
        *,
        clients: int = 32,
        mix: Sequence[Request] = MIX,
        cpu: int | None = 0,
        on_outcome: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.base = base
        self.clients = clients
        self.mix = mix
        self.cpu = cpu
        self.on_outcome = on_outcome
        self.outcomes: list[Outcome] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fault-load", daemon=True)
        self._failure: BaseException | None = None

    def start(self) -> "Load":
        self._thread.start()
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        # Each request is bounded by CLIENT_TIMEOUT: the clients end within it.
        self._thread.join(timeout=CLIENT_TIMEOUT + 10)
        if self._failure is not None:
            raise RuntimeError("the load clients failed") from self._failure
        return list(self.outcomes)

    def snapshot(self) -> list[Outcome]:
        return list(self.outcomes)

    def _run(self) -> None:
        if self.cpu is not None and self.cpu < (os.cpu_count() or 1):
            # The calling thread only: the caller's own work and its subprocesses stay unpinned.
            os.sched_setaffinity(0, {self.cpu})
        try:
            asyncio.run(self._main())
        except BaseException as error:
            self._failure = error

    def _keep(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    async def _main(self) -> None:
        await asyncio.gather(
            *(self._client(number) for number in range(self.clients)), self._health()
        )

    async def _client(self, number: int) -> None:
        async with httpx2.AsyncClient(base_url=self.base, timeout=CLIENT_TIMEOUT) as client:
            turn = number
            while not self._stop.is_set():
                outcome = await _one(client, self.mix[turn % len(self.mix)])
                turn += 1
                self._keep(outcome)
                if outcome.result == "refused":
                    await asyncio.sleep(0.05)  # the service is down: do not spin

    async def _health(self) -> None:
        async with httpx2.AsyncClient(base_url=self.base, timeout=CLIENT_TIMEOUT) as client:
            while not self._stop.is_set():
                self._keep(await _one(client, HEALTH))
                await asyncio.sleep(HEALTH_EVERY)
