"""CSAE crime records and national statistics (issue #7)."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "audit",
    "errors",
    "lifecycle",
    "national_return",
    "overview",
    "protected",
    "referral_service",
    "report",
    "rules",
    "service",
    "validation",
]
