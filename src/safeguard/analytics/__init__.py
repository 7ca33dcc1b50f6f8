"""Analytical engines (DuckDB locally, Spark at scale): the only code that runs analytical SQL."""
