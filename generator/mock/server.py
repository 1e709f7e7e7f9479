"""Bind the socket first (a busy port is one line, exit 2), then serve an ASGI app on uvicorn until a signal."""

from __future__ import annotations

import contextlib
import errno
import socket
from collections.abc import Iterator
from typing import Any

from ..errors import UsageError


def bind(host: str, port: int, command: str) -> socket.socket:
    """A listening socket, or a UsageError naming the address and the cause."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"specfirst {command}: cannot resolve --host {host!r}: {exc.strerror}") from None
    family, _, proto, _, address = infos[0]
    # the protocol too (IPPROTO_TCP): asyncio sets TCP_NODELAY on the connections of a TCP socket only, and
    # without it a response written as headers then body waits for the client's delayed ACK (about 40 ms)
    sock = socket.socket(family, socket.SOCK_STREAM, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(1024)
    except OSError as exc:
        sock.close()
        why = "address already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise UsageError(f"specfirst {command}: cannot listen on {host}:{port}: {why}") from None
    sock.set_inheritable(True)
    return sock


def serve(app: Any, sock: socket.socket, *, date_header: bool = True) -> None:
    """Run uvicorn (h11: bounded header size) on the bound socket until SIGINT/SIGTERM."""
    import uvicorn

    config = uvicorn.Config(
        app,
        http="h11",
        lifespan="off",
        log_level="warning",
        access_log=False,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=64 * 1024,
        server_header=False,
        date_header=date_header,
    )

    class Server(uvicorn.Server):
        """uvicorn's server, minus re-raising the signal after a graceful stop (the caller still has work)."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                yield
                self._captured_signals.clear()

    Server(config).run(sockets=[sock])
