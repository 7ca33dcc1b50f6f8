"""The HTTP interface: JSON API under /api/v1 and the server-rendered pages, one FastAPI app."""

from safeguard.api.app import create_app

__all__ = ["create_app"]
