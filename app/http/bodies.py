"""Reading a request body ahead of the app, and handing it on as if it had not been read."""

from dataclasses import dataclass

from starlette.types import Message, Receive


@dataclass(frozen=True, slots=True)
class ReadBody:
    """What came of a request's body: the bytes read, whether they are all of it (`ended`), and
    whether the client left before the end."""

    data: bytes
    ended: bool
    disconnected: bool


async def read_body(receive: Receive, *, limit: int) -> ReadBody:
    """The body, read until its end, until the client leaves, or until it passes `limit` bytes
    (then what was read: longer than `limit`, and not ended unless that was the last chunk)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return ReadBody(b"".join(chunks), ended=False, disconnected=True)
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        more = message.get("more_body", False)
        if not more or size > limit:
            return ReadBody(b"".join(chunks), ended=not more, disconnected=False)


def replay(read: ReadBody, receive: Receive) -> Receive:
    """A receive that first gives what was read (or the disconnect that ended it), then what
    the connection says next."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        if read.disconnected:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": read.data, "more_body": not read.ended}

    return replayed
