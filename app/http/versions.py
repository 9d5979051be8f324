"""The data version the service answers from, known without a query per request.

A seed load is the only writer, and it changes the version. So the version is checked at most
once per `DATA_VERSION_CHECK` seconds, by the first request after the interval, in a worker
thread; requests arriving while that check runs wait for its result rather than starting their
own. A reload by another process (`almaty seed load`, another replica's setup) therefore shows
within the interval plus one query; a reload in this process, or an answer that a route read
from a newer version, makes the next request check at once.

Whoever keys anything by this version must also check what the answer itself was read from:
a route reads the version in its own transaction (`X-Data-Version`), and that one wins.
"""

import asyncio
import time
import weakref
from dataclasses import dataclass, field

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool

from app import budget
from app.config import settings
from app.errors import OverBudgetError
from app.queries.changes import current_version, loads_here

_names: weakref.WeakKeyDictionary[sa.Engine, str] = weakref.WeakKeyDictionary()


def database_of(engine: sa.Engine) -> str:
    """The database an engine reads, by URL: tests open many engines, some on one database."""
    name = _names.get(engine)
    if name is None:
        name = _names[engine] = engine.url.render_as_string()
    return name


@dataclass
class _Known:
    version: str | None = None
    checked: float = float("-inf")
    reloads: int = 0
    pending: asyncio.Future[str | None] | None = None


@dataclass
class VersionWatcher:
    """The latest data version of each database, refreshed once per `interval` seconds."""

    interval: float
    _known: dict[str, _Known] = field(default_factory=dict)

    async def current(self, engine: sa.Engine) -> str | None:
        """The version a request should expect; None when the data is not loaded or unreadable."""
        known = self._known.setdefault(database_of(engine), _Known())
        if known.reloads == loads_here() and time.monotonic() - known.checked < self.interval:
            return known.version
        return await self.refresh(engine)

    async def refresh(self, engine: sa.Engine) -> str | None:
        """Check now (or join the check under way) and return what it found."""
        known = self._known.setdefault(database_of(engine), _Known())
        if known.pending is None:
            known.pending = asyncio.ensure_future(self._check(engine, known))
        return await asyncio.shield(known.pending)

    @staticmethod
    async def _check(engine: sa.Engine, known: _Known) -> str | None:
        known.reloads = loads_here()
        # Bounded as a request's reads are: a database that stopped answering fails the check
        # (the watchdog cuts its connection) instead of holding every request that waits for it.
        budget.current.set(budget.Budget(deadline=time.monotonic() + settings.request_time_budget))
        try:
            found = await run_in_threadpool(current_version, engine)
            known.version = found.version if found else None
        except (sa.exc.SQLAlchemyError, OverBudgetError):
            # The database is away: the routes say so; what was read before stays true.
            pass
        finally:
            known.checked = time.monotonic()
            known.pending = None
        return known.version

    def outdated(self, engine: sa.Engine) -> None:
        """A route read another version than expected: check again on the next request."""
        self._known.get(database_of(engine), _Known()).checked = float("-inf")
