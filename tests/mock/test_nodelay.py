"""The mock and the proxy answer without Nagle's delay: their connections have TCP_NODELAY (asyncio sets it only
on the connections of a socket made for TCP; without it a response written as headers, then body, waited for
the client's delayed ACK, about 40 ms, and the mock served about 180 requests a second)."""

from __future__ import annotations

import asyncio
import socket

from generator.mock.server import bind


def test_served_connections_have_tcp_nodelay() -> None:
    listening = bind("127.0.0.1", 0, "mock")
    port = listening.getsockname()[1]
    seen: list[int] = []

    async def main() -> None:
        def connected(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listening)
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await reader.read()  # the server closes the connection once it has looked at it
            writer.close()

    asyncio.run(main())
    assert seen and seen[0] != 0
