"""Support for child victims: pathways, offers and their deadlines, the school view, the report."""

from safeguard.support.pathways import (
    Pathways,
    PathwaysError,
    Service,
    load_pathways,
    parse_pathways,
)

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "Pathways",
    "PathwaysError",
    "Service",
    "feeds",
    "load_pathways",
    "parse_pathways",
    "pathways",
    "report",
    "school",
    "service",
    "triggers",
]
