"""A ``requests`` transport that hands each request to a WSGI app in the same process.

The in-process ``pantheon`` fixture mounts it on a session, so code written against
``requests`` speaks real HTTP (methods, headers, status codes, plain-text error
bodies) to the emulator's Flask app without opening a socket. Swapping the session
for a plain one pointed at a live server changes the transport and nothing else.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from werkzeug.test import EnvironBuilder, run_wsgi_app

WSGIApp = Callable[..., Iterable[bytes]]

# A base URL that can never resolve (RFC 2606), so a request that escapes the
# in-process session fails at once instead of reaching some real host.
IN_PROCESS_URL = "http://pantheon-emulator.invalid"


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, "read"):
        return _body_bytes(body.read())
    return b"".join(_body_bytes(chunk) for chunk in body)  # a generator of chunks


class WSGITransport(BaseAdapter):
    """Answers a ``requests`` request by calling ``app`` directly (no sockets, no threads)."""

    def __init__(self, app: WSGIApp):
        super().__init__()
        self.app = app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        url = urlsplit(request.url or "")
        builder = EnvironBuilder(
            method=request.method,
            base_url=f"{url.scheme}://{url.netloc}",
            path=url.path or "/",
            query_string=url.query,
            headers=list(request.headers.items()),
            data=_body_bytes(request.body),
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        app_iter, status, headers = run_wsgi_app(self.app, environ, buffered=True)
        try:
            content = b"".join(app_iter)
        finally:
            close = getattr(app_iter, "close", None)
            if close is not None:
                close()
        return _response(request, status, headers, content, self)

    def close(self) -> None:
        """Nothing to release: there is no connection pool."""


def _response(
    request: requests.PreparedRequest, status: str, headers: Any, content: bytes, adapter: BaseAdapter
) -> requests.Response:
    response = requests.Response()
    code, _, reason = status.partition(" ")
    response.status_code = int(code)
    response.reason = reason
    response.headers = CaseInsensitiveDict(list(headers.items()))
    response.encoding = get_encoding_from_headers(response.headers)
    response.raw = io.BytesIO(content)
    response._content = content
    response._content_consumed = True
    response.url = request.url or ""
    response.request = request
    response.connection = adapter
    return response


def in_process_session(app: WSGIApp, base_url: str = IN_PROCESS_URL) -> requests.Session:
    """A ``requests.Session`` whose requests under ``base_url`` are answered by ``app``."""
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc from the environment for an in-process app
    session.mount(base_url.rstrip("/") + "/", WSGITransport(app))  # this host only, not a longer one
    return session
