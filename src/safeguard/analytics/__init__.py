"""Analytics engines: the one adapter that runs analytical SQL."""

from safeguard.analytics.duckdb_adapter import AnalyticsDB

__all__ = ["AnalyticsDB"]
