"""Terminus-compatible ``secret:*`` commands and their byte-exact output formats."""
