"""``python -m sample_site``: serve the site with waitress, configured like ``flask run``
(a ``.env`` file in the working directory is loaded first)."""

from __future__ import annotations

import argparse
import logging
import sys

from dotenv import load_dotenv


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sample_site", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (default 8000)")
    args = parser.parse_args(argv)

    load_dotenv(".env")  # as `flask run` does; variables already set win
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    from waitress.server import create_server

    from emulator.client import ENVIRONMENT_VARIABLE as ENV_ENVIRONMENT
    from emulator.client import SITE_VARIABLE as ENV_SITE

    from .app import create_app

    app = create_app()
    server = create_server(app, host=args.host, port=args.port, threads=4, ident="acme-coffee")
    site = app.config["SITE_NAME"] or app.config["PANTHEON"].get(ENV_SITE) or "local"
    environment = app.config["PANTHEON"].get(ENV_ENVIRONMENT, "dev")
    print(
        f"Acme Coffee ({site}.{environment}) on http://{args.host}:{server.effective_port}/ (Ctrl-C to stop)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
