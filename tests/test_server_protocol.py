"""The guard on uvicorn's internals: `BoundedHeadProtocol` overrides hooks of uvicorn's httptools
protocol and reads its attributes (`loop`, `transport`, `cycle`), which uvicorn does not promise
to keep. Here it serves real connections on a loopback port, in this process, fast: an upgrade of
uvicorn that renames what it relies on fails this test, not only the slow live ones."""

import asyncio
import inspect
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from app.config import settings
from app.http.server import MAX_HEAD_BYTES, BoundedHeadProtocol

OVERRIDDEN = (
    "connection_made",
    "connection_lost",
    "on_message_begin",
    "on_url",
    "on_header",
    "on_headers_complete",
)


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]}
    )
    await send({"type": "http.response.body", "body": b"hello"})


def test_every_hook_it_overrides_is_uvicorn_s_with_the_same_parameters() -> None:
    mine = {name for name in vars(BoundedHeadProtocol) if not name.startswith("_")}
    assert mine == set(OVERRIDDEN)
    for name in OVERRIDDEN:
        theirs = getattr(HttpToolsProtocol, name, None)
        assert theirs is not None, f"uvicorn's protocol no longer has {name}"
        ours = getattr(BoundedHeadProtocol, name)
        assert inspect.signature(ours).parameters.keys() == (
            inspect.signature(theirs).parameters.keys()
        ), name


async def _serve_and_probe() -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    config = Config(app=_hello, lifespan="off", log_config=None)
    config.load()
    state = ServerState()
    server = await loop.create_server(
        lambda: BoundedHeadProtocol(config=config, server_state=state, app_state={}, _loop=loop),
        "127.0.0.1",
        0,
    )
    port = server.sockets[0].getsockname()[1]
    found: dict[str, Any] = {}
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        found["answer"] = await asyncio.wait_for(reader.readuntil(b"hello"), 5)
        # A head that never ends: closed at the deadline, though the connection was in use.
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")
        found["stalled"] = await asyncio.wait_for(reader.read(1024), 5)
        writer.close()

        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /" + b"a" * (MAX_HEAD_BYTES + 1) + b" HTTP/1.1\r\n")
        found["too_large"] = await asyncio.wait_for(reader.read(1024), 5)
        writer.close()
    finally:
        server.close()
        await server.wait_closed()
    return found


def test_it_serves_bounds_a_stalled_head_and_refuses_a_huge_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "header_timeout", 0.3)

    found = asyncio.run(_serve_and_probe())

    assert found["answer"].startswith(b"HTTP/1.1 200 OK")
    assert found["answer"].endswith(b"hello")
    assert found["stalled"] == b""  # closed, nothing more said
    assert found["too_large"].startswith(b"HTTP/1.1 400")
