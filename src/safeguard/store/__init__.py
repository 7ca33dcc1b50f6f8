"""Operational store: SQLAlchemy 2 tables, repositories and the unit of work."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "audit_head",
    "backup",
    "engine",
    "identity_repository",
    "licensing_repository",
    "migrate",
    "ports",
    "research_repository",
    "uow",
]
