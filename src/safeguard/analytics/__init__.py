"""Analytics engines: the one adapter that runs analytical SQL."""

from safeguard.analytics.duckdb_adapter import AnalyticsDB

#: What other packages may import, names and modules (tests/unit/test_public_surface.py).
__all__ = ["AnalyticsDB", "linkage_engine", "linkage_model", "standardise"]
