"""Support for child victims: pathways, offers and their deadlines, the school view, the report."""

from safeguard.support.pathways import (
    Pathways,
    PathwaysError,
    Service,
    load_pathways,
    parse_pathways,
)

__all__ = ["Pathways", "PathwaysError", "Service", "load_pathways", "parse_pathways"]
