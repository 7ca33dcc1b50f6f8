"""Searching people and reading a person's source records and events, under need to know."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["service"]
