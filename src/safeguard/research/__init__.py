"""Research: governed projects, de-identified extracts and checked outputs (docs/research.md)."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["output_check", "service"]
