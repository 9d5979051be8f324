"""How long a request may keep the database busy, and whether anyone still waits for it.

The budget travels with the request as a context variable, which the worker thread that runs a
sync route inherits. The database layer looks at it between statements (both databases) and
while a statement runs (SQLite's progress handler), so that a request whose client has gone or
whose time is up stops and frees its memory instead of running on in its thread.

A PostgreSQL server that stops answering (frozen, or cut off without a reset) is another matter:
its socket stays open, the kernel still acknowledges, no timeout of the server's fires, and the
thread reading it waits for as long as the server does. So a watchdog thread looks at the
connections that requests hold: once a request's deadline and a grace have passed while it still
waits on one, it shuts that connection's socket down, and the read waiting on it fails at once.
"""

import os
import socket
import threading
import time
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass

from app.errors import OverBudgetError

# How long past its deadline a request may still wait on the database before its connection is
# cut. Within it, the statement timeout (set to what the request has left) or the next budget
# check stops it more gently.
GRACE = 0.5
# How often the watchdog looks, while any request holds a connection: how late past the grace
# a cut may come.
TICK = 0.1


@dataclass(slots=True)
class Budget:
    deadline: float
    abandoned: bool = False
    # Whether the request waits on the database (a statement, a ping, the end of a transaction).
    busy: bool = False
    # Whether the watchdog cut a connection the request held.
    cut: bool = False

    def spent(self) -> bool:
        return self.abandoned or time.monotonic() > self.deadline


current: ContextVar[Budget | None] = ContextVar("request_budget", default=None)


class Connection:
    """A pooled database connection's socket, and the request's budget holding it, if any."""

    __slots__ = ("budget", "fd", "fresh", "inode")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.inode = os.fstat(fd).st_ino
        self.budget: Budget | None = None
        # Not yet handed to anyone since it was opened.
        self.fresh = True

    def cut(self) -> None:
        """Shut the socket down: a thread blocked reading it gets an error instead of waiting."""
        # On a duplicate: the driver's own descriptor stays its to close. The driver may have
        # closed it already and the number been reused: the inode tells whether it is ours.
        with (
            suppress(OSError),
            socket.fromfd(self.fd, socket.AF_INET, socket.SOCK_STREAM) as duplicate,
        ):
            if os.fstat(duplicate.fileno()).st_ino == self.inode:
                duplicate.shutdown(socket.SHUT_RDWR)


# The connections that requests with a budget hold now. Taken and given back in worker threads,
# read by the watchdog's thread: under the condition, a connection is only ever cut while the
# request that is out of time still holds it.
_held: set[Connection] = set()
_watching = threading.Condition()
_watchdog: threading.Thread | None = None


def _watchdog_loop() -> None:
    """The watchdog: cuts each held connection that a request still waits on past its time.

    One thread for the process rather than a timer per request: a request pays nothing for it,
    and a deadline brought forward (GraphQL's own budget) is seen at the next look.
    """
    while True:
        with _watching:
            while not _held:
                _watching.wait()
            late = time.monotonic() - GRACE
            for connection in _held:
                budget = connection.budget
                if budget is not None and budget.busy and budget.deadline < late:
                    budget.cut = True
                    connection.cut()
        time.sleep(TICK)


def hold(connection: Connection) -> Budget | None:
    """The current request takes `connection` from the pool; its budget, if it has one."""
    global _watchdog
    budget = current.get()
    if budget is None:
        return None
    with _watching:
        if _watchdog is None:
            _watchdog = threading.Thread(
                target=_watchdog_loop, name="database-watchdog", daemon=True
            )
            _watchdog.start()
        connection.budget = budget
        if not _held:
            _watching.notify()
        _held.add(connection)
    return budget


def release(connection: Connection) -> None:
    """Whoever held `connection` gives it back (to the pool, or closes it)."""
    if connection.budget is not None:
        with _watching:
            connection.budget = None
            _held.discard(connection)


def check() -> None:
    """Raise OverBudgetError when the current request is out of time or abandoned."""
    budget = current.get()
    if budget is not None and budget.spent():
        reason = "its client left" if budget.abandoned else "it ran out of time"
        raise OverBudgetError(f"the request was stopped: {reason}")


def spent() -> bool:
    budget = current.get()
    return budget is not None and budget.spent()


def remaining() -> float | None:
    """Seconds the current request has left; None outside a request."""
    budget = current.get()
    return None if budget is None else budget.deadline - time.monotonic()


def waiting(busy: bool) -> None:
    """The current request starts (True) or stops (False) waiting on the database."""
    budget = current.get()
    if budget is not None:
        budget.busy = busy
