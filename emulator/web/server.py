"""The waitress WSGI server the emulator runs under: its request limits, and a clean stop."""

from __future__ import annotations

import threading

from flask import Flask

from emulator.core import policy
from emulator.web.guard import host_policy


def create_wsgi_server(app: Flask, host: str = policy.DEFAULT_HOST, port: int = 0, threads: int = 8):
    """A waitress server for ``app``, bound but not yet running (call ``.run()``).

    Waitress reads a whole request body before the app sees it, so the largest body
    any route accepts is also set here: a bigger ``Content-Length`` is answered 413 at
    once, and a chunked body is cut off with 413 as soon as it passes the limit.
    """
    from waitress.server import create_server

    server = create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="pantheon-emulator",
        # waitress refuses bodies of this size or more; the control plane's limit is the largest.
        max_request_body_size=policy.MAX_CONTROL_BODY_BYTES + 1,
    )
    host_policy(app).serve(host, int(server.effective_port))
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
        """
        self.server.trigger.pull_trigger(self._close_everything)
        self.thread.join(timeout)

    def _close_everything(self) -> None:
        from waitress import wasyncore

        self.server.task_dispatcher.shutdown()
        wasyncore.close_all(self.server._map)
