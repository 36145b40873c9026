"""The emulator's version: one constant, read by the package root, the control plane and OpenAPI."""

__version__ = "0.1.0"
