"""Identity: link agencies' person records into children and give each a stable child reference."""

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["linking", "service"]
