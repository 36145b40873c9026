"""The waitress WSGI server the emulator runs under, with its request limits."""

from __future__ import annotations

from flask import Flask

from . import policy


def create_wsgi_server(app: Flask, host: str = policy.DEFAULT_HOST, port: int = 0, threads: int = 8):
    """A waitress server for ``app``, bound but not yet running (call ``.run()``).

    Waitress reads a whole request body before the app sees it, so the largest body
    any route accepts is also set here: a bigger ``Content-Length`` is answered 413 at
    once, and a chunked body is cut off with 413 as soon as it passes the limit.
    """
    from waitress.server import create_server

    return create_server(
        app, host=host, port=port, threads=threads, ident="pantheon-emulator",
        # waitress refuses bodies of this size or more; the control plane's limit is the largest.
        max_request_body_size=policy.MAX_CONTROL_BODY_BYTES + 1,
    )
