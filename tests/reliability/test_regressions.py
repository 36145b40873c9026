"""One test per bug the reliability work found in the core; each failed before its fix."""

from __future__ import annotations

import pytest

from .support import raw_exchange, running_server


@pytest.mark.slow
def test_serve_refuses_a_huge_content_length_at_once(tmp_path):
    """waitress buffered up to 1 GB of body before the app could refuse it, so a client announcing
    500 MB got no answer until it had sent them all. The server now refuses it from the header."""
    with running_server("--memory", "--port", "0", cwd=tmp_path) as server:
        head = (b"POST /customer-secrets/v1/sites/demo-site/secrets HTTP/1.1\r\nHost: test\r\n"
                b"Authorization: demo-token\r\nContent-Type: application/json\r\n"
                b"Content-Length: 500000000\r\n\r\n")
        answer = raw_exchange(server.url, head, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
