"""Ingest: agency submissions validated whole, stored as versions, never half-written."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["errors", "files", "service"]
