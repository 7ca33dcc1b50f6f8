"""User accounts: agency, roles and hashed bearer tokens."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["roles", "service", "sessions"]
