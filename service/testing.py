"""A real waitress server on 127.0.0.1 in a background thread, for tests and benchmarks."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

import waitress


@contextmanager
def running_server(app, threads: int = 4) -> Iterator[str]:
    """Serve the app on a free loopback port; yields the base URL and stops the server after."""
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads, ident="casecoach")
    stop = threading.Event()

    def serve() -> None:
        # Short polls until told to stop, so the sockets are closed only after the loop has left
        # select() (closing them under it raises "Bad file descriptor" in this thread).
        while not stop.is_set() and server._map:  # noqa: SLF001
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)  # noqa: SLF001

    thread = threading.Thread(target=serve, name="casecoach-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        # Finish the worker threads before closing the sockets they answer on.
        server.task_dispatcher.shutdown()
        server.close()
