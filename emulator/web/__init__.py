"""The HTTP wing: the Flask app factory, Pantheon's API, the control plane, OpenAPI and the server."""
