"""Plain domain classes and rules: no I/O beyond reading the packaged code lists."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "actors",
    "alerts",
    "audit",
    "child_ref",
    "clock",
    "codes",
    "identity",
    "ids",
    "messages",
    "nhs",
    "obligations",
    "pseudonym",
    "records",
    "rules_file",
    "shares",
    "spreadsheet",
]
