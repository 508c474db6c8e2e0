"""Helpers for the browser tests (and bench/web.py): Chromium's flags, where artifacts go,
and a second origin to serve pages from."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from backend.test_common.servers import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "browser"
SPA_DIR = PROJECT_ROOT / "backend" / "test_common" / "spa"

# Headless, and off the network: no update checks, sync, QUIC probes or first-run pings.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free port; yield its origin, ``http://localhost:<port>``."""
    handler = partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
