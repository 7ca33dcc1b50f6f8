"""Group-based offending networks: the POLE graph, candidate groups, harm ranking, link charts."""

from safeguard.network.graph import EventBatch, PoleGraph
from safeguard.network.groups import Group, find_groups
from safeguard.network.harm import HarmEntry, rank_groups, rank_offenders, rank_victims
from safeguard.network.rules import NetworkRules, load_rules

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = [
    "EventBatch",
    "Group",
    "HarmEntry",
    "NetworkRules",
    "PoleGraph",
    "find_groups",
    "load_rules",
    "rank_groups",
    "rank_offenders",
    "rank_victims",
    "service",
]
