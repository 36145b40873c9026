"""The reference servers the benchmarks measure the emulator against, under waitress.

    python benchmarks/peer_servers.py ceiling [--threads 8]   a trivial Flask app: the ceiling
    python benchmarks/peer_servers.py moto [--threads 8]      moto's own WSGI app, not its dev server

Both serve on 127.0.0.1 and a free port, announced as ``Serving on http://...``, with
the same WSGI server and thread count as ``pantheon-emulator serve``, so the only
difference measured is the application.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys

from flask import Flask, Response, request

# As big as the emulator's runtime read of one secret, so both send the same bytes.
READ_BODY = json.dumps({"Type": "runtime", "Value": "bench-value-0000", "Scopes": ["web", "user"]}) + "\n"


def ceiling_app() -> Flask:
    """The least a Flask route can do: a constant answer, and a JSON body parsed and echoed."""
    app = Flask(__name__)

    @app.get("/read")
    def read():
        return Response(READ_BODY, mimetype="application/json")

    @app.route("/write", methods=["POST", "PATCH"])
    def write():
        body = request.get_json()
        return Response(json.dumps({"Name": body.get("name")}) + "\n", mimetype="application/json")

    return app


def moto_app():
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return DomainDispatcherApplication(create_backend_app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=("ceiling", "moto"))
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    from waitress.server import create_server

    app = ceiling_app() if args.which == "ceiling" else moto_app()
    server = create_server(app, host="127.0.0.1", port=0, threads=args.threads)
    print(f"Serving on http://127.0.0.1:{server.effective_port}", file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.run()
    finally:
        server.close()


if __name__ == "__main__":
    main()
