"""Several server processes on one listening socket, so the service uses every CPU core.

The engine is pure Python and holds the interpreter lock while it checks a draft, so threads in one
process share one core. The parent builds the app (pipeline, rules, models) and binds the socket,
then forks: each child inherits the built app and runs its own waitress server on the same socket,
and the kernel hands each new connection to one of them.
"""
from __future__ import annotations

import os
import signal
import socket
import threading
import time

import waitress


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket for host:port (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=1024)


def _serve(app, sock: socket.socket, threads: int) -> None:
    server = waitress.create_server(app, sockets=[sock], threads=threads, ident="casecoach")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def _exit_with_parent(parent: int) -> None:
    """A child stops when its parent is gone (even after kill -9), never serving on as an orphan."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)
    threading.Thread(target=watch, name="casecoach-parent-watch", daemon=True).start()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(app, sock: socket.socket, threads: int, workers: int) -> None:
    """Serve on sock in `workers` processes (this one included) until interrupted or terminated."""
    children = []
    parent = os.getpid()
    for _ in range(workers - 1):
        pid = os.fork()
        if pid == 0:
            _exit_with_parent(parent)
            _serve(app, sock, threads)
            os._exit(0)
        children.append(pid)
    # SIGTERM stops the parent like Ctrl+C does, so the children are always reaped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _serve(app, sock, threads)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        sock.close()
