"""Information sharing, need-to-know access and the audit trail."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "access",
    "access_history",
    "audit_batch",
    "audit_service",
    "compliance",
    "need_to_know",
    "pseudonymise",
    "refusals",
    "service",
]
