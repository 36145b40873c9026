"""The waitress WSGI server the emulator runs under: its request limits, and a clean stop."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask

from emulator.core import policy
from emulator.web.guard import host_policy


def bind_wsgi_server(host: str = policy.DEFAULT_HOST, port: int = 0, threads: int = 8) -> Any:
    """A waitress server listening on ``host``:``port`` whose app is attached later
    (:func:`attach_app`), so the socket is taken before anything else is set up.

    Waitress reads a whole request body before the app sees it, so the largest body
    any route accepts is also set here: a bigger ``Content-Length`` is answered 413 at
    once, and a chunked body is cut off with 413 as soon as it passes the limit.
    """
    from waitress import wasyncore
    from waitress.server import create_server
    from waitress.task import ThreadedTaskDispatcher

    socket_map: dict[int, Any] = {}
    dispatcher = ThreadedTaskDispatcher()
    try:
        return _create(create_server, socket_map, dispatcher, host, port, threads)
    except OSError:
        # the address is taken: close the pipe, socket and threads waitress made before binding
        wasyncore.close_all(socket_map)
        dispatcher.shutdown()
        raise


def _create(create_server: Any, socket_map: dict[int, Any], dispatcher: Any, host: str, port: int, threads: int) -> Any:
    dispatcher.set_thread_count(threads)
    return create_server(
        _not_ready,
        map=socket_map,
        _dispatcher=dispatcher,
        host=host,
        port=port,
        threads=threads,
        ident="pantheon-emulator",
        # waitress refuses bodies of this size or more; the control plane's limit is the largest.
        max_request_body_size=policy.MAX_CONTROL_BODY_BYTES + 1,
        # A leaky client's idle keep-alive connections must not lock the others out.
        connection_limit=policy.SERVER_CONNECTION_LIMIT,
        channel_timeout=policy.SERVER_IDLE_TIMEOUT_SECONDS,
        cleanup_interval=policy.SERVER_CLEANUP_INTERVAL_SECONDS,
    )


def _not_ready(
    environ: Any, start_response: Any
) -> list[bytes]:  # pragma: no cover - the server runs only once an app is attached
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"The emulator is starting.\n"]


def attach_app(server: Any, app: Flask) -> None:
    """Give a bound server its app, and the app the addresses it is served on."""
    server.application = app
    host_policy(app).serve(server.adj.host, int(server.effective_port))


def create_wsgi_server(app: Flask, host: str = policy.DEFAULT_HOST, port: int = 0, threads: int = 8) -> Any:
    """A waitress server for ``app``, bound but not yet running (call ``.run()``)."""
    server = bind_wsgi_server(host=host, port=port, threads=threads)
    attach_app(server, app)
    return server


class BackgroundServer:
    """The emulator served from a daemon thread of this process (tests, the pytest plugin)."""

    def __init__(self, app: Flask, host: str = policy.DEFAULT_HOST, port: int = 0, threads: int = 4):
        self.server = create_wsgi_server(app, host=host, port=port, threads=threads)
        self.url = f"http://{host}:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, name="pantheon-emulator-server", daemon=True)
        self.thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Close every connection from inside the server's own loop, then wait for the loop to end.

        Closing the server from another thread races the loop's select() (an EBADF
        exception in the server thread); the loop's trigger runs the close in the loop.
        The loop runs queued closes holding the trigger's lock, so queueing ours and writing
        the wake-up byte under that lock means the pipe cannot be closed (and its descriptor
        reused elsewhere) between the two.
        """
        trigger = self.server.trigger
        with trigger.lock:
            if not self.thread.is_alive():
                return
            trigger.thunks.append(self._close_everything)
            trigger._physical_pull()
        self.thread.join(timeout)

    def _close_everything(self) -> None:
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.server._map)
