"""The TCP proxy the outage tests put between the app and PostgreSQL."""

import socket
import socketserver
import threading

import pytest

from backend.test_common.tcp_proxy import TcpProxy


class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        while data := self.request.recv(1024):
            self.request.sendall(data)


@pytest.fixture
def echo_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Echo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def connect(proxy: TcpProxy) -> socket.socket:
    return socket.create_connection(("127.0.0.1", proxy.port), timeout=2)


def round_trip(sock: socket.socket, payload: bytes) -> bytes:
    sock.sendall(payload)
    received = b""
    while len(received) < len(payload):
        chunk = sock.recv(1024)
        if not chunk:
            break
        received += chunk
    return received


def test_it_forwards_both_ways(echo_server):
    with TcpProxy(*echo_server) as proxy, connect(proxy) as sock:
        assert round_trip(sock, b"hello") == b"hello"
        assert round_trip(sock, b"x" * 200_000) == b"x" * 200_000


def test_cut_drops_open_connections_and_refuses_new_ones(echo_server):
    with TcpProxy(*echo_server) as proxy, connect(proxy) as sock:
        assert round_trip(sock, b"before") == b"before"

        proxy.cut()

        assert sock.recv(1024) == b""  # the peer closed: the client sees it at once
        with pytest.raises(ConnectionRefusedError):
            connect(proxy)


def test_restore_accepts_again_on_the_same_port(echo_server):
    with TcpProxy(*echo_server) as proxy:
        port = proxy.port
        proxy.cut()

        proxy.restore()

        assert proxy.port == port
        with connect(proxy) as sock:
            assert round_trip(sock, b"after") == b"after"
