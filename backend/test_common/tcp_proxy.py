"""A small TCP proxy that a test can cut and restore, to take a server "off the network".

Point a client (an app server's DATABASE_URL) at ``proxy.port``; ``cut()`` drops
every forwarded connection and stops listening, so new connections are refused at
once (no waiting for a timeout); ``restore()`` listens again on the same port.
"""

import socket
import threading

ACCEPT_POLL_SECONDS = 0.05
CHUNK = 65536


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0  # chosen by the system when the proxy first listens
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()

    def __enter__(self) -> "TcpProxy":
        self.restore()
        return self

    def __exit__(self, *exc_info) -> None:
        self.cut()

    @property
    def is_cut(self) -> bool:
        return self._listener is None

    def restore(self) -> None:
        """Listen (again) on the proxy's port and forward new connections."""
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            listener.settimeout(ACCEPT_POLL_SECONDS)
            self.port = listener.getsockname()[1]
            self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Drop every forwarded connection and refuse new ones until ``restore()``."""
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        if listener is not None:
            _shutdown(listener)  # wakes the accept loop
            listener.close()
        for sock in connections:
            # shutdown, not close: a pump thread may still be reading this socket.
            _shutdown(sock)

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed by cut()
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut while connecting
                    client.close()
                    upstream.close()
                    return
                self._connections.update((client, upstream))
            pair = _Pair(client, upstream, self._forget)
            threading.Thread(target=pair.pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pair.pump, args=(upstream, client), daemon=True).start()

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            self._connections.difference_update(socks)


class _Pair:
    """Two sockets forwarded both ways; the last pump to stop closes them."""

    def __init__(self, a: socket.socket, b: socket.socket, forget):
        self.sockets = (a, b)
        self.forget = forget
        self.running = 2
        self.lock = threading.Lock()

    def pump(self, source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK):
                destination.sendall(data)
        except OSError:
            pass
        for sock in self.sockets:
            _shutdown(sock)
        with self.lock:
            self.running -= 1
            last = self.running == 0
        if last:
            self.forget(*self.sockets)
            for sock in self.sockets:
                sock.close()


def _shutdown(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
