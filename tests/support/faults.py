"""Databases that misbehave on purpose, on loopback: locked, unreachable, or hung."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import threading
from collections.abc import Iterator

from tests.support.servers import free_port


@contextlib.contextmanager
def sqlite_write_lock(path: str) -> Iterator[None]:
    """Another connection holds SQLite's write lock until the block ends."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.execute("ROLLBACK")
        connection.close()


def closed_port_url() -> str:
    """PostgreSQL on a port where nothing listens: connections are refused at once."""
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test"


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A TCP listener that accepts connections and never answers: a hung PostgreSQL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{listener.getsockname()[1]}/test"
    finally:
        stop.set()
        thread.join()
        for sock in accepted:
            sock.close()
        listener.close()


class FreezingProxy:
    """A TCP proxy to a real server that can freeze: connections stay open, nothing gets through.

    Like a PostgreSQL that hangs after connections were made (the kernel still acknowledges
    what is sent, so TCP keepalives and timeouts never fire).
    """

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.thawed = threading.Event()
        self.thawed.set()
        self._closing = False
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def port(self) -> int:
        return self.listener.getsockname()[1]

    def freeze(self) -> None:
        self.thawed.clear()

    def thaw(self) -> None:
        self.thawed.set()

    def close(self) -> None:
        self._closing = True
        self.thawed.set()
        for sock in [self.listener, *self._sockets]:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client = self.listener.accept()[0]
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.thawed.wait()
                if self._closing:
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)
